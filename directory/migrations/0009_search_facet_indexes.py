"""Indexes for filters that match few centers (directory/search/query.py): on PostgreSQL a
GIN index on the facets of centers and of locations as arrays of tokens (the nearest match
for a rare treatment reads its few locations through it), and a partial index of the
centers accepting new patients."""

from django.db import migrations, models

POSTGRES_INDEXES = [
    (
        "CREATE INDEX IF NOT EXISTS location_facets_gin_idx ON directory_location"
        " USING gin (string_to_array(search_facets, ' '))",
        "DROP INDEX IF EXISTS location_facets_gin_idx",
    ),
    (
        "CREATE INDEX IF NOT EXISTS center_facets_gin_idx ON directory_center"
        " USING gin (string_to_array(search_facets, ' '))",
        "DROP INDEX IF EXISTS center_facets_gin_idx",
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


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0008_medication_management_guide_article"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="center",
            index=models.Index(
                condition=models.Q(("accepting_new_patients", "yes")), fields=["id"], name="center_accepting_idx"
            ),
        ),
        migrations.RunPython(create_postgres_indexes, drop_postgres_indexes),
    ]
