from django import template
from django.conf import settings
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from articles.structured_data import jsonld_script

register = template.Library()


@register.filter
def jsonld(data: dict | None) -> SafeString | str:
    """{{ data|jsonld }} renders a JSON-LD script element, or nothing for None."""
    return jsonld_script(data) if data else ""


@register.filter
def in_page_language(article):
    """{% with text=article|in_page_language %}: the article's published translation into the
    page's language, else the article itself (prefetch `translations` in lists)."""
    language = get_language()
    return article if language == settings.LANGUAGE_CODE else article.text_in(language)
