"""Denormalized search columns on centers (see directory/search/index.py): the facet
slugs used by the filters (copied to locations), and on PostgreSQL the full-text document
with its GIN index, a trigram index on names (for typos) and a GiST index on locations'
points (for the bounding box of a search near a place). On SQLite the extension, the indexes and the
full-text fill are skipped: text search there is a plain case-insensitive match."""

import django.contrib.postgres.search
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

POSTGRES_INDEXES = [
    (
        "CREATE INDEX IF NOT EXISTS center_search_vector_idx ON directory_center USING gin (search_vector)",
        "DROP INDEX IF EXISTS center_search_vector_idx",
    ),
    (
        "CREATE INDEX IF NOT EXISTS center_name_trgm_idx ON directory_center USING gin (name gin_trgm_ops)",
        "DROP INDEX IF EXISTS center_name_trgm_idx",
    ),
    # A search near a place reads the locations in its bounding box through this (a B-tree
    # on latitude reads a whole band of the country).
    (
        "CREATE INDEX IF NOT EXISTS location_point_gist_idx ON directory_location USING gist (point(longitude, latitude))",
        "DROP INDEX IF EXISTS location_point_gist_idx",
    ),
]


def create_postgres_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for create, _drop in POSTGRES_INDEXES:
            schema_editor.execute(create)


def drop_postgres_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for _create, drop in POSTGRES_INDEXES:
            schema_editor.execute(drop)


def fill_search_columns(apps, schema_editor):
    from directory.search.index import locations_copy_facets, search_document, search_facets_expression

    Center = apps.get_model("directory", "Center")
    Location = apps.get_model("directory", "Location")
    values = {"search_facets": search_facets_expression(Center)}
    if schema_editor.connection.vendor == "postgresql":
        values["search_vector"] = search_document(Center, apps.get_model("directory", "CenterTreatment"), Location)
    Center.objects.update(**values)
    locations_copy_facets(Location.objects.all(), Center)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0005_staff_roles"),
    ]

    operations = [
        TrigramExtension(),
        migrations.AddField(
            model_name="center",
            name="search_facets",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="center",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="location",
            name="search_facets",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(create_postgres_indexes, drop_postgres_indexes),
        migrations.RunPython(fill_search_columns, migrations.RunPython.noop),
    ]
