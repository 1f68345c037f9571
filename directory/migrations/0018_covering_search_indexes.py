"""A covering index for a search near a place (PostgreSQL; SQLite has no INCLUDE and is left as it is).

A search near a place reads every location in its box (directory/search/query.py, search_sql).
With the columns it reads from them inside the GiST index, PostgreSQL answers from the index
alone (an index-only scan) instead of visiting a heap page for every location: the page query
of a 25- or 50-mile search at 100,000 generated centers went from 2.5 to 1.6 ms (bench/README.md,
"Search"). A covering index on the centers' side (id INCLUDE status and the order keys) saved as
much again but was not kept: the planner then read every name from it for a search by a
misspelt name, instead of the trigram index (3.6 to 21 ms at 10,000 centers).
"""

from django.db import migrations

POINT_INDEX = "CREATE INDEX location_point_gist_idx ON directory_location USING gist (point(longitude, latitude))"
STEPS = [
    ("DROP INDEX IF EXISTS location_point_gist_idx", POINT_INDEX),
    (
        f"{POINT_INDEX} INCLUDE (center_id, latitude, longitude, search_facets)",
        "DROP INDEX IF EXISTS location_point_gist_idx",
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
