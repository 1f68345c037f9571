"""Pages of results, read in a fixed number of queries whatever the page size or the
size of the directory: the page with its total count (a window function, so no second
COUNT query), then the locations and the treatment details of those centers (two small
queries by id). The rows are plain objects, not model instances: a page is read, not
edited, and building sixty model instances per search was a measurable cost.

Two entries: `search_page()` for the listing and the API (directory/search.py's SQL) and
`queryset_page()` for pages that list a QuerySet (a city, a treatment in a city).
"""

import dataclasses
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Window
from django.http import Http404

from directory import geo
from directory.models.centers import OfferLabels
from directory.search import COLUMNS, Criteria, ResultRow, search_count, search_rows
from directory.vocabulary import Term, Vocabulary, vocabulary_load

PER_PAGE = 20
MAX_PAGE = 100_000  # beyond any directory we will have; keeps OFFSET a sane number
# Counting every center of an unbounded search (no place, no text) reads the whole
# directory; its count is kept this long instead of being recounted for every page.
UNBOUNDED_COUNT_SECONDS = 60


@dataclass
class LocationRow:
    street1: str
    street2: str
    city: str
    state: str
    zip: str
    latitude: float
    longitude: float
    phone: str

    @property
    def address(self) -> str:
        street = f"{self.street1}, {self.street2}" if self.street2 else self.street1
        return f"{street}, {self.city}, {self.state} {self.zip}"


@dataclass
class OfferRow(OfferLabels):
    treatment_id: int
    tms_variant: str
    ketamine_route: str
    spravato_rems_certified: bool | None
    ect_setting: str
    vns_role: str
    psychedelic_program: str
    self_pay_price: Decimal | None
    price_unit: str
    term: Term | None = None


@dataclass
class ResultPage:
    centers: list[ResultRow]
    number: int
    count: int
    per_page: int = PER_PAGE
    fuzzy: bool = False  # the results are names spelled like the text, not matches of it

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.count else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.centers)

    def page_links(self) -> list[int | None]:
        """Page numbers to link to, with None for a gap: 1 … 4 5 6 … 12."""
        wanted = {1, self.num_pages, *range(self.number - 2, self.number + 3)}
        links: list[int | None] = []
        for n in sorted(p for p in wanted if 1 <= p <= self.num_pages):
            if links and n - (links[-1] or 0) > 1:
                links.append(None)
            links.append(n)
        return links


def page_number(value: str | None) -> int | None:
    """The page asked for, or None when it is not a page number at all."""
    try:
        number = int(value or 1)
    except ValueError:
        return None
    return number if number >= 1 else None


def search_page(
    criteria: Criteria, *, number: int, vocabulary: Vocabulary | None = None, per_page: int = PER_PAGE
) -> ResultPage:
    """Page `number` (from 1) of a search. Raises Http404 past the last page."""
    if number > MAX_PAGE:
        raise Http404("No such page.")
    offset = (number - 1) * per_page
    if criteria.is_bounded:
        rows, count = search_rows(criteria, limit=per_page, offset=offset)
        if not rows and criteria.can_be_fuzzy and (number == 1 or search_count(criteria) == 0):
            # Nothing matches the words as typed: show names spelled like them ("sunrse").
            fuzzy = dataclasses.replace(criteria, fuzzy=True)
            rows, count = search_rows(fuzzy, limit=per_page, offset=offset)
            page = _finish(rows, count, number, per_page, criteria.place, vocabulary)
            page.fuzzy = True
            return page
    else:
        # The page itself comes from an index in order; only the count reads everything.
        rows, _ = search_rows(criteria, limit=per_page, offset=offset, count=False)
        # A count kept a minute may be a little behind: never below what this page shows.
        count = max(_unbounded_count(criteria), offset + len(rows)) if rows else 0
    return _finish(rows, count, number, per_page, criteria.place, vocabulary)


def queryset_page(queryset, *, number: int, vocabulary: Vocabulary | None = None, per_page: int = PER_PAGE):
    """Page `number` (from 1) of an ordered Center QuerySet. Raises Http404 past the last page."""
    if number > MAX_PAGE:
        raise Http404("No such page.")
    offset = (number - 1) * per_page
    values = list(
        queryset.annotate(total_count=Window(Count("*"))).values_list(*COLUMNS, "total_count")[
            offset : offset + per_page
        ]
    )
    rows = [ResultRow(*row[:10], None) for row in values]
    return _finish(rows, values[0][10] if values else 0, number, per_page, None, vocabulary)


def _unbounded_count(criteria: Criteria) -> int:
    described = repr((connection.vendor, criteria.facets_key, criteria.accepting))
    key = "directory:search-count:" + hashlib.sha256(described.encode()).hexdigest()[:32]
    count = cache.get(key)
    if count is None:
        count = search_count(criteria)
        cache.set(key, count, UNBOUNDED_COUNT_SECONDS)
    return count


def _finish(rows, count, number, per_page, place, vocabulary) -> ResultPage:
    if not rows:
        if number > 1:
            raise Http404("No such page.")
        return ResultPage([], number, 0, per_page)
    rows_attach_details(rows, place=place, vocabulary=vocabulary or vocabulary_load())
    return ResultPage(rows, number, count, per_page)


def rows_attach_details(rows: list[ResultRow], *, place: geo.Place | None, vocabulary: Vocabulary) -> None:
    """Give each row `locations` (nearest to `place` first, else in their order) and
    `offers` (in the treatments' order, each with its vocabulary `term`).

    One query for both: each center's locations joined with its treatment details. A
    center has one or two locations and a few treatments, so the cross product is small,
    and a round trip less per search is worth it.
    """
    ids = [row.id for row in rows]
    marks = ", ".join(["%s"] * len(ids))
    # Only placeholders are formatted into this statement.
    sql = (
        "SELECT c.id, l.id, l.street1, l.street2, l.city, l.state, l.zip, l.latitude, l.longitude, l.phone,"  # noqa: S608
        " ct.id, ct.treatment_id, ct.tms_variant, ct.ketamine_route, ct.spravato_rems_certified, ct.ect_setting,"
        " ct.vns_role, ct.psychedelic_program, ct.self_pay_price, ct.price_unit"
        " FROM directory_center c"
        " LEFT JOIN directory_location l ON l.center_id = c.id"
        " LEFT JOIN directory_centertreatment ct ON ct.center_id = c.id"
        f" WHERE c.id IN ({marks}) ORDER BY l.sort_order, l.id"
    )
    locations: dict[int, dict[int, LocationRow]] = {pk: {} for pk in ids}
    offers: dict[int, dict[int, OfferRow]] = {pk: {} for pk in ids}
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        for row in cursor.fetchall():
            center_id, location_id, offer_id = row[0], row[1], row[10]
            if location_id is not None and location_id not in locations[center_id]:
                locations[center_id][location_id] = LocationRow(*row[2:10])
            if offer_id is not None and offer_id not in offers[center_id]:
                offer = OfferRow(*row[11:20])
                if offer.self_pay_price is not None and not isinstance(offer.self_pay_price, Decimal):
                    offer.self_pay_price = Decimal(str(offer.self_pay_price))  # SQLite gives a float
                offers[center_id][offer_id] = offer
    terms = vocabulary.treatments_by_id()
    order = {term.id: n for n, term in enumerate(vocabulary.terms["treatment"])}
    for row in rows:
        row.locations = list(locations[row.id].values())
        if place and len(row.locations) > 1:
            row.locations.sort(
                key=lambda loc: geo.haversine_miles(place.latitude, place.longitude, loc.latitude, loc.longitude)
            )
        row.offers = sorted(
            (offer for offer in offers[row.id].values() if offer.treatment_id in terms),
            key=lambda offer: order[offer.treatment_id],
        )
        for offer in row.offers:
            offer.term = terms[offer.treatment_id]
