"""The HSDS API's parameters: HSDA's own where our listing has an equivalent, run by the
listing's own search (directory/search/: published centers, in the listing's order).

- `search` (our `q`): text, as the listing searches it (full text on PostgreSQL; without
  the listing's fallback to names spelled alike).
- `taxonomy_term_id` (our `treatment`, `setting`, `payment`, `age`, `language`): repeatable;
  any of the terms of one vocabulary, and different vocabularies combine with AND; a
  vocabulary's parent term stands for any of its terms. Crisis-service terms, which the
  listing has no filter for, are a plain condition on the services.
- `postcode` and `proximity` (our `near` and `radius`): a 5-digit ZIP code, and meters from
  its centre (without `proximity`, the listing's default radius); nearest first.
- `organization_id`, `modified_after`: HSDA's, which our listing has no use for: plain
  conditions on the services.
- `accepting=1`: ours (HSDA has none): only centers accepting new patients.

Without any of the listing's parameters, a list holds every published or closed center
(closed ones as "defunct"), by name. Every value must be usable: the API answers 400
naming each one that is not.
"""

import re
from datetime import UTC

import django_filters
from django import forms
from django.utils.dateparse import parse_datetime

from directory import geo
from directory.hsds.ids import parse_uuid
from directory.hsds.records import taxonomy_record, term_index
from directory.models import Center
from directory.search.params import DEFAULT_RADIUS, MAX_RADIUS, MAX_TEXT, Criteria

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000
PAGING = ["page", "per_page", "size", "format"]
METERS_PER_MILE = 1609.344
DATE_TIME_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}")  # a date and its time, at least
MAX_PROXIMITY = round(MAX_RADIUS * METERS_PER_MILE)
# Our vocabularies (records.VOCABULARIES) -> the listing's facet in Center.search_facets.
FACETS = {"treatments": "treatment", "care_settings": "setting", "payment_options": "payment",
          "age_groups": "age", "languages": "language"}  # fmt: skip


class TermIdsField(forms.Field):
    """Repeatable taxonomy term ids, each a term we publish; cleaned to vocabulary -> slugs."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        values = value if isinstance(value, list | tuple) else [value] if value else []
        return [str(v).strip() for v in values if str(v).strip()]

    def clean(self, value):
        ids = self.to_python(value)
        if not ids:
            return {}
        if any(parse_uuid(term) is None for term in ids):
            raise forms.ValidationError("A taxonomy term id is a UUID, as /api/hsds/taxonomy_terms gives them.")
        index = term_index()
        unknown = [term for term in ids if term not in index]
        if unknown:
            raise forms.ValidationError(f"No taxonomy term has the id {', '.join(unknown)[:200]}.")
        slugs: dict[str, list[str]] = {}
        for term in ids:
            vocabulary, term_slugs = index[term]
            slugs.setdefault(vocabulary, []).extend(term_slugs)
        return slugs


class PostcodeField(forms.CharField):
    """A 5-digit US ZIP code, as written (no spaces, no ZIP+4), geocoded offline to a `geo.Place`."""

    def __init__(self, **kwargs):
        super().__init__(strip=False, **kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        place = geo.zip_place(text) if re.fullmatch(r"[0-9]{5}", text) else None
        if place is None:
            raise forms.ValidationError(f"“{text[:20]}” is not a US ZIP code we know: give 5 digits, like 32207.")
        return place


class DateTimeParameterField(forms.DateTimeField):
    """An ISO 8601 date-time with its time ("2026-03-02T09:00:00Z"); UTC when it has no offset."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        try:
            moment = parse_datetime(text) if DATE_TIME_RE.match(text) else None
        except ValueError:  # well formed, but no such moment: "2026-13-01T00:00"
            moment = None
        if moment is None:
            raise forms.ValidationError("Give a date-time like 2026-03-02T09:00:00Z.", code="invalid")
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        try:
            return moment.astimezone(UTC)  # the database compares it in UTC
        except OverflowError:
            raise forms.ValidationError("This date-time is out of range.", code="invalid") from None


class WholeNumberField(forms.IntegerField):
    """Digits only: "2.0" or " 2" are not page numbers here (Django's IntegerField takes them)."""

    def to_python(self, value):
        if value not in self.empty_values and not re.fullmatch(r"[0-9]+", str(value)):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class TermIdsFilter(django_filters.Filter):
    field_class = TermIdsField


class PostcodeFilter(django_filters.Filter):
    field_class = PostcodeField


class DateTimeFilter(django_filters.Filter):
    field_class = DateTimeParameterField


class ServiceForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("proximity") is not None and not cleaned.get("postcode") and not self.has_error("postcode"):
            self.add_error("proximity", "proximity is a distance from a postcode: give a postcode too.")
        return cleaned


class ServiceFilterSet(django_filters.FilterSet):
    """Services (one per published or closed center) for /api/hsds/services.

    `qs` applies the plain conditions (organization_id, modified_after, crisis-service
    terms) to the published and closed centers, by name; `criteria` is the listing's search
    for the other parameters, or None when none of them is given.
    """

    search = django_filters.CharFilter(max_length=MAX_TEXT, method="filter_nothing")
    taxonomy_term_id = TermIdsFilter(method="filter_crisis_services")
    organization_id = django_filters.UUIDFilter(field_name="public_id")
    modified_after = DateTimeFilter(field_name="updated_at", lookup_expr="gte")
    postcode = PostcodeFilter(max_length=10, method="filter_nothing")
    proximity = django_filters.NumberFilter(min_value=1, max_value=MAX_PROXIMITY, method="filter_nothing")
    accepting = django_filters.ChoiceFilter(choices=[("1", "Accepting new patients")], method="filter_nothing")

    class Meta:
        model = Center
        fields: list[str] = []
        form = ServiceForm

    @property
    def criteria(self) -> Criteria | None:
        data = self.form.cleaned_data
        terms = data.get("taxonomy_term_id") or {}
        facets = {FACETS[vocabulary]: tuple(slugs) for vocabulary, slugs in terms.items() if vocabulary in FACETS}
        text, place, accepting = data.get("search") or "", data.get("postcode"), data.get("accepting") == "1"
        if not (text or facets or place or accepting):
            return None
        proximity = data.get("proximity")
        return Criteria(
            q=text,
            place=place,
            radius=float(proximity) / METERS_PER_MILE if proximity is not None else DEFAULT_RADIUS,
            facets=facets,
            accepting=accepting,
            sort="distance" if place else "relevance" if text else "name",
        )

    @property
    def has_conditions(self) -> bool:
        """Whether `qs` leaves out any published center."""
        data = self.form.cleaned_data
        terms = data.get("taxonomy_term_id") or {}
        return bool(data.get("organization_id") or data.get("modified_after") or "crisis_services" in terms)

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset.visible()).order_by("name", "pk")

    def filter_nothing(self, queryset, name, value):
        return queryset  # the listing's parameters: read by `criteria`

    def filter_crisis_services(self, queryset, name, slugs_by_vocabulary):
        slugs = slugs_by_vocabulary.get("crisis_services")
        return queryset.with_crisis_services(slugs) if slugs else queryset


class OrganizationFilterSet(django_filters.FilterSet):
    """Organizations (one per published or closed center) for /api/hsds/organizations;
    `search` is the listing's text search."""

    search = django_filters.CharFilter(max_length=MAX_TEXT, method="filter_nothing")

    class Meta:
        model = Center
        fields: list[str] = []

    @property
    def criteria(self) -> Criteria | None:
        text = self.form.cleaned_data.get("search")
        return Criteria(q=text, sort="relevance") if text else None

    has_conditions = False

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset.visible()).order_by("name", "pk")

    def filter_nothing(self, queryset, name, value):
        return queryset


class BooleanParameter(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            choices=[("true", "true"), ("false", "false")],
            coerce=lambda value: value == "true",
            empty_value=False,
            required=False,
            **kwargs,
        )
        self.error_messages["invalid_choice"] = "Use true or false."


class PageForm(forms.Form):
    page = WholeNumberField(min_value=1, max_value=MAX_PAGE, required=False)
    per_page = WholeNumberField(min_value=1, max_value=MAX_PAGE_SIZE, required=False)
    size = WholeNumberField(min_value=1, max_value=MAX_PAGE_SIZE, required=False)
    format = forms.ChoiceField(choices=[("json", "json")], required=False)
    full = BooleanParameter()
    full_service = BooleanParameter()

    def clean(self):
        cleaned = super().clean()
        per_page, size = cleaned.get("per_page"), cleaned.get("size")
        if per_page and size and per_page != size:
            self.add_error("size", "size is another name for per_page: give one of them.")
        cleaned["page_size"] = per_page or size or DEFAULT_PAGE_SIZE
        cleaned["page"] = cleaned.get("page") or 1
        return cleaned


class TaxonomyListForm(forms.Form):
    search = forms.CharField(max_length=MAX_TEXT, required=False)


class TermListForm(TaxonomyListForm):
    taxonomy_id = forms.UUIDField(required=False)
    parent_id = forms.UUIDField(required=False)
    top_only = BooleanParameter()

    def __init__(self, *args, terms: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.terms = terms

    def clean_taxonomy_id(self):
        taxonomy = self.cleaned_data["taxonomy_id"]
        if taxonomy and str(taxonomy) != taxonomy_record()["id"]:
            raise forms.ValidationError("No taxonomy has this id.")
        return taxonomy

    def clean_parent_id(self):
        parent = self.cleaned_data["parent_id"]
        if parent and str(parent) not in {term["id"] for term in self.terms}:
            raise forms.ValidationError("No taxonomy term has this id.")
        return str(parent) if parent else ""
