"""directory_location.center_order (PostgreSQL only): each location's copy of where its center
stands in the listing's order near a place, kept by triggers; SQLite is left as it is.

A search near a place reads every location in its box (directory/search/query.py). It had then
read each one's center, to know whether it is published and whether it accepts new patients
(the "accepting" order): 1,300 center lookups for a 50-mile search at 100,000 generated centers,
more than half of the statement's time. With the answer in the location, and in the covering
GiST index of migration 0018, the search reads its centers only for the page's rows.

center_order is 0 for a published center accepting new patients, 1 when that is not known,
2 when it is not accepting (as ORDER_BY["accepting"] ranks them), and NULL when the center is
not published. The column is not a field of the Location model: nothing but these triggers
writes it, and only PostgreSQL has it.
- Before a location is inserted or moved to another center, it is read from its center.
- After a statement inserts centers or changes their status or accepting_new_patients, it is
  written to their locations (one statement for all of them: transition tables).
"""

from django.db import migrations

ORDER = """
CREATE FUNCTION directory_center_order(status text, accepting text) RETURNS smallint
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN status <> 'published' THEN NULL WHEN accepting = 'yes' THEN 0
                WHEN accepting = 'no' THEN 2 ELSE 1 END::smallint
$$"""
FROM_CENTER = """
CREATE FUNCTION directory_location_center_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.center_order := (SELECT directory_center_order(c.status, c.accepting_new_patients)
                           FROM directory_center c WHERE c.id = NEW.center_id);
    RETURN NEW;
END $$"""
TO_LOCATIONS = """
CREATE FUNCTION directory_center_order_{event}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE directory_location l
       SET center_order = directory_center_order(n.status, n.accepting_new_patients)
      FROM new_rows n{join}
     WHERE l.center_id = n.id{changed};
    RETURN NULL;
END $$"""
CHANGED = " AND (n.status, n.accepting_new_patients) IS DISTINCT FROM (o.status, o.accepting_new_patients)"
POINT_INDEX = "CREATE INDEX location_point_gist_idx ON directory_location USING gist (point(longitude, latitude))"

CREATE = [
    "ALTER TABLE directory_location ADD COLUMN center_order smallint",
    ORDER,
    FROM_CENTER,
    TO_LOCATIONS.format(event="insert", join="", changed=""),
    TO_LOCATIONS.format(event="update", join=" JOIN old_rows o ON o.id = n.id", changed=CHANGED),
    "CREATE TRIGGER directory_location_center_order BEFORE INSERT OR UPDATE OF center_id ON directory_location"
    " FOR EACH ROW EXECUTE FUNCTION directory_location_center_order()",
    "CREATE TRIGGER directory_center_order_insert AFTER INSERT ON directory_center"
    " REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION directory_center_order_insert()",
    "CREATE TRIGGER directory_center_order_update AFTER UPDATE ON directory_center"
    " REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"
    " FOR EACH STATEMENT EXECUTE FUNCTION directory_center_order_update()",
    # The locations already there.
    "UPDATE directory_location l SET center_order = directory_center_order(c.status, c.accepting_new_patients)"
    " FROM directory_center c WHERE c.id = l.center_id",
    "DROP INDEX IF EXISTS location_point_gist_idx",
    f"{POINT_INDEX} INCLUDE (center_id, latitude, longitude, search_facets, center_order)",
]
DROP = [
    "DROP INDEX IF EXISTS location_point_gist_idx",
    f"{POINT_INDEX} INCLUDE (center_id, latitude, longitude, search_facets)",
    "DROP TRIGGER IF EXISTS directory_center_order_update ON directory_center",
    "DROP TRIGGER IF EXISTS directory_center_order_insert ON directory_center",
    "DROP TRIGGER IF EXISTS directory_location_center_order ON directory_location",
    "DROP FUNCTION IF EXISTS directory_center_order_update()",
    "DROP FUNCTION IF EXISTS directory_center_order_insert()",
    "DROP FUNCTION IF EXISTS directory_location_center_order()",
    "DROP FUNCTION IF EXISTS directory_center_order(text, text)",
    "ALTER TABLE directory_location DROP COLUMN IF EXISTS center_order",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0018_covering_search_indexes"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
