"""The page in each language: for the header's language switcher and the hreflang links.

Public pages are in English at their usual URLs and in Spanish under /es/ (config/urls.py,
`prefix_default_language=False`), so a page's other version is its path with the prefix
added or taken away, query string kept. Plain links: the switch needs no JavaScript,
no cookie and no form.
"""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language

register = template.Library()

SPANISH_PREFIX = "/es"


@dataclass(frozen=True)
class LanguageVersion:
    code: str
    name: str  # in its own language: "English", "Español"
    url: str  # path and query
    absolute_url: str
    current: bool


def path_in_language(path: str, code: str) -> str:
    """/centers/?near=x in English is /es/centers/?near=x in Spanish, and back."""
    english = path[len(SPANISH_PREFIX) :] if path == SPANISH_PREFIX or path.startswith(SPANISH_PREFIX + "/") else path
    english = english or "/"
    return english if code == settings.LANGUAGE_CODE else f"/{code}{english}"


@register.simple_tag(takes_context=True)
def language_versions(context) -> list[LanguageVersion]:
    request: HttpRequest | None = context.get("request")
    if request is None:
        return []
    query = request.META.get("QUERY_STRING", "")
    current = get_language()
    versions = []
    for code, name in settings.LANGUAGES:
        url = path_in_language(request.path, code) + (f"?{query}" if query else "")
        versions.append(LanguageVersion(code, name, url, request.build_absolute_uri(url), code == current))
    return versions
