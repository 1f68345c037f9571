"""The result card: what a patient sees for each center in a list of results.

It is written out here with str.format rather than as a template because it is drawn
20 times per search, and the template engine spent more time drawing the cards than the
database spent finding them (bench/README.md). Everything interpolated is escaped with
`escape()`; the markup itself is ours. To change the card, change CARD below (and the
tests in tests/directory/test_listing.py that read it).
"""

from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from directory.formatting import miles, tel
from directory.listing import ResultPage
from directory.search import ResultRow

CARD = (
    '<article class="center-card" aria-labelledby="center-{pk}">\n'
    '<div class="center-card-head"><h2 id="center-{pk}"><a href="{url}">{name}</a></h2>{distance}</div>\n'
    "{address}{offers}{accepting}"
    '<div class="center-card-actions">{call}'
    '<a class="btn btn-outline-primary" href="{url}" aria-describedby="center-{pk}">Details</a>'
    "</div>\n"
    '<p class="provenance mb-0">{provenance}</p>\n'
    "</article>\n"
)
ACCEPTING = {"yes": ("accepting", "Accepting new patients"), "no": ("not-accepting", "Not accepting new patients")}
METHODS = {
    "phone": "phone call",
    "website": "website check",
    "email": "e-mail",
    "in_person": "in-person visit",
    "official_list": "official list",
}


def _day(day) -> str:
    """<time datetime="2026-09-29">Sep 29, 2026</time>"""
    return f'<time datetime="{day.isoformat()}">{day:%b} {day.day}, {day.year}</time>'


def card_html(row: ResultRow, *, center_url: str) -> str:
    location = row.location
    phone = row.call_phone
    offers = "".join(
        f'<li><span class="offer-name">{escape(offer.term.short_name)}</span>'
        + "".join(f" · {escape(label)}" for label in offer.detail_labels)
        + (f" · {escape(offer.price_label)}" if offer.self_pay_price is not None else "")
        + "</li>"
        for offer in row.offers
    )
    accepting = ""
    if row.accepting_new_patients in ACCEPTING:
        css, label = ACCEPTING[row.accepting_new_patients]
        checked = (
            f' <span class="fw-normal">(checked {_day(row.accepting_checked_on)})</span>'
            if row.accepting_checked_on
            else ""
        )
        accepting = f'<p class="mb-2"><span class="badge-{css}">{label}{checked}</span></p>\n'
    if row.last_verified_on:
        method = METHODS.get(row.verification_method, "")
        provenance = f"Last verified {_day(row.last_verified_on)}" + (f" by {method}" if method else "")
    else:
        provenance = "Not yet verified"
    if row.source:
        provenance += f" · Source: {escape(row.source)}"
    return CARD.format(
        pk=row.id,
        url=escape(f"{center_url}{row.slug}/"),
        name=escape(row.name),
        distance=f'<span class="distance">{miles(row.distance_miles)}</span>' if row.distance_miles is not None else "",
        address=f'<p class="center-card-address">{escape(location.address)}</p>\n' if location else "",
        offers=f'<ul class="offers">{offers}</ul>\n' if offers else "",
        accepting=accepting,
        call=f'<a class="btn btn-primary btn-call" href="{escape(tel(phone))}">Call {escape(phone)}</a>'
        if phone
        else "",
        provenance=provenance,
    )


def page_cards_html(page: ResultPage) -> SafeString:
    center_url = reverse("directory:center_list")  # a center is at /centers/<slug>/
    return mark_safe("".join(card_html(row, center_url=center_url) for row in page.centers))  # noqa: S308
