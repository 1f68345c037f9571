"""What the listing page shows around its results: the heading, the problems with the
request in plain words, the active filters as removable chips, what to loosen when nothing
matches, the form's options and the points for the map. Built from the FilterSet's usable
values, so every link it makes is a clean search (no leftover bad values). The markup is
in templates/directory/center_list.html and templates/includes/search_form.html."""

import dataclasses
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from directory import geo
from directory.formatting import miles
from directory.search.params import (
    ACCEPTING_FIRST_OPTION,
    ANY_DISTANCE,
    APPLIED_SORT_LABELS,
    DEFAULT_RADIUS,
    LABELS,
    MAX_RADIUS,
    MAX_TEXT,
    MORE_FILTERS,
    RADIUS_CHOICES,
    SORTS,
    WIDER_RADII,
    CenterFilterSet,
)
from directory.search.query import (
    PER_PAGE,
    ResultRow,
    Results,
    centers_in_state,
    nearest_match_miles,
    rows_attach_details,
    search_counts,
    search_rows,
)
from directory.search.vocabulary import VOCABULARIES
from directory.term_names import term_label

# The language slug behind the "centers that speak Spanish" chip on Spanish pages.
SPANISH = "spanish"


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Relaxation:
    """A looser search that finds something, with how many it finds."""

    label: str
    url: str
    count: int


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


def listing_search(data) -> tuple[CenterFilterSet, str]:
    """The listing's search of `data` (request.GET), and what the person typed as the place
    when we read it as another: a misspelled city that clearly means one city of its state
    ("Jaksonville, FL") is searched as that city, and the page says so. Several cities
    that could fit are asked about instead (SearchPage.place_suggestions)."""
    search = CenterFilterSet(data)
    if not search.form.has_error("near", code="unknown_place"):
        return search, ""
    typed = " ".join(str(data.get("near", "")).split())
    place = geo.clear_spelling(typed)
    if place is None:
        return search, ""
    corrected = data.copy()
    corrected.setlist("near", [place.label])
    return CenterFilterSet(corrected, vocabulary=search.vocabulary), typed


def place_needed(search: CenterFilterSet) -> bool:
    """Whether to ask where to look instead of listing: no place we could use, and no name
    to search for (or a place given that we could not read). A list of the whole country
    under a heading that reads local helps no one looking for care near them."""
    if search.place is not None:
        return False
    return not search.usable.get("q") or "near" in search.errors


def no_results() -> Results:
    """What the listing shows while it asks for a place: nothing, without a query."""
    return Results(Paginator([], PER_PAGE).page(1))


class SearchPage:
    # For the form: its labels, and the default radius as a data- attribute (static/js/search.js).
    labels = LABELS
    default_radius = DEFAULT_RADIUS
    max_text = MAX_TEXT

    def __init__(
        self,
        request,
        search: CenterFilterSet,
        results: Results,
        *,
        page_was_valid: bool = True,
        corrected_from: str = "",
    ):
        self.needs_place = place_needed(search)
        self.corrected_from = corrected_from
        self.page = results.page
        self.count = results.page.paginator.count
        self._criteria = search.criteria
        self.place = search.place
        self.radius = search.radius_miles
        self.sort = search.sort_applied
        self._default_sort = search.sort_default
        usable = search.usable
        self.vocabulary = search.vocabulary
        self.selected = {parameter: list(usable.get(parameter) or []) for parameter in VOCABULARIES}
        self.q = usable.get("q") or ""
        self.accepting = bool(usable.get("accepting"))
        self.evidence = usable.get("evidence") or ""
        self.explicit_sort = usable.get("sort") or ""
        # What the person typed, shown back in the box even when we could not use it.
        self.near_text = " ".join(str(search.data.get("near", "")).split())[:100]
        if self.place and self.place.from_device:  # links carry the position to 2 decimals, never finer
            self.near_text = self.place.rounded_position
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
    def what(self) -> str:
        """ "TMS or ECT centers", or "Treatment centers"."""
        names = [
            term_label(term.short_name)
            for term in self.vocabulary.terms["treatment"]
            if term.slug in self.selected["treatment"]
        ]
        if 0 < len(names) <= 3:
            return gettext("%(treatments)s centers") % {"treatments": gettext(" or ").join(names)}
        return gettext("Treatment centers")

    @cached_property
    def heading(self) -> str:
        what = self.what
        if self.needs_place:
            return gettext("Which place did you mean?") if self.place_suggestions else gettext("Where should we look?")
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
        return APPLIED_SORT_LABELS[self.sort]

    @cached_property
    def none_known_accepting(self) -> bool:
        """In the accepting-first order the first result is not known to accept, so none is:
        said above a list of several, lest "sorted by accepting first" read as "the first one is
        accepting" (a single result names no order, and its card says what is known)."""
        return (
            self.sort == "accepting" and self.count > 1 and self.page.number == 1
            and self.page.object_list[0].accepting_new_patients != "yes"
        )  # fmt: skip

    @cached_property
    def distance_only_url(self) -> str:
        """The same search in plain distance order, offered beside "accepting first"."""
        return self.url(replace={"sort": "distance"}) if self.sort == "accepting" else ""

    @cached_property
    def ask_place_hidden(self) -> list[tuple[str, str]]:
        """The rest of the search, carried by the form that asks for a place."""
        return [(name, value) for name, value in self._base if name not in ("near", "radius", "sort")]

    @cached_property
    def not_what_you_meant_url(self) -> str:
        """Back to asking for a place, the rest of the search kept."""
        return self.url(without=("near", None))

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
    def _nearest_at_any_distance(self) -> float | None:
        """Miles to the nearest center that matches everything but the radius, wherever it is:
        asked only when nothing matched near a place (one more query). Not with a text search:
        a nearest-neighbour walk cannot use the text's index."""
        if not self._wider_radius_could_help or self.q:
            return None
        return nearest_match_miles(self._criteria, within=float(ANY_DISTANCE))

    @cached_property
    def nearest_match(self) -> float | None:
        """Miles to the nearest matching center, when it is within the largest radius."""
        nearest = self._nearest_at_any_distance
        return nearest if nearest is not None and nearest <= MAX_RADIUS else None

    @cached_property
    def nothing_nearby_note(self) -> str:
        """Said instead of a wider radius when even the largest finds nothing; "anywhere" when
        no center at any distance matches, rather than a radius that suggests one lies beyond."""
        if self._wider_radius_could_help and not self.q and self.nearest_match is None:
            if self._nearest_at_any_distance is None:  # e.g. VNS: SAMHSA's list has no code for it
                return gettext("No center anywhere in our directory matches this search yet.")
            return gettext("No center within %(radius)s miles of %(place)s matches this search.") % {
                "radius": MAX_RADIUS,
                "place": self.place.label,
            }
        return ""

    @cached_property
    def loosen(self) -> list[Relaxation]:
        """When nothing matches: looser searches that do find something, each with its count
        (counted together in one query, only on an empty page): the radius that reaches the
        nearest match, or the same search without one filter. None that would lead to another
        empty page."""
        candidates = []
        if self._wider_radius_could_help and self.q:  # no nearest match with a text: the next two radii
            for radius in [radius for radius in WIDER_RADII if radius > self.radius][:2]:
                candidates.append((
                    gettext("Search within %(radius)s miles") % {"radius": radius},
                    self.url(replace={"radius": str(radius)}),
                    dataclasses.replace(self._criteria, radius=float(radius)),
                ))  # fmt: skip
        nearest = self.nearest_match
        if nearest is not None:
            radius = next(radius for radius in WIDER_RADII if radius >= nearest)
            candidates.append((
                gettext("Search within %(radius)s miles: the nearest match is %(distance)s away")
                % {"radius": radius, "distance": miles(nearest)},
                self.url(replace={"radius": str(radius)}),
                dataclasses.replace(self._criteria, radius=float(radius)),
            ))  # fmt: skip
        for label, url, criteria in self._without_one_filter():
            candidates.append((gettext("Remove “%(filter)s”") % {"filter": label}, url, criteria))
        counts = search_counts([criteria for _label, _url, criteria in candidates])
        return [
            Relaxation(label, url, count)
            for (label, url, _criteria), count in zip(candidates, counts, strict=True)
            if count
        ]

    def _without_one_filter(self):
        """(chip label, URL, criteria) for the search without each of its filters but the place."""
        criteria = self._criteria
        if self.q:
            yield f"“{self.q}”", self.url(without=("q", None)), dataclasses.replace(criteria, q="")
        for parameter in VOCABULARIES:
            terms = self.vocabulary.by_slug(parameter)
            for slug in self.selected[parameter]:
                facets = dict(criteria.facets)
                facets[parameter] = tuple(value for value in facets.get(parameter, ()) if value != slug)
                looser = dataclasses.replace(criteria, facets=facets)
                yield term_label(terms[slug].short_name), self.url(without=(parameter, slug)), looser
        if self.accepting:
            yield (
                LABELS["accepting"],
                self.url(without=("accepting", None)),
                dataclasses.replace(criteria, accepting=False),
            )

    @cached_property
    def nearest_anywhere(self) -> ResultRow | None:
        """The nearest center matching every filter at any distance, when none is within the
        largest radius: named, so that an empty search still leads to a real center."""
        if not self.nothing_nearby_note or self._nearest_at_any_distance is None:
            return None  # (None: no center anywhere matches, so there is nothing to look up)
        anywhere = dataclasses.replace(self._criteria, radius=float(ANY_DISTANCE), sort="distance")
        rows, _ = search_rows(anywhere, limit=1, count=False)
        if rows:
            rows_attach_details(rows, place=self.place, vocabulary=self.vocabulary)
        return rows[0] if rows else None

    @cached_property
    def telehealth_in_state(self) -> tuple[list, int]:
        """Up to three centers in the place's state that offer telehealth visits, and how many
        there are: care that needs no drive, when nothing is near."""
        if not self.place or self.count:
            return [], 0
        return centers_in_state(self.place.state, {"setting": ("telehealth",)}, limit=3)

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
    def payment_options(self) -> list[Option]:
        chosen = set(self.selected["payment"])
        return [Option(slug, term_label(label), slug in chosen) for slug, label in self.vocabulary.choices("payment")]

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
        """The orders a person can pick. The one applied when none is asked for is named for
        what it does (never "Default"); when it is one of the named orders, it is that one."""
        default = self._default_sort
        chosen = self.explicit_sort or default
        options = [Option(value, label, value == chosen) for value, label in SORTS.items()]
        if default not in SORTS:
            label = ACCEPTING_FIRST_OPTION if default == "accepting" else APPLIED_SORT_LABELS[default]
            options.insert(0, Option("", label, chosen == default))
        return options

    @cached_property
    def choices_key(self) -> str:
        """Everything the form's kept choices show (the radius, treatments, payments, the two
        checkboxes and the order, in the vocabulary's version): their key in the fragments cache."""
        return repr((
            self.vocabulary.version, self.radius, self.selected["treatment"], self.selected["payment"],
            self.accepting, self.evidence, self.explicit_sort, self._default_sort,
        ))  # fmt: skip

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
