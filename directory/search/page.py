"""What the listing page shows around its results: the heading, the problems with the
request in plain words, the active filters as removable chips, what to loosen when nothing
matches, the form's options and the points for the map. Built from the FilterSet's usable
values, so every link it makes is a clean search (no leftover bad values). The markup is
in templates/directory/center_list.html and templates/includes/search_form.html."""

from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext, ngettext

from directory import geo
from directory.formatting import miles
from directory.search.params import (
    DEFAULT_RADIUS,
    LABELS,
    MAX_RADIUS,
    MAX_TEXT,
    MORE_FILTERS,
    RADIUS_CHOICES,
    RELEVANCE_LABEL,
    SORTS,
    WIDER_RADII,
    CenterFilterSet,
)
from directory.search.query import Results, nearest_match_miles
from directory.search.vocabulary import VOCABULARIES
from directory.term_names import term_label

# The language slug behind the "centers that speak Spanish" chip on Spanish pages.
SPANISH = "spanish"


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    checked: bool


@dataclass(frozen=True)
class FilterGroup:
    parameter: str
    legend: str
    options: list[Option]
    selected_count: int


class SearchPage:
    # For the form: its labels, and the default radius as a data- attribute (static/js/search.js).
    labels = LABELS
    default_radius = DEFAULT_RADIUS
    max_text = MAX_TEXT

    def __init__(self, request, search: CenterFilterSet, results: Results, *, page_was_valid: bool = True):
        self.page = results.page
        self.count = results.page.paginator.count
        self._criteria = search.criteria
        self.place = search.place
        self.radius = search.radius_miles
        self.sort = search.sort_applied
        usable = search.usable
        self.vocabulary = search.vocabulary
        self.selected = {parameter: list(usable.get(parameter) or []) for parameter in VOCABULARIES}
        self.q = usable.get("q") or ""
        self.accepting = bool(usable.get("accepting"))
        self.evidence = usable.get("evidence") or ""
        self.explicit_sort = usable.get("sort") or ""
        # What the person typed, shown back in the box even when we could not use it.
        self.near_text = " ".join(request.GET.get("near", "").split())[:100]
        self.problems = [str(message) for messages in search.errors.values() for message in messages]
        self.problem_fields = set(search.errors)
        if not page_was_valid:
            self.problems.append(gettext("That is not a page number, so here is the first page."))
        self.fuzzy_note = (
            gettext("Nothing matches “%(text)s” exactly, so these are centers whose names are spelled like it.")
            % {"text": self.q}
            if results.fuzzy
            else ""
        )
        self._base = self._clean_parameters()
        self.place_suggestions = self._place_suggestions(search)
        # The place box is marked invalid (also redrawn by static/js/search.js after a live update).
        self.near_invalid = bool(self.place_suggestions) or "near" in self.problem_fields

    # The clean search, as query parameters.

    def _clean_parameters(self) -> list[tuple[str, str]]:
        params: list[tuple[str, str]] = []
        if self.q:
            params.append(("q", self.q))
        if self.place:
            params.append(("near", self.near_text))
            if self.radius != DEFAULT_RADIUS:
                params.append(("radius", f"{self.radius:g}"))
        for parameter in VOCABULARIES:
            params.extend((parameter, slug) for slug in self.selected[parameter])
        if self.accepting:
            params.append(("accepting", "1"))
        if self.evidence:
            params.append(("evidence", self.evidence))
        if self.explicit_sort and self.explicit_sort == self.sort:
            params.append(("sort", self.explicit_sort))
        return params

    def url(self, *, without: tuple[str, str | None] | None = None, replace: dict | None = None) -> str:
        """The listing URL for this search minus one value (or a whole parameter), or with some replaced."""
        params = self._base
        if without:
            name, value = without
            params = [(k, v) for k, v in params if not (k == name and (value is None or v == value))]
            if name == "near":
                params = [(k, v) for k, v in params if k != "radius"]
        if replace:
            params = [(k, v) for k, v in params if k not in replace] + list(replace.items())
        query = urlencode(params)
        return self.clear_url + (f"?{query}" if query else "")

    # Words.

    @cached_property
    def is_active(self) -> bool:
        return bool(self._base)

    @cached_property
    def heading(self) -> str:
        names = [
            term_label(term.short_name)
            for term in self.vocabulary.terms["treatment"]
            if term.slug in self.selected["treatment"]
        ]
        if 0 < len(names) <= 3:
            what = gettext("%(treatments)s centers") % {"treatments": gettext(" or ").join(names)}
        else:
            what = gettext("Treatment centers")
        if self.place:
            return gettext("%(what)s near %(place)s") % {"what": what, "place": self.place.label}
        if self.q:
            return gettext("%(what)s matching “%(text)s”") % {"what": what, "text": self.q}
        return what

    @cached_property
    def count_text(self) -> str:
        """What the search found ("6 centers within 25 miles"), for the page's description too."""
        count = f"{self.count:,}"
        if self.place:
            return ngettext(
                "%(count)s center within %(radius)s miles", "%(count)s centers within %(radius)s miles", self.count
            ) % {"count": count, "radius": f"{self.radius:g}"}
        return ngettext("%(count)s center", "%(count)s centers", self.count) % {"count": count}

    @cached_property
    def summary(self) -> str:
        if self.count > self.page.paginator.per_page:
            return gettext("%(found)s · showing %(first)s–%(last)s") % {
                "found": self.count_text,
                "first": f"{self.page.start_index():,}",
                "last": f"{self.page.end_index():,}",
            }
        return self.count_text

    @cached_property
    def sort_label(self) -> str:
        return {**SORTS, "relevance": RELEVANCE_LABEL}[self.sort]

    # Chips, suggestions, form.

    @cached_property
    def chips(self) -> list[Link]:
        chips = []
        if self.place:
            chips.append(
                Link(
                    gettext("Within %(radius)s mi of %(place)s")
                    % {"radius": f"{self.radius:g}", "place": self.place.label},
                    self.url(without=("near", None)),
                )
            )
        if self.q:
            chips.append(Link(f"“{self.q}”", self.url(without=("q", None))))
        for parameter in VOCABULARIES:
            terms = self.vocabulary.by_slug(parameter)
            for slug in self.selected[parameter]:
                chips.append(Link(term_label(terms[slug].short_name), self.url(without=(parameter, slug))))
        if self.accepting:
            chips.append(Link(LABELS["accepting"], self.url(without=("accepting", None))))
        if self.evidence:
            chips.append(Link(LABELS["evidence"], self.url(without=("evidence", None))))
        return chips

    @cached_property
    def spanish_speaking_url(self) -> str:
        """This search, also asking for centers that speak Spanish: the one-tap chip on
        Spanish pages ("" when the search already asks, or no such language is known)."""
        if SPANISH in self.selected["language"] or SPANISH not in self.vocabulary.slugs("language"):
            return ""
        return f"{self.clear_url}?{urlencode([*self._base, ('language', SPANISH)])}"

    @cached_property
    def clear_url(self) -> str:
        return reverse("directory:center_list")

    @property
    def _wider_radius_could_help(self) -> bool:
        """Nothing matched near a place, within less than the largest radius."""
        return bool(self.place) and not self.count and self.radius < MAX_RADIUS

    @cached_property
    def nearest_match(self) -> float | None:
        """Miles to the nearest center that matches everything but the radius, up to the
        largest radius: asked only when nothing matched near a place (one more query).
        Not with a text search: a nearest-neighbour walk cannot use the text's index."""
        if not self._wider_radius_could_help or self.q:
            return None
        return nearest_match_miles(self._criteria, within=float(MAX_RADIUS))

    @cached_property
    def nothing_nearby_note(self) -> str:
        """Said instead of a wider radius when even the largest finds nothing."""
        if self._wider_radius_could_help and not self.q and self.nearest_match is None:
            return gettext("No center within %(radius)s miles of %(place)s matches this search.") % {
                "radius": MAX_RADIUS,
                "place": self.place.label,
            }
        return ""

    @cached_property
    def loosen(self) -> list[Link]:
        """When nothing matches: the radius that reaches the nearest match (none when even
        the largest radius finds nothing), or the same search without one filter."""
        links = []
        if self._wider_radius_could_help and self.q:  # no nearest match with a text: the next two radii
            links.extend(
                Link(
                    gettext("Search within %(radius)s miles") % {"radius": radius},
                    self.url(replace={"radius": str(radius)}),
                )
                for radius in [radius for radius in WIDER_RADII if radius > self.radius][:2]
            )
        nearest = self.nearest_match
        if nearest is not None:
            radius = next(radius for radius in WIDER_RADII if radius >= nearest)
            links.append(
                Link(
                    gettext("Search within %(radius)s miles: the nearest match is %(distance)s away")
                    % {"radius": radius, "distance": miles(nearest)},
                    self.url(replace={"radius": str(radius)}),
                )
            )
        for chip in self.chips[1:] if self.place else self.chips:  # the place's chip comes first
            links.append(Link(gettext("Remove “%(filter)s”") % {"filter": chip.label}, chip.url))
        return links

    def _place_suggestions(self, search: CenterFilterSet) -> list[Link]:
        if search.form.has_error("near", code="ambiguous"):
            places = geo.places_named(search.data.get("near", ""))
        elif search.form.has_error("near", code="unknown_place"):
            places = geo.places_spelled_like(search.data.get("near", ""))
        else:
            return []
        return [Link(place.label, self.url(replace={"near": place.label})) for place in places]

    @cached_property
    def filter_groups(self) -> list[FilterGroup]:
        groups = []
        for parameter in MORE_FILTERS:
            chosen = set(self.selected[parameter])
            options = [
                Option(slug, term_label(label), slug in chosen) for slug, label in self.vocabulary.choices(parameter)
            ]
            groups.append(FilterGroup(parameter, LABELS[parameter], options, len(chosen)))
        return groups

    @cached_property
    def treatment_options(self) -> list[Option]:
        chosen = set(self.selected["treatment"])
        return [
            Option(term.slug, term_label(term.short_name), term.slug in chosen)
            for term in self.vocabulary.terms["treatment"]
        ]

    @cached_property
    def radius_options(self) -> list[Option]:
        radii = sorted({*RADIUS_CHOICES, MAX_RADIUS, int(self.radius)})
        return [
            Option(
                str(radius),
                ngettext("%(count)s mile", "%(count)s miles", radius) % {"count": radius},
                radius == self.radius,
            )
            for radius in radii
        ]

    @cached_property
    def sort_options(self) -> list[Option]:
        options = [
            Option("", RELEVANCE_LABEL if self.q and not self.place else gettext("Default"), not self.explicit_sort)
        ]
        return options + [Option(value, label, value == self.explicit_sort) for value, label in SORTS.items()]

    @cached_property
    def more_filters_selected(self) -> list[tuple[str, list[str]]]:
        return [(parameter, self.selected[parameter]) for parameter in MORE_FILTERS]

    @cached_property
    def more_filters_count(self) -> int:
        return sum(len(self.selected[p]) for p in MORE_FILTERS) + bool(self.q) + bool(self.accepting)

    @cached_property
    def map_points(self) -> list[dict]:
        return [
            {
                "name": row.name,
                "url": f"{self.clear_url}{row.slug}/",
                "lat": row.location.latitude,
                "lng": row.location.longitude,
                "distance": None if row.distance_miles is None else round(row.distance_miles, 1),
            }
            for row in self.page
            if row.location
        ]
