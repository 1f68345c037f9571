"""directory_searchterm (directory/models/search.py) and, on PostgreSQL, the triggers that
keep it: after every INSERT, UPDATE or DELETE statement on directory_center, the rows of the
centers whose status, name or search_vector changed are rewritten from their vectors, one
statement for all of them (transition tables), published centers only."""

import django.db.models.deletion
from django.db import migrations, models

# The rank of one center for one word: ts_rank of its vector against that word as a query
# (the word quoted as a tsquery lexeme, quotes and backslashes doubled), which is what
# ts_rank(vector, websearch_to_tsquery('english', word)) gives for a word that stems to it.
TERMS_OF = """
    SELECT n.id, u.lexeme,
           ts_rank(n.search_vector,
                   ('''' || replace(replace(u.lexeme, '\\', '\\\\'), '''', '''''') || '''')::tsquery),
           n.name
      FROM {rows} n{join}, unnest(n.search_vector) u
     WHERE n.status = 'published' AND n.search_vector IS NOT NULL{where}
"""
INSERT = "INSERT INTO directory_searchterm (center_id, lexeme, rank, name)"
# An UPDATE rewrites only the centers whose words, ranks or order can have changed.
CHANGED_JOIN = " JOIN old_rows o ON o.id = n.id"
CHANGED = "(n.status, n.name, n.search_vector) IS DISTINCT FROM (o.status, o.name, o.search_vector)"

CREATE = [
    f"""
CREATE FUNCTION directory_searchterm_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {INSERT} {TERMS_OF.format(rows="new_rows", join="", where="")};
    RETURN NULL;
END $$""",
    f"""
CREATE FUNCTION directory_searchterm_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM directory_searchterm t USING new_rows n{CHANGED_JOIN} WHERE t.center_id = n.id AND {CHANGED};
    {INSERT} {TERMS_OF.format(rows="new_rows", join=CHANGED_JOIN, where=" AND " + CHANGED)};
    RETURN NULL;
END $$""",  # noqa: S608 (our own SQL only)
    """
CREATE FUNCTION directory_searchterm_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM directory_searchterm t USING old_rows o WHERE t.center_id = o.id;
    RETURN NULL;
END $$""",
    "CREATE TRIGGER directory_searchterm_insert AFTER INSERT ON directory_center"
    " REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION directory_searchterm_insert()",
    "CREATE TRIGGER directory_searchterm_update AFTER UPDATE ON directory_center"
    " REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"
    " FOR EACH STATEMENT EXECUTE FUNCTION directory_searchterm_update()",
    "CREATE TRIGGER directory_searchterm_delete AFTER DELETE ON directory_center"
    " REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION directory_searchterm_delete()",
    # The centers already there.
    f"{INSERT} {TERMS_OF.format(rows='directory_center', join='', where='')}",
]
DROP = [
    "DROP TRIGGER IF EXISTS directory_searchterm_insert ON directory_center",
    "DROP TRIGGER IF EXISTS directory_searchterm_update ON directory_center",
    "DROP TRIGGER IF EXISTS directory_searchterm_delete ON directory_center",
    "DROP FUNCTION IF EXISTS directory_searchterm_insert()",
    "DROP FUNCTION IF EXISTS directory_searchterm_update()",
    "DROP FUNCTION IF EXISTS directory_searchterm_delete()",
]


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0015_center_insurers"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "center", "lexeme", blank=True, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("lexeme", models.TextField()),
                ("rank", models.FloatField()),
                ("name", models.TextField()),
                (
                    "center",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="directory.center",
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["lexeme", "-rank", "name", "center"], name="searchterm_order_idx")],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
