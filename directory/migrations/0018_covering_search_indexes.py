"""Covering indexes for a search near a place (PostgreSQL; SQLite has no INCLUDE and is left as it is).

A search near a place reads every location in its box and, for each, its center's status and
order keys (directory/search/query.py, search_sql). With the columns it reads inside the
indexes, PostgreSQL answers both from the indexes alone (index-only scans) instead of visiting
a heap page for every location and every center: the page query of a 25- or 50-mile search at
100,000 generated centers went from 2.5 to 1.2 ms (bench/README.md, "Search").
"""

from django.db import migrations

POINT_INDEX = "CREATE INDEX location_point_gist_idx ON directory_location USING gist (point(longitude, latitude))"
STEPS = [
    (
        "DROP INDEX IF EXISTS location_point_gist_idx",
        POINT_INDEX,
    ),
    (
        f"{POINT_INDEX} INCLUDE (center_id, latitude, longitude, search_facets)",
        "DROP INDEX IF EXISTS location_point_gist_idx",
    ),
    (
        "CREATE UNIQUE INDEX center_order_keys_idx ON directory_center (id)"
        " INCLUDE (status, accepting_new_patients, name, last_verified_on)",
        "DROP INDEX IF EXISTS center_order_keys_idx",
    ),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for create, _undo in STEPS:
            schema_editor.execute(create)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for _create, undo in reversed(STEPS):
            schema_editor.execute(undo)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0017_one_line_fields"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
