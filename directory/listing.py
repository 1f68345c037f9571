"""One page of search results, read in a fixed number of queries whatever the page size
or the size of the directory: the page with its total count (a window function, so no
second COUNT query), then the locations and the treatment details of those centers.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Window
from django.http import Http404

from directory import geo
from directory.models import Center, CenterTreatment, Location

PER_PAGE = 20
MAX_PAGE = 100_000  # beyond any directory we will have; keeps OFFSET a sane number

# What a result card (and an API result) shows; the rest of a center stays in the database.
CARD_FIELDS = [
    "id",
    "name",
    "slug",
    "phone",
    "status",
    "accepting_new_patients",
    "accepting_checked_on",
    "last_verified_on",
    "verification_method",
    "source",
]


@dataclass
class ResultPage:
    centers: list[Center]
    number: int
    count: int
    per_page: int = PER_PAGE
    numbers: list[int | None] = field(default_factory=list)

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


def card_queryset(queryset):
    """The columns and related rows a result card needs, declared once."""
    return queryset.only(*CARD_FIELDS).prefetch_related(
        Prefetch("locations", queryset=Location.objects.order_by("sort_order", "id")),
        Prefetch("treatment_details", queryset=CenterTreatment.objects.select_related("treatment")),
    )


def results_page(queryset, *, number: int, place: geo.Place | None = None, per_page: int = PER_PAGE) -> ResultPage:
    """Centers of page `number` (from 1), each with `location` (the nearest to `place`,
    else the first) and `offers` (treatment details). Raises Http404 past the last page."""
    if number > MAX_PAGE:
        raise Http404("No such page.")
    offset = (number - 1) * per_page
    centers = list(card_queryset(queryset).annotate(total_count=Window(Count("*")))[offset : offset + per_page])
    if not centers:
        if number > 1:
            raise Http404("No such page.")
        return ResultPage([], number, 0, per_page)
    for center in centers:
        center_prepare_card(center, place=place)
    return ResultPage(centers, number, centers[0].total_count, per_page)


def center_prepare_card(center: Center, *, place: geo.Place | None) -> None:
    """Set what a card shows: `location` (nearest to `place`, else the first), the phone
    to call (that location's, else the center's) and `offers`."""
    locations = list(center.locations.all())
    if place and len(locations) > 1:
        locations.sort(
            key=lambda loc: geo.haversine_miles(place.latitude, place.longitude, loc.latitude, loc.longitude)
        )
    center.sorted_locations = locations
    center.location = locations[0] if locations else None
    center.call_phone = (center.location.phone if center.location else "") or center.phone
    center.offers = list(center.treatment_details.all())
    if not hasattr(center, "distance_miles"):
        center.distance_miles = None
