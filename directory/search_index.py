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
factory do, and the importer must. `manage.py refresh_search` rebuilds every center.
"""

from collections.abc import Iterable

from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import OuterRef, StringAgg, Subquery, TextField, Value
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


def _joined(queryset, text_expression):
    """One text per center from a queryset already filtered on center=OuterRef("pk")."""
    aggregate = queryset.values("center").annotate(text=StringAgg(text_expression, Value(" "))).values("text")
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
    return Concat(*parts, output_field=TextField())


def search_document(center_model=Center, treatment_model=CenterTreatment, location_model=Location):
    """The weighted tsvector expression, for an UPDATE of centers (PostgreSQL only)."""
    treatments = _joined(
        treatment_model.objects.filter(center=OuterRef("pk")),
        Concat("treatment__name", Value(" "), "treatment__short_name", output_field=TextField()),
    )
    places = _joined(
        location_model.objects.filter(center=OuterRef("pk")),
        Concat("city", Value(" "), "state", output_field=TextField()),
    )
    return (
        SearchVector("name", weight="A", config="english")
        + SearchVector(treatments, weight="B", config="english")
        + SearchVector(places, weight="C", config="english")
        + SearchVector("description", weight="D", config="english")
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
