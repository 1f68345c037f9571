from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_markdown_is_rendered_on_save_with_a_table_of_contents():
    article = make_article(body="Intro.\n\n## What it is\n\nText.\n\n### A detail\n\nMore.\n\n## Risks & costs\n\nEnd.")
    assert '<h2 id="what-it-is">What it is</h2>' in article.body_html
    assert [entry["name"] for entry in article.toc] == ["What it is", "Risks & costs"]
    assert article.toc[0]["children"] == [{"id": "a-detail", "name": "A detail"}]


def test_published_hides_drafts_and_future_articles():
    visible = make_article(title="Visible")
    make_article(title="Draft", status=Article.Status.DRAFT)
    make_article(title="Future", published_at=timezone.now() + timedelta(days=2))
    assert list(Article.objects.published()) == [visible]


def test_a_review_date_needs_a_reviewer():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(title="Reviewed by nobody", reviewed_on=timezone.localdate())
