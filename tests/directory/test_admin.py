import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from directory.models import Center, Treatment
from tests.factories import make_article, make_center

pytestmark = pytest.mark.django_db


def admin_urls_for_every_model(user) -> list[str]:
    """Every changelist, and every add page the user may use (inquiries and the like are
    never added by hand)."""
    request = RequestFactory().get("/admin/")
    request.user = user
    urls = []
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        if model_admin.has_add_permission(request):
            urls.append(reverse("admin:{}_{}_add".format(*info)))
    return urls


def test_every_admin_changelist_and_add_page_answers_for_staff(admin_client, superuser):
    center = make_center()
    make_article()
    assert len(admin_urls_for_every_model(superuser)) >= 20
    for url in admin_urls_for_every_model(superuser):
        response = admin_client.get(url)
        assert response.status_code == 200, url
    response = admin_client.get(reverse("admin:directory_center_change", args=[center.pk]))
    assert response.status_code == 200
    assert b"Locations" in response.content and b"Center treatments" in response.content


def test_center_changelist_searches_by_city_and_zip_and_filters_stale(admin_client):
    make_center(name="Northstar Mood Center", city="Denver", state="CO", zip_code="80203")
    make_center(name="Bayside Clinic", city="Jacksonville", zip_code="32207", last_verified_on=timezone.localdate())
    url = reverse("admin:directory_center_changelist")
    assert b"Northstar Mood Center" in admin_client.get(url, {"q": "80203"}).content
    assert b"Bayside Clinic" not in admin_client.get(url, {"q": "Denver"}).content
    stale = admin_client.get(url, {"verified": "stale"}).content
    assert b"Northstar Mood Center" in stale and b"Bayside Clinic" not in stale


def run_action(admin_client, action: str, centers: list[Center]):
    return admin_client.post(
        reverse("admin:directory_center_changelist"),
        {"action": action, "_selected_action": [c.pk for c in centers]},
        follow=True,
    )


def test_publish_unpublish_and_mark_verified_actions(admin_client, superuser):
    draft = make_center(status=Center.Status.DRAFT)
    run_action(admin_client, "publish", [draft])
    draft.refresh_from_db()
    assert draft.status == Center.Status.PUBLISHED
    run_action(admin_client, "unpublish", [draft])
    draft.refresh_from_db()
    assert draft.status == Center.Status.DRAFT
    # The action first asks how the listing was checked, and records nothing yet.
    question = run_action(admin_client, "mark_verified_today", [draft])
    assert b"How were these listings verified?" in question.content
    draft.refresh_from_db()
    assert draft.last_verified_on is None
    response = admin_client.post(
        reverse("admin:directory_center_changelist"),
        {"action": "mark_verified_today", "_selected_action": [draft.pk], "apply": "1", "method": "phone"},
        follow=True,
    )
    draft.refresh_from_db()
    assert draft.last_verified_on == timezone.localdate()
    assert (draft.verified_by, draft.verification_method) == (superuser, "phone")
    assert draft.verifications.get().method == "phone"
    assert b"verified today" in response.content


def test_article_admin_shows_a_rendered_preview(admin_client):
    article = make_article(body="## Heading\n\nHello **world**")
    response = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert b"<strong>world</strong>" in response.content


def test_record_a_verification_sits_at_the_top_of_a_center_page_and_comes_back_to_it(admin_client):
    center = make_center(name="Harbor Test Clinic")
    change_url = reverse("admin:directory_center_change", args=[center.pk])
    html = admin_client.get(change_url).content.decode()
    add_url = reverse("admin:directory_verification_add") + f"?center={center.pk}"
    tools = html[html.index('class="object-tools"') :].split("</ul>")[0]
    assert f'<a href="{add_url}">Record a verification</a>' in tools
    assert html.index("Record a verification") < html.index('id="center_form"')

    today = str(timezone.localdate())
    response = admin_client.post(add_url, {"center": center.pk, "verified_on": today, "method": "phone"})
    assert response.status_code == 302 and response["Location"] == change_url
    center.refresh_from_db()
    assert (str(center.last_verified_on), center.verification_method) == (today, "phone")
    # From the verifications list itself, saving still goes back to that list.
    response = admin_client.post(
        reverse("admin:directory_verification_add"), {"center": center.pk, "verified_on": today, "method": "email"}
    )
    assert response["Location"] == reverse("admin:directory_verification_changelist")


def test_each_treatment_row_knows_which_detail_its_treatment_asks_about(admin_client):
    center = make_center(treatments=("tms",))
    html = admin_client.get(reverse("admin:directory_center_change", args=[center.pk])).content.decode()
    tms = Treatment.objects.get(slug="tms")
    assert "js/admin-treatment-details.js" in html
    assert f"&quot;{tms.pk}&quot;: &quot;tms_variant&quot;" in html
