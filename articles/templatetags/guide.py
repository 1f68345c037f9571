from django import template
from django.utils.safestring import SafeString

from articles.structured_data import jsonld_script

register = template.Library()


@register.filter
def jsonld(data: dict | None) -> SafeString | str:
    """{{ data|jsonld }} renders a JSON-LD script element, or nothing for None."""
    return jsonld_script(data) if data else ""
