"""Keep the denormalized search columns of centers up to date.

- `Center.search_facets`: the slugs of a center's treatments, care settings, payment
  options, age groups and languages, as " treatment:tms setting:outpatient ... ". The
  listing's filters test this one column of the row instead of joining five tables, so a
  search costs the same whatever the size of the directory. `Location.search_facets` is
  a copy, so that a search near a place filters the locations in its box first.
- `Center.search_vector` (PostgreSQL): the weighted full-text document: name (A),
  treatments (B), cities and states (C), description (D), behind a GIN index.

Call `centers_refresh_search(center_ids=[...])` after writing a center's name,
description, treatments, lookups or locations: the admin, the demo loader and the test
factory do. The importer computes both columns of the centers it creates from what it
holds in memory (`facets_text`, `search_vector_sql`: the same values, without reading the
lists back) and calls `centers_refresh_search` for existing centers whose lists, name or
places it changed. `manage.py refresh_search` rebuilds every center.
"""

from collections.abc import Iterable, Mapping

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.models import Case, Exists, OuterRef, StringAgg, Subquery, TextField, Value, When
from django.db.models.functions import Coalesce, Concat

from directory.models import Center, CenterTreatment, Location

# search_facets prefix -> (relation from the center, slug field on that relation)
FACETS = {
    "treatment": ("treatment_details", "treatment__slug"),
    "setting": ("care_settings", "slug"),
    "payment": ("payment_options", "slug"),
    "age": ("age_groups", "slug"),
    "language": ("languages", "slug"),
}
# The facet of centers with Medicare claims evidence (directory/medicare/): the listing's `evidence=medicare`.
EVIDENCE_FACET = "evidence:medicare"
# The parts of search_vector, in the order they are concatenated, with their weights.
DOCUMENT_WEIGHTS = {"name": "A", "treatments": "B", "places": "C", "description": "D"}
DOCUMENT_CONFIG = "english"


def _joined(queryset, text_expression, order_by=None):
    """One text per center from a queryset already filtered on center=OuterRef("pk")."""
    joined = StringAgg(text_expression, Value(" "), order_by=order_by)
    aggregate = queryset.values("center").annotate(text=joined).values("text")
    return Coalesce(Subquery(aggregate), Value(""), output_field=TextField())


def search_facets_expression(center_model=Center):
    """ " treatment:tms treatment:cbt setting:outpatient ... " for an UPDATE of centers."""
    parts: list = [Value(" ")]
    for prefix, (relation, slug_field) in FACETS.items():
        field = center_model._meta.get_field(relation)
        if field.many_to_many:
            rows = field.remote_field.through.objects.filter(center=OuterRef("pk"))
            target = field.m2m_reverse_field_name()
            text = Concat(Value(f"{prefix}:"), f"{target}__{slug_field}", output_field=TextField())
        else:  # treatment_details: the CenterTreatment rows
            rows = field.related_model.objects.filter(center=OuterRef("pk"))
            text = Concat(Value(f"{prefix}:"), slug_field, output_field=TextField())
        parts += [_joined(rows, text), Value(" ")]
    billings = _reverse_relation(center_model, "medicare_billings")  # absent in early migrations' models
    if billings is not None:
        evidence = Exists(billings.related_model.objects.filter(center=OuterRef("pk")))
        parts.append(Case(When(evidence, then=Value(f"{EVIDENCE_FACET} ")), default=Value("")))
    return Concat(*parts, output_field=TextField())


def _reverse_relation(model, name: str):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def facets_text(slugs: Mapping[str, Iterable[str]]) -> str:
    """search_facets from the slugs of each FACETS prefix ({"treatment": ["tms"], ...}):
    the text search_facets_expression() builds (within a prefix, slugs in the order given);
    `"evidence": ["medicare"]` adds the evidence facet."""
    text = " " + "".join(" ".join(f"{prefix}:{slug}" for slug in slugs.get(prefix, ())) + " " for prefix in FACETS)
    return text + (f"{EVIDENCE_FACET} " if slugs.get("evidence") else "")


def search_document(center_model=Center, treatment_model=CenterTreatment, location_model=Location):
    """The weighted tsvector expression, for an UPDATE of centers (PostgreSQL only).

    Treatments are joined in their lookup order and places in the locations' order, so
    that the same center always gets the same vector (positions included)."""
    parts = {
        "name": "name",
        "treatments": _joined(
            treatment_model.objects.filter(center=OuterRef("pk")),
            Concat("treatment__name", Value(" "), "treatment__short_name", output_field=TextField()),
            order_by=("treatment__sort_order", "treatment_id"),
        ),
        "places": _joined(
            location_model.objects.filter(center=OuterRef("pk")),
            Concat("city", Value(" "), "state", output_field=TextField()),
            order_by=("sort_order", "id"),
        ),
        "description": "description",
    }
    vectors = [
        SearchVector(parts[part], weight=weight, config=DOCUMENT_CONFIG) for part, weight in DOCUMENT_WEIGHTS.items()
    ]
    return sum(vectors[1:], vectors[0])


def search_document_texts(
    *, name: str, treatments: Iterable[tuple[str, str]], places: Iterable[tuple[str, str]], description: str
) -> tuple[str, ...]:
    """The texts search_document() weighs, in DOCUMENT_WEIGHTS order, from values in memory:
    treatments as (name, short name) in their lookup order, places as (city, state) in the
    locations' order. search_vector_sql() makes the vector of them."""
    texts = {
        "name": name,
        "treatments": " ".join(f"{treatment} {short_name}" for treatment, short_name in treatments),
        "places": " ".join(f"{city} {state}" for city, state in places),
        "description": description,
    }
    return tuple(texts[part] for part in DOCUMENT_WEIGHTS)


def search_vector_sql(texts: Iterable[str]) -> str:
    """SQL of the vector search_document() computes, from SQL expressions of the texts
    search_document_texts() returns (e.g. "v.column3", ...). PostgreSQL only."""
    return " || ".join(
        f"setweight(to_tsvector('{DOCUMENT_CONFIG}'::regconfig, COALESCE({text}, '')), '{weight}')"
        for text, weight in zip(texts, DOCUMENT_WEIGHTS.values(), strict=True)
    )


def centers_refresh_search(*, center_ids: Iterable[int] | None = None) -> int:
    """Recompute the search columns of these centers (all when None) and of their
    locations. Returns the number of centers."""
    centers = Center.objects.all() if center_ids is None else Center.objects.filter(pk__in=list(center_ids))
    values = {"search_facets": search_facets_expression()}
    if connection.vendor == "postgresql":
        values["search_vector"] = search_document()
    count = centers.update(**values)
    locations_copy_facets(Location.objects.filter(center__in=centers.values("pk")))
    return count


def locations_copy_facets(locations, center_model=Center) -> None:
    """Copy each center's search_facets to its locations (also used by a migration)."""
    facets = center_model.objects.filter(pk=OuterRef("center_id")).values("search_facets")[:1]
    locations.update(search_facets=Subquery(facets))
