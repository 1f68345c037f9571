"""Load the guide shipped in articles/content/ into the database."""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone

from articles.models import Article, ArticleTranslation, FAQItem, Reference, Topic
from directory.models import Treatment

CONTENT_DIR = Path(__file__).resolve().parent / "content"


class GuideFileError(ValueError):
    pass


@dataclass
class GuideSource:
    path: Path
    meta: dict
    body: str
    references: list[dict] = field(default_factory=list)


def guide_source_read(path: Path) -> GuideSource:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---"):
        raise GuideFileError(f"{path.name}: no front matter")
    _, front, body = text.split("---", 2)
    meta = yaml.safe_load(front)
    for key in ("title", "slug", "topic", "summary", "references"):
        if not meta.get(key):
            raise GuideFileError(f"{path.name}: missing {key}")
    return GuideSource(path=path, meta=meta, body=body.strip() + "\n", references=meta["references"])


def guide_sources(directory: Path = CONTENT_DIR) -> list[GuideSource]:
    return [guide_source_read(path) for path in sorted(directory.glob("*.md")) if path.name != "FORMAT.md"]


# Translations live in a folder per language, one file per translated article, named like the
# English file. They carry no references: the original's are shown, with the same numbers.
TRANSLATION_LANGUAGES = ["es"]


def translation_source_read(path: Path) -> GuideSource:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---"):
        raise GuideFileError(f"{path.parent.name}/{path.name}: no front matter")
    _, front, body = text.split("---", 2)
    meta = yaml.safe_load(front)
    for key in ("title", "slug", "summary"):
        if not meta.get(key):
            raise GuideFileError(f"{path.parent.name}/{path.name}: missing {key}")
    if "references" in meta:
        raise GuideFileError(f"{path.parent.name}/{path.name}: a translation uses the original's references")
    return GuideSource(path=path, meta=meta, body=body.strip() + "\n")


def translation_sources(language: str, directory: Path = CONTENT_DIR) -> list[GuideSource]:
    return [translation_source_read(path) for path in sorted((directory / language).glob("*.md"))]


def _as_datetime(value) -> datetime:
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if isinstance(value, date):
        # A date means "public from the start of that day", not later on it.
        return timezone.make_aware(datetime.combine(value, time.min))
    return timezone.now()


@transaction.atomic
def guide_load(*, directory: Path = CONTENT_DIR, update: bool = False) -> dict[str, int]:
    """Create the shipped articles that are missing; with update=True, overwrite the rest too.

    Without update, articles that already exist are left alone, so staff edits made in the
    admin survive `make run`.
    """
    sources = guide_sources(directory)
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    treatments = {treatment.slug: treatment for treatment in Treatment.objects.all()}
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    counts |= {f"translations_{key}": 0 for key in list(counts)}
    loaded: dict[str, tuple[Article, GuideSource]] = {}
    for source in sources:
        meta = source.meta
        existing = Article.objects.filter(slug=meta["slug"]).first()
        if existing and not update:
            counts["unchanged"] += 1
            continue
        published = _as_datetime(meta.get("published_on"))
        article = existing or Article(slug=meta["slug"])
        article.title = meta["title"]
        article.topic = topics[meta["topic"]]
        article.summary = meta["summary"].strip()
        article.body = source.body
        article.author = meta.get("author") or "Health Connect Daily editorial team"
        article.checklist = meta.get("checklist") or []
        article.published_at = published
        article.updated_at = _as_datetime(meta.get("updated_on") or meta.get("published_on"))
        article.status = Article.Status.PUBLISHED
        article.save()
        counts["updated" if existing else "created"] += 1
        article.references.all().delete()
        Reference.objects.bulk_create(
            Reference(
                article=article,
                number=number,
                title=ref["title"],
                publisher=ref.get("publisher", ""),
                year=ref.get("year"),
                url=ref["url"],
            )
            for number, ref in enumerate(source.references, start=1)
        )
        article.faq_items.all().delete()
        FAQItem.objects.bulk_create(
            FAQItem(article=article, question=item["question"], answer=item["answer"], sort_order=order)
            for order, item in enumerate(meta.get("faq") or [])
        )
        article.related_treatments.set(
            [treatments[slug] for slug in meta.get("related_treatments") or [] if slug in treatments]
        )
        loaded[article.slug] = (article, source)
    for article, source in loaded.values():
        related = source.meta.get("related_articles") or []
        article.related_articles.set(Article.objects.filter(slug__in=related).exclude(pk=article.pk))
    for language in TRANSLATION_LANGUAGES:
        for source in translation_sources(language, directory):
            counts["translations_" + _translation_load(source, language=language, update=update)] += 1
    return counts


def _translation_load(source: GuideSource, *, language: str, update: bool) -> str:
    """Create or (with update) overwrite one translation; its medical review is never set from a file."""
    meta = source.meta
    article = Article.objects.filter(slug=meta["slug"]).first()
    if article is None:
        raise GuideFileError(f"{language}/{source.path.name}: no article with the slug {meta['slug']!r}")
    existing = article.translations.filter(language=language).first()
    if existing and not update:
        return "unchanged"
    translation = existing or ArticleTranslation(article=article, language=language)
    translation.title = meta["title"]
    translation.summary = meta["summary"].strip()
    translation.body = source.body
    if meta.get("author"):
        translation.author = meta["author"]
    translation.checklist = meta.get("checklist") or []
    translation.faq = [{"question": item["question"], "answer": item["answer"]} for item in meta.get("faq") or []]
    translation.updated_at = _as_datetime(meta.get("updated_on") or meta.get("translated_on"))
    translation.status = Article.Status.PUBLISHED
    translation.save()
    return "updated" if existing else "created"


@transaction.atomic
def article_render_all() -> int:
    """Re-render every article's HTML and table of contents from its stored Markdown.

    Run after a change to articles/rendering.py: saved HTML is otherwise only refreshed
    when an article is edited. Admin edits to the Markdown are kept.
    """
    count = 0
    for text in [*Article.objects.all(), *ArticleTranslation.objects.all()]:
        text.save(update_fields=["body_html", "toc"])
        count += 1
    return count


def article_review_record(
    *, article: Article, reviewer_name: str, reviewer_credentials: str, reviewed_on: date
) -> Article:
    """Record that a clinician has medically reviewed the current text of `article`.

    Only the review fields change: the text and its "Updated" date stay as they are, so the
    public page can say who reviewed it and when, and the review queue drops the article
    until its text changes again.
    """
    article.reviewer_name = reviewer_name.strip()
    article.reviewer_credentials = reviewer_credentials.strip()
    article.reviewed_on = reviewed_on
    article.save(update_fields=["reviewer_name", "reviewer_credentials", "reviewed_on"])
    return article
