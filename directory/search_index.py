"""Keep the PostgreSQL full-text search document of centers up to date.

`Center.search_vector` gathers, with weights, the name (A), the treatments (B), the
cities and states of the locations (C) and the description (D). It lives on the center
so that one GIN index serves text search. Call `centers_refresh_search()` after writing a
center's name, description, treatments or locations (the admin, the importer and the demo
loader do); `manage.py refresh_search` rebuilds every center. On SQLite this does nothing:
text search there reads the tables directly.
"""

from collections.abc import Iterable

from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import OuterRef, StringAgg, Subquery, TextField, Value
from django.db.models.functions import Coalesce, Concat

from directory.models import Center, CenterTreatment, Location


def search_document(center_model=Center, treatment_model=CenterTreatment, location_model=Location):
    """The weighted tsvector expression, for an UPDATE of centers (also used by a migration)."""
    treatments = (
        treatment_model.objects.filter(center=OuterRef("pk"))
        .values("center")
        .annotate(text=StringAgg(Concat("treatment__name", Value(" "), "treatment__short_name"), Value(" ")))
        .values("text")
    )
    places = (
        location_model.objects.filter(center=OuterRef("pk"))
        .values("center")
        .annotate(text=StringAgg(Concat("city", Value(" "), "state"), Value(" ")))
        .values("text")
    )
    return (
        SearchVector("name", weight="A", config="english")
        + SearchVector(
            Coalesce(Subquery(treatments), Value(""), output_field=TextField()), weight="B", config="english"
        )
        + SearchVector(Coalesce(Subquery(places), Value(""), output_field=TextField()), weight="C", config="english")
        + SearchVector("description", weight="D", config="english")
    )


def centers_refresh_search(*, center_ids: Iterable[int] | None = None) -> int:
    """Recompute the search document of these centers (all when None). Returns the count."""
    if connection.vendor != "postgresql":
        return 0
    centers = Center.objects.all() if center_ids is None else Center.objects.filter(pk__in=list(center_ids))
    return centers.update(search_vector=search_document())
