"""The shortlist (issue 13, item 11): up to SHORTLIST_MAX centers a person keeps while
comparing. The list lives in the browser only (static/js/shortlist.js, localStorage); the
server sees it only as the address of the page that lists them, /shortlist/?centers=a,b,c,
which is public and the same for everyone (a shared cache may keep it)."""

import re

from django.conf import settings
from django.db.models import Prefetch
from django.utils.translation import get_language

from articles.models import Article
from directory.models import Center, Location

SHORTLIST_MAX = 5
# The guide article whose printable checklist the sheet carries.
QUESTIONS_ARTICLE = "questions-to-ask-a-provider"
_SLUG_RE = re.compile(r"^[-a-z0-9_]{1,200}$")


def shortlist_slugs(value: str) -> list[str]:
    """ "a,b,,a,c" -> ["a", "b", "c"]: center slugs in the order given, at most SHORTLIST_MAX."""
    slugs: list[str] = []
    for slug in (part.strip().lower() for part in (value or "").split(",")):
        if _SLUG_RE.match(slug) and slug not in slugs:
            slugs.append(slug)
    return slugs[:SHORTLIST_MAX]


def shortlist_centers(slugs: list[str]) -> list[Center]:
    """The centers the public may open among `slugs`, in that order."""
    centers = (
        Center.objects.visible()
        .filter(slug__in=slugs)
        .prefetch_related(
            Prefetch("locations", queryset=Location.objects.order_by("pk")), "treatment_details__treatment"
        )
    )
    by_slug = {center.slug: center for center in centers}
    return [by_slug[slug] for slug in slugs if slug in by_slug]


def shortlist_questions() -> list[dict]:
    """The "questions to ask a provider" checklist in the page's language (English when it is
    not translated), or [] when that article is not published."""
    article = Article.objects.published().prefetch_related("translations").filter(slug=QUESTIONS_ARTICLE).first()
    if article is None:
        return []
    text = article if get_language() == settings.LANGUAGE_CODE else article.text_in(get_language())
    return text.checklist or []
