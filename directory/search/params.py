"""What a search asks for: the listing's parameters, their labels and defaults, the form
that validates them, and `Criteria`, the validated search that directory/search/query.py runs.

Parameters (PRODUCT.md): q, near, radius, treatment, setting, payment, age, language
(repeatable: a center matches if it has any of the values), accepting, evidence
(`medicare`: clinicians there billed Medicare for TMS, ECT or esketamine), sort. Different
parameters combine with AND. The listing, the API and the search form all read the
parameter names, labels, sort options and radii from here.

The form is lenient. Whatever it cannot use is reported in `form.errors` (the listing
shows it in plain words, the API answers 400 naming it), and what can be salvaged is
kept in `form.usable`: the known treatments of a list that also holds an unknown slug,
the largest radius instead of a larger one, the default sort instead of a bad one.
"""

import copy
from dataclasses import dataclass, field

import django_filters
from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from directory import geo
from directory.models import Center
from directory.search.vocabulary import VOCABULARIES, Vocabulary, vocabulary_load

DEFAULT_RADIUS = 25
MAX_RADIUS = 500
RADIUS_CHOICES = [5, 10, 25, 50, 100, 250]
# The radii offered when nothing matched: the first that reaches the nearest match.
WIDER_RADII = [25, 50, 100, 250, MAX_RADIUS]
# Half the Earth's circumference: every place is within it. For naming the nearest match
# when none is within MAX_RADIUS (Alaska, Hawaii, the territories).
ANY_DISTANCE = 12_500
MAX_TEXT = 200
# Orders a person can choose, with their labels; "relevance" is applied to a text search
# without a place, and never asked for by name.
SORTS = {"distance": _("Distance"), "name": _("Name"), "verified": _("Most recently verified")}
RELEVANCE_LABEL = _("Best match")
# Applied near a place unless another order is asked for: centers accepting new patients,
# then those not known to, then those not accepting, each nearest first. Someone tired
# should reach a center that can take them with their first call.
ACCEPTING_FIRST_LABEL = _("Accepting new patients first, then nearest")
# Its name in the sort menu: short enough for the filter panel at 320 px and at 1280 px
# (a third of the page); the line above the results says it in full.
ACCEPTING_FIRST_OPTION = _("Accepting, then nearest")
APPLIED_SORT_LABELS = {**SORTS, "relevance": RELEVANCE_LABEL, "accepting": ACCEPTING_FIRST_LABEL}
# The labels of the parameters, in the order of the filter form.
LABELS = {
    "q": _("Name or keyword"),
    "near": _("City and state, or ZIP code"),
    "radius": _("Within"),
    "treatment": _("Treatment"),
    "setting": _("Care setting"),
    "payment": _("Payment"),
    "age": _("Ages"),
    "language": _("Language"),
    "accepting": _("Accepting new patients"),
    "evidence": _("Billed Medicare for TMS, ECT or esketamine"),
    "sort": _("Sort by"),
}
# evidence=medicare: centers with Medicare claims evidence (directory/medicare/), the only kind there is.
EVIDENCE_CHOICES = {"medicare": _("Medicare claims")}
# The repeatable parameters folded under "More filters" (treatment and payment are always shown:
# what is offered and how to pay for it are what people decide on).
MORE_FILTERS = ["setting", "age", "language"]


@dataclass(frozen=True)
class Criteria:
    """What to search for, already validated (CenterFilterSet.criteria)."""

    q: str = ""
    place: geo.Place | None = None
    radius: float = DEFAULT_RADIUS
    facets: dict[str, tuple[str, ...]] = field(default_factory=dict)
    accepting: bool = False
    sort: str = "name"
    # Names spelled like `q` instead of full-text matches: the fallback when those find none.
    fuzzy: bool = False

    @property
    def facets_key(self) -> tuple:
        return tuple(sorted((facet, tuple(sorted(slugs))) for facet, slugs in self.facets.items() if slugs))

    @property
    def is_bounded(self) -> bool:
        """Whether the database can find the matches without reading every center."""
        return bool(self.place or self.q)


class SearchField:
    """Copied as it is: a form deep-copies its fields for every search, and these keep
    nothing of a search (the form gives SlugsField its `allowed` slugs each time)."""

    def __deepcopy__(self, memo):
        return copy.copy(self)


class PlaceField(SearchField, forms.CharField):
    """A 5-digit ZIP or "City, ST", geocoded offline to a `geo.Place`; or a latitude and
    longitude from "Use my location" ("30.29,-81.63"), kept to 2 decimals."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)

    def clean(self, value):
        text = " ".join(super().clean(value).split())
        if not text:
            return None
        coordinates = geo.rounded_coordinates(text)
        if coordinates:  # "Use my location"
            place = geo.coordinates_place(*coordinates)
            if place is None:
                raise forms.ValidationError(
                    gettext("Your location seems to be outside the United States: please type a city or ZIP code."),
                    code="outside",
                )
            return place
        place = geo.find_place(text)
        if place is None:
            candidates = geo.places_named(text)
            if len(candidates) == 1:  # "Tallahassee" needs no state: there is only one
                return candidates[0]
            if candidates:
                raise forms.ValidationError(
                    gettext("Several places are called “%(text)s”: add the state, like “%(example)s”.")
                    % {"text": text, "example": candidates[0].label},
                    code="ambiguous",
                )
            if geo.ZIP_RE.match(text.replace(" ", "")):
                raise forms.ValidationError(
                    gettext(
                        "We don't know the ZIP code “%(text)s”. Please check it, or type a city and state "
                        "like “Jacksonville, FL”."
                    )
                    % {"text": text},
                    code="unknown_place",
                )
            raise forms.ValidationError(
                gettext(
                    "We couldn't find a place called “%(text)s”. Try a 5-digit ZIP code, or a city and state "
                    "like “Jacksonville, FL”."
                )
                % {"text": text},
                code="unknown_place",
            )
        return place


class RadiusField(SearchField, forms.FloatField):
    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=MAX_RADIUS, **kwargs)
        # Lazy: the field is built once and its messages are read in each request's language.
        self.error_messages["invalid"] = format_lazy(
            _("The distance must be a number of miles; we used {radius}."), radius=DEFAULT_RADIUS
        )
        self.error_messages["min_value"] = format_lazy(
            _("The distance must be at least 1 mile; we used {radius}."), radius=DEFAULT_RADIUS
        )
        self.error_messages["max_value"] = format_lazy(
            _("The largest distance is {radius} miles; we used {radius}."), radius=MAX_RADIUS
        )

    def salvage(self, value):
        try:
            return MAX_RADIUS if float(value) > MAX_RADIUS else None
        except (TypeError, ValueError):
            return None


class SlugsField(SearchField, forms.Field):
    """Repeatable slugs of one vocabulary; empty values are ignored, unknown ones reported
    and dropped. (Not a MultipleChoiceField: the form is rebuilt for every search, and
    copying and normalizing choices each time costs more than the whole filter.)"""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, noun: str, allowed: frozenset[str] = frozenset(), **kwargs):
        self.noun = noun
        self.allowed = allowed
        super().__init__(**kwargs)

    def to_python(self, value):
        values = value if isinstance(value, list | tuple) else [value] if value else []
        return [slug for slug in dict.fromkeys(str(v).strip() for v in values) if slug]

    def validate(self, value):
        unknown = [slug for slug in value if slug not in self.allowed]
        if unknown:
            listed = "”, “".join(unknown)[:100]
            raise forms.ValidationError(
                gettext("We don't know the %(noun)s “%(listed)s”, so we left it out.")
                % {"noun": self.noun, "listed": listed},
                code="unknown",
            )

    def salvage(self, value):
        return [slug for slug in self.to_python(value) if slug in self.allowed]


class TextField(SearchField, forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(max_length=MAX_TEXT, **kwargs)
        self.error_messages["max_length"] = format_lazy(
            _("We searched for the first {count} characters of your text."), count=MAX_TEXT
        )
        self.error_messages["null_characters_not_allowed"] = _("We left out characters that cannot be searched for.")

    def salvage(self, value):
        text = "".join(char for char in str(value) if char.isprintable() or char.isspace())
        return " ".join(text[:MAX_TEXT].split()) or None


class AcceptingField(SearchField, forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            choices=[("", _("Any")), ("1", LABELS["accepting"])],
            coerce=lambda value: value == "1",
            empty_value=False,
            **kwargs,
        )
        self.error_messages["invalid_choice"] = _("To see only centers accepting new patients, use accepting=1.")


class EvidenceField(SearchField, forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=[("", _("Any")), *EVIDENCE_CHOICES.items()], **kwargs)
        self.error_messages["invalid_choice"] = _(
            "To see only centers whose clinicians billed Medicare for TMS, ECT or esketamine, use evidence=medicare."
        )


class SortField(SearchField, forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=[("", RELEVANCE_LABEL), *SORTS.items()], **kwargs)
        self.error_messages["invalid_choice"] = _("We can sort by distance, name or most recently verified.")


class CenterSearchForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("sort") == "distance" and not cleaned.get("near") and not self.has_error("near"):
            self.add_error("sort", gettext("Sorting by distance needs a place: enter a city or ZIP code."))
        return cleaned

    def full_clean(self):
        super().full_clean()
        if self.is_bound:
            self.usable = dict(self.cleaned_data)
            for name in self.errors:
                if name in self.fields and hasattr(self.fields[name], "salvage"):
                    value = self.fields[name].salvage(self[name].data)
                    if value not in (None, [], ""):
                        self.usable[name] = value


class SearchFilter(django_filters.Filter):
    """A declared search parameter. The search itself is one query in
    directory/search/query.py, which reads `CenterFilterSet.criteria`; these filters only
    declare and validate, so filtering a QuerySet with them is refused rather than done
    by a second set of rules. A FilterSet deep-copies its filters for every search, and a
    shallow copy with its own `extra` is all an instance needs."""

    def filter(self, qs, value):
        raise NotImplementedError("The search runs CenterFilterSet.criteria through directory/search/query.py.")

    def __deepcopy__(self, memo):
        duplicate = copy.copy(self)
        duplicate.extra = dict(self.extra)
        return duplicate


class PlaceFilter(SearchFilter):
    field_class = PlaceField


class RadiusFilter(SearchFilter):
    field_class = RadiusField


class SlugsFilter(SearchFilter):
    field_class = SlugsField


class TextFilter(SearchFilter):
    field_class = TextField


class AcceptingFilter(SearchFilter):
    field_class = AcceptingField


class EvidenceFilter(SearchFilter):
    field_class = EvidenceField


class SortFilter(SearchFilter):
    field_class = SortField


class CenterFilterSet(django_filters.FilterSet):
    q = TextFilter(label=LABELS["q"])
    near = PlaceFilter(label=LABELS["near"])
    radius = RadiusFilter(label=LABELS["radius"])
    treatment = SlugsFilter(label=LABELS["treatment"], noun=_("treatment"))
    setting = SlugsFilter(label=LABELS["setting"], noun=_("care setting"))
    payment = SlugsFilter(label=LABELS["payment"], noun=_("payment option"))
    age = SlugsFilter(label=LABELS["age"], noun=_("age group"))
    language = SlugsFilter(label=LABELS["language"], noun=_("language"))
    accepting = AcceptingFilter(label=LABELS["accepting"])
    evidence = EvidenceFilter(label=LABELS["evidence"])
    sort = SortFilter(label=LABELS["sort"])

    class Meta:
        model = Center
        fields: list[str] = []
        form = CenterSearchForm

    def __init__(self, data=None, *, vocabulary: Vocabulary | None = None, **kwargs):
        super().__init__(data, Center.objects.none(), **kwargs)
        self.vocabulary = vocabulary or vocabulary_load()

    def get_form_class(self):
        # The form's fields are the same for every search (the known slugs are given to
        # each form below), so the class is built once rather than on every request.
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            for parameter in VOCABULARIES:
                form.fields[parameter].allowed = self.vocabulary.slugs(parameter)
        return self._form

    # What the search uses, after salvage. (Not named after the filters: the metaclass
    # would take a property called `radius` for the declaration of the radius filter.)

    @property
    def usable(self) -> dict:
        if not self.is_bound:
            return {}
        self.form.errors  # validates the form once  # noqa: B018
        return self.form.usable

    @property
    def place(self) -> geo.Place | None:
        return self.usable.get("near")

    @property
    def radius_miles(self) -> float:
        return self.usable.get("radius") or DEFAULT_RADIUS

    @property
    def sort_applied(self) -> str:
        """The order applied: the one asked for, else the default."""
        if self.usable.get("sort") and (self.usable["sort"] != "distance" or self.place):
            return self.usable["sort"]
        return self.sort_default

    @property
    def sort_default(self) -> str:
        """The order when none is asked for: accepting first (then nearest) with a place, else
        relevance with text, else name."""
        if self.place:
            return "accepting"
        return "relevance" if self.usable.get("q") else "name"

    @property
    def criteria(self) -> Criteria:
        """The search as directory/search/query.py runs it."""
        usable = self.usable
        return Criteria(
            q=" ".join((usable.get("q") or "").split()),
            place=self.place,
            radius=self.radius_miles,
            facets={parameter: tuple(usable.get(parameter) or ()) for parameter in VOCABULARIES}
            # The evidence facet (directory/search/index.py EVIDENCE_FACET) is tested like the others.
            | ({"evidence": (usable["evidence"],)} if usable.get("evidence") else {}),
            accepting=bool(usable.get("accepting")),
            sort=self.sort_applied,
        )
