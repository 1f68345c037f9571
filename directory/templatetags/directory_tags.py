from html import escape

from django import template
from django.utils.safestring import mark_safe

from directory.cards import page_cards_html
from directory.formatting import miles, tel

register = template.Library()

register.filter("tel", tel)
register.filter("miles", miles)


@register.simple_tag
def result_cards(page):
    """The result cards of a page of results (directory/cards.py draws them)."""
    return page_cards_html(page)


CHOICE_STYLES = {
    "check": (
        '<div class="form-check"><input class="form-check-input" type="checkbox" name="{0}" value="{1}" '
        'id="search-{0}-{1}"{3}><label class="form-check-label" for="search-{0}-{1}">{2}</label></div>'
    ),
    "pill": (
        '<input class="btn-check" type="checkbox" name="{0}" value="{1}" id="search-{0}-{1}"{3}>'
        '<label class="btn btn-pill" for="search-{0}-{1}">{2}</label>'
    ),
}


@register.simple_tag
def choice_inputs(parameter: str, options, style: str = "check"):
    """The checkboxes of one repeatable search parameter. Written here rather than with a
    template loop: a search form has sixty of them and is drawn on every search."""
    markup = CHOICE_STYLES[style]
    name = escape(parameter)
    return mark_safe(  # noqa: S308 (every value is escaped)
        "".join(
            markup.format(name, escape(option.value), escape(option.label), " checked" if option.checked else "")
            for option in options
        )
    )


@register.simple_tag
def select_options(options):
    """<option>s of a search menu (radius, sort), for the same reason as choice_inputs."""
    markup = '<option value="{}"{}>{}</option>'
    return mark_safe(  # noqa: S308 (every value is escaped)
        "".join(
            markup.format(escape(option.value), " selected" if option.checked else "", escape(option.label))
            for option in options
        )
    )
