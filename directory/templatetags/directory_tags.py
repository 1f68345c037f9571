import hashlib
from datetime import date

from django import template
from django.core.cache import caches
from django.template.loader import get_template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from directory.formatting import age, is_stale, miles, tel
from directory.term_names import term_label

register = template.Library()

register.filter("tel", tel)
register.filter("miles", miles)
# A treatment's or lookup's name or summary in the page's language: {{ treatment.name|term }}.
register.filter("term", term_label)
register.filter("age", age)
register.filter("is_stale", is_stale)


@register.simple_tag
def page_links(page) -> list:
    """Page numbers to link to, with the paginator's ellipsis for a gap: 1 … 4 5 6 7 8 … 12."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


# Drawing a card costs about a tenth of a millisecond; a page has twenty.
CARD_SECONDS = 600
# Where a kept card shows the distance, which each search writes in for itself.
DISTANCE_MARK = "\u2063distance\u2063"


@register.simple_tag
def center_cards(page) -> list[SafeString]:
    """The result cards of a page, drawn by the "card" partial of includes/center_cards.html.

    Each is kept in the "fragments" cache under a digest of everything it shows but the
    distance (the row, its locations nearest first) and the page's language, so an edited
    center never meets its old card, and a center's card is drawn once for every search
    that finds it; each page writes in its own distance.
    """
    rows = list(page)
    # The day is part of what a card shows: it says how long ago the details were checked.
    today = date.today()
    language = get_language()
    keys = [
        f"card:{language}:"
        + hashlib.blake2b(repr((_shown(row), row.distance_miles is not None, today)).encode()).hexdigest()
        for row in rows
    ]
    fragments = caches["fragments"]
    cards = fragments.get_many(keys)
    missing = {}
    template = get_template("includes/center_cards.html#card")
    for key, row in zip(keys, rows, strict=True):
        if key not in cards:
            distance = DISTANCE_MARK if row.distance_miles is not None else ""
            cards[key] = missing[key] = template.render({"center": row, "distance": distance})
    if missing:
        fragments.set_many(missing, CARD_SECONDS)
    return [
        mark_safe(cards[key].replace(DISTANCE_MARK, escape(miles(row.distance_miles))))  # noqa: S308 (an auto-escaping template's card, and an escaped distance)
        if row.distance_miles is not None
        else mark_safe(cards[key])  # noqa: S308 (rendered by an auto-escaping template)
        for key, row in zip(keys, rows, strict=True)
    ]


def _shown(row) -> tuple:
    """Everything a card shows but its distance, as plain values (a dataclass's own repr of
    twenty rows with their locations and treatments cost 0.7 ms a page)."""
    values = tuple(value for name, value in vars(row).items() if name not in ("locations", "offers", "distance_miles"))
    locations = tuple(tuple(vars(location).values()) for location in row.locations)
    offers = tuple(
        (*(value for name, value in vars(offer).items() if name != "term"), offer.term and offer.term.short_name)
        for offer in row.offers
    )
    return values, locations, offers
