"""Multi-row SQL for the import's bulk writes (PostgreSQL and SQLite 3.35+).

Django's bulk_create and bulk_update compile every value through the ORM's generic
machinery; for 9,000 centers, their locations and 160,000 link rows that costs several
times the database's own work. These helpers write the same rows with a few parametrized
statements. Names come from the models' metadata, values are always parameters.
"""

import io
import json
from datetime import date, datetime

from django.db import connection, models

from directory.models import Center
from directory.search.index import search_vector_sql


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _execute(cursor, sql: str, params: list) -> None:
    """Run a statement past Django's query log. With DEBUG on, logging a statement of
    thousands of parameters costs more than running it (SQLite quotes each parameter with
    a query of its own); database errors still become Django's exceptions."""
    with connection.wrap_database_errors:
        cursor.cursor.execute(sql, params)


def insert_rows(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert rows with multi-row INSERTs, every other column at its field's default.

    Used for the link tables (about 18 rows per center): building 160,000 model instances
    for bulk_create costs several times more than the database's own work. On PostgreSQL
    (psycopg2) the rows go in with COPY, several times faster again than INSERT.
    """
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and f.attname not in columns]
    defaults = [f.get_db_prep_save(f.get_default(), connection) for f in fields]
    names = [*columns, *(f.column for f in fields)]
    if not rows:
        return
    if connection.vendor == "postgresql" and _copy_rows(model._meta.db_table, names, rows, defaults):
        return
    per_row = len(names)
    per_statement = min(500, (connection.features.max_query_params or 5000) // per_row)
    head = f"INSERT INTO {_quote(model._meta.db_table)} ({', '.join(map(_quote, names))}) VALUES "  # noqa: S608
    placeholder = "(" + ", ".join(["%s"] * per_row) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            params = [value for row in chunk for value in (*row, *defaults)]
            _execute(cursor, head + ", ".join([placeholder] * len(chunk)), params)


def _copy_rows(table: str, names: list[str], rows: list[tuple], defaults: list) -> bool:
    """COPY the rows into a PostgreSQL table; False when the driver cannot (then INSERT is used)."""
    with connection.cursor() as cursor:
        raw = getattr(cursor, "cursor", None)
        if not hasattr(raw, "copy_expert"):
            return False
        tail = "".join("\t" + _copy_text(value) for value in defaults)
        data = io.StringIO("".join("\t".join(map(_copy_text, row)) + tail + "\n" for row in rows))
        raw.copy_expert(f"COPY {_quote(table)} ({', '.join(map(_quote, names))}) FROM STDIN", data)
    return True


COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """One Python value in COPY's text format."""
    kind = type(value)  # the common cases first: ids, and text with nothing to escape (about 2 million values)
    if kind is int:
        return str(value)
    if kind is str:
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.translate(COPY_ESCAPES)
        return value
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dict | list):
        text = json.dumps(value)
    elif isinstance(value, datetime | date):
        text = value.isoformat()
    else:
        text = str(value)
    return text.translate(COPY_ESCAPES)


def insert_returning_ids(model, rows: list[dict]) -> list[int]:
    """Insert rows (dicts of attribute names; missing fields at their defaults) and return
    their ids in order: multi-row INSERT ... RETURNING (PostgreSQL, SQLite 3.35+).

    Model.objects.bulk_create does the same, but its generic SQL compilation costs about
    four times as much for 9,000 centers and their locations.
    """
    if not rows:
        return []
    if not connection.features.can_return_rows_from_bulk_insert:
        objects = model.objects.bulk_create([model(**row) for row in rows], batch_size=500)
        return [obj.pk for obj in objects]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    if connection.vendor == "postgresql":
        ids = _copy_with_ids(model, fields, rows)
        if ids is not None:
            return ids
    columns_of = [_Column(f) for f in fields]
    per_statement = min(500, (connection.features.max_query_params or 5000) // len(fields))
    columns = ", ".join(_quote(f.column) for f in fields)
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    table, pk = _quote(model._meta.db_table), _quote(model._meta.pk.column)
    ids = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            params = [value for row in chunk for value in _prepared(row, columns_of)]
            values = ", ".join([placeholder] * len(chunk))
            # Names come from the model, values are parameters.
            _execute(cursor, f"INSERT INTO {table} ({columns}) VALUES {values} RETURNING {pk}", params)  # noqa: S608
            ids.extend(row[0] for row in cursor.fetchall())
    return ids


def _copy_with_ids(model, fields, rows: list[dict]) -> list[int] | None:
    """PostgreSQL: take ids from the table's sequence, then COPY the rows with them.
    None when the driver cannot COPY (then INSERT ... RETURNING is used)."""
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        raw = getattr(cursor, "cursor", None)
        if not hasattr(raw, "copy_expert"):
            return None
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk, len(rows)]
        )
        ids = [row[0] for row in cursor.fetchall()]
        defaults = {f.attname: f.get_default() for f in fields if not (f.has_default() and callable(f.default))}
        lines = []
        for pk_value, row in zip(ids, rows, strict=True):
            values = [pk_value]
            for f in fields:
                if f.attname in row:
                    values.append(row[f.attname])
                else:
                    values.append(defaults[f.attname] if f.attname in defaults else f.get_default())
            lines.append("\t".join(map(_copy_text, values)) + "\n")
        names = ", ".join(_quote(column) for column in (pk, *(f.column for f in fields)))
        raw.copy_expert(f"COPY {_quote(table)} ({names}) FROM STDIN", io.StringIO("".join(lines)))
    return ids


# Fields whose Python values the database drivers take as they are: no preparation needed.
PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.FloatField)


class _Column:
    """How to get one field's database value out of a row dict, cheaply."""

    __slots__ = ("attname", "default", "dynamic_default", "field", "plain")

    def __init__(self, field):
        self.field = field
        self.attname = field.attname
        self.plain = isinstance(field, PLAIN_FIELDS) or field.is_relation  # foreign keys hold plain ids
        self.dynamic_default = field.has_default() and callable(field.default)  # e.g. uuid4
        self.default = None if self.dynamic_default else self._prepare(field.get_default())

    def _prepare(self, value):
        return value if self.plain else self.field.get_db_prep_save(value, connection)


def _prepared(row: dict, columns: list[_Column]):
    for column in columns:
        if column.attname in row:
            yield column._prepare(row[column.attname])
        elif column.dynamic_default:
            yield column._prepare(column.field.get_default())
        else:
            yield column.default


def update_snapshots(snapshots: list[tuple[int, dict]], *, search_texts: dict[int, tuple[str, ...]]) -> None:
    """Set source_snapshot on many centers with a few UPDATE ... FROM (VALUES ...) statements
    (SQLite 3.33+ and PostgreSQL), far cheaper than bulk_update's CASE WHEN per row.

    On PostgreSQL the centers in `search_texts` (center id -> directory.search.index.search_document_texts())
    get their search_vector in the same statement: one new version of each row, not two."""
    field = Center._meta.get_field("source_snapshot")
    table, column = _quote(Center._meta.db_table), _quote(field.column)
    postgres = connection.vendor == "postgresql"
    cast = "::jsonb" if postgres else ""
    plain, texted = [], []
    for pk, snapshot in snapshots:
        row = (pk, json.dumps(snapshot, cls=field.encoder))
        if postgres and pk in search_texts:
            texted.append((*row, *search_texts[pk]))
        else:
            plain.append(row)
    statements = [(plain, "")]
    if texted:
        vector = _quote(Center._meta.get_field("search_vector").column)
        texts = [f"v.column{n}" for n in range(3, len(texted[0]) + 1)]
        statements.append((texted, f", {vector} = {search_vector_sql(texts)}"))
    for rows, extra in statements:
        if not rows:
            continue
        with connection.cursor() as cursor:
            placeholder = "(" + ", ".join(["%s"] * len(rows[0])) + ")"
            for start in range(0, len(rows), 500):
                chunk = rows[start : start + 500]
                _execute(
                    cursor,
                    f"UPDATE {table} SET {column} = v.column2{cast}{extra} "  # noqa: S608
                    f"FROM (VALUES {', '.join([placeholder] * len(chunk))}) AS v WHERE {table}.id = v.column1",
                    [value for row in chunk for value in row],
                )
