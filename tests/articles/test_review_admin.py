"""Medical review in the admin: the queue of articles awaiting review (oldest first), recording a real review
quickly, and the public page naming a reviewer only after one is recorded for the current text."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.directory.outreach_helpers import make_staff
from tests.factories import make_article

pytestmark = pytest.mark.django_db

QUEUE = "/admin/articles/article/review-queue/"


def days_ago(days: int):
    return timezone.now() - timedelta(days=days)


def record_url(article: Article) -> str:
    return f"/admin/articles/article/{article.pk}/record-review/"


@pytest.fixture
def editor(client, django_user_model):
    user = make_staff(django_user_model, "editor", "Guide editors")
    client.force_login(user)
    return user


def test_the_review_urls_are_the_documented_ones():
    article = make_article()
    assert reverse("admin:articles_article_review_queue") == QUEUE
    assert reverse("admin:articles_article_record_review", args=[article.pk]) == record_url(article)


def test_the_queue_lists_unreviewed_and_changed_articles_oldest_first_and_who_reviewed_the_rest(client, editor):
    make_article(title="Newest unreviewed", updated_at=days_ago(1))
    make_article(title="Oldest unreviewed", updated_at=days_ago(40))
    make_article(
        title="Changed after review",
        updated_at=days_ago(5),
        reviewer_name="Dr. Ana Ruiz",
        reviewer_credentials="MD, psychiatrist",
        reviewed_on=timezone.localdate() - timedelta(days=20),
    )
    make_article(
        title="Reviewed and unchanged",
        updated_at=days_ago(30),
        reviewer_name="Dr. Sam Lee",
        reviewer_credentials="MD",
        reviewed_on=timezone.localdate() - timedelta(days=10),
    )
    html = client.get(QUEUE).content.decode()
    awaiting, reviewed = html.split('id="reviewed-heading"')
    assert (
        awaiting.index("Oldest unreviewed")
        < awaiting.index("Changed after review")
        < awaiting.index("Newest unreviewed")
    )
    assert "Changed since the review by Dr. Ana Ruiz" in awaiting
    assert "Reviewed and unchanged" not in awaiting
    assert "Reviewed and unchanged" in reviewed and "Dr. Sam Lee" in reviewed
    assert "Changed after review" not in reviewed


def test_recording_a_review_names_the_reviewer_on_the_public_page_and_keeps_who_recorded_it(client, editor):
    article = make_article(title="TMS explained", slug="tms-explained", updated_at=days_ago(3))
    assert "Not yet medically reviewed" in client.get("/guide/tms-explained/").content.decode()
    response = client.post(
        record_url(article),
        {
            "reviewer_name": "Dr. Ana Ruiz",
            "reviewer_credentials": "MD, psychiatrist",
            "reviewed_on": timezone.localdate().isoformat(),
            "confirm": "on",
        },
    )
    assert response.status_code == 302 and response["Location"] == QUEUE
    article.refresh_from_db()
    assert (article.reviewer_name, article.reviewer_credentials) == ("Dr. Ana Ruiz", "MD, psychiatrist")
    assert article.updated_at < timezone.now() - timedelta(days=2)  # the text's date is left alone
    html = client.get("/guide/tms-explained/").content.decode()
    assert "Medically reviewed by Dr. Ana Ruiz, MD, psychiatrist on" in html
    assert "Not yet medically reviewed" not in html
    entry = LogEntry.objects.get(object_id=str(article.pk))
    assert entry.user == editor and "Dr. Ana Ruiz" in entry.get_change_message()
    assert "TMS explained" not in client.get(QUEUE).content.decode().split('id="reviewed-heading"')[0]


@pytest.mark.parametrize(
    ("days_before_today", "confirm", "message"),
    [
        (0, False, "Only record a review that really took place"),
        (-1, True, "cannot be dated in the future"),
        (10, True, "covered an older version"),
    ],
)
def test_a_review_needs_confirmation_and_a_date_between_the_current_text_and_today(
    client, editor, days_before_today, confirm, message
):
    article = make_article(updated_at=days_ago(3))
    data = {
        "reviewer_name": "Dr. Ana Ruiz",
        "reviewer_credentials": "MD",
        "reviewed_on": (timezone.localdate() - timedelta(days=days_before_today)).isoformat(),
    } | ({"confirm": "on"} if confirm else {})
    response = client.post(record_url(article), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    article.refresh_from_db()
    assert not article.is_reviewed


def test_a_text_changed_after_its_review_says_so_and_returns_to_the_queue(client, editor):
    article = make_article(
        title="Changed piece",
        slug="changed-piece",
        reviewer_name="Dr. Ana Ruiz",
        reviewer_credentials="MD",
        reviewed_on=timezone.localdate() - timedelta(days=9),
        updated_at=days_ago(10),
    )
    assert "the text has changed since that review" not in client.get("/guide/changed-piece/").content.decode()
    Article.objects.filter(pk=article.pk).update(updated_at=days_ago(1))
    assert "the text has changed since that review" in client.get("/guide/changed-piece/").content.decode()
    assert "Changed piece" in client.get(QUEUE).content.decode().split('id="reviewed-heading"')[0]


def test_staff_who_may_only_view_articles_see_the_queue_but_cannot_record_a_review(client, django_user_model):
    viewer = make_staff(django_user_model, "viewer")
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(viewer)
    article = make_article()
    queue = client.get(QUEUE)
    assert queue.status_code == 200 and "Record a review" not in queue.content.decode()
    assert client.get(record_url(article)).status_code == 403


def test_the_changelist_links_the_queue_and_filters_by_review_status(client, editor):
    make_article(title="Awaiting one")
    make_article(
        title="Reviewed one",
        reviewer_name="Dr. Sam Lee",
        reviewed_on=timezone.localdate(),
        updated_at=days_ago(2),
    )
    changelist = client.get("/admin/articles/article/").content.decode()
    assert f'href="{QUEUE}"' in changelist
    awaiting = client.get("/admin/articles/article/?review=awaiting").content.decode()
    assert "Awaiting one" in awaiting and "Reviewed one" not in awaiting
    reviewed = client.get("/admin/articles/article/?review=reviewed").content.decode()
    assert "Reviewed one" in reviewed and "Awaiting one" not in reviewed
