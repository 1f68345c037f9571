"""The listing's query, as one SQL statement: the centers of a page, their distance and
the total count, for PostgreSQL and SQLite.

Why SQL here and not the ORM: the listing and the API run this on every search, and
building and compiling the equivalent QuerySet (a join, an aggregate with HAVING, a
window count, text search) cost more than executing it (bench/README.md has the
numbers). The rules are the same as the QuerySet methods `near()`, `with_any()`,
`matching()` and `accepting_new_patients()` that `CenterFilterSet.qs` chains, and
tests/directory/test_search_queries.py checks that both give the same centers in the same
order. Change one, change the other.

Every value reaches the database as a query parameter; only our own fragments are
formatted into the SQL.
"""

import math
from dataclasses import dataclass, field
from datetime import date

from django.db import connection

from directory import geo

# The columns every result needs, in this order (see ResultRow).
COLUMNS = (
    "id",
    "name",
    "slug",
    "phone",
    "status",
    "accepting_new_patients",
    "accepting_checked_on",
    "last_verified_on",
    "verification_method",
    "source",
)
SORT_SQL = {
    "distance": "distance_miles, c.name, c.id",
    "name": "c.name, c.id",
    "verified": "c.last_verified_on DESC NULLS LAST, c.name, c.id",
    "relevance": "relevance DESC, c.name, c.id",
}


@dataclass(frozen=True)
class Criteria:
    """What to search for, already validated (CenterFilterSet.criteria)."""

    q: str = ""
    place: geo.Place | None = None
    radius: float = 25.0
    facets: dict[str, tuple[str, ...]] = field(default_factory=dict)
    accepting: bool = False
    sort: str = "name"
    # Names spelled like `q` instead of full-text matches: the fallback when those find none.
    fuzzy: bool = False

    @property
    def can_be_fuzzy(self) -> bool:
        return connection.vendor == "postgresql" and bool(self.q) and not self.fuzzy and geo.is_plain_text(self.q)

    @property
    def facets_key(self) -> tuple:
        return tuple(sorted((facet, tuple(sorted(slugs))) for facet, slugs in self.facets.items() if slugs))

    @property
    def is_bounded(self) -> bool:
        """Whether the database can find the matches without reading every center."""
        return bool(self.place or self.q)


@dataclass
class ResultRow:
    id: int
    name: str
    slug: str
    phone: str
    status: str
    accepting_new_patients: str
    accepting_checked_on: date | None
    last_verified_on: date | None
    verification_method: str
    source: str
    distance_miles: float | None
    # Set by directory.listing.rows_attach_details():
    locations: list = field(default_factory=list)
    offers: list = field(default_factory=list)

    @property
    def location(self):
        """The location a card shows: the nearest to the search, else the first."""
        return self.locations[0] if self.locations else None

    @property
    def call_phone(self) -> str:
        return (self.location.phone if self.location else "") or self.phone


def _like(fragment: str) -> str:
    return "%" + fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _day(value) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _facet_filters(criteria: Criteria, facets_column: str) -> tuple[list[str], list]:
    """The facet and "accepting" conditions (any slug of a facet; every facet; and)."""
    where: list[str] = []
    params: list = []
    for facet, slugs in criteria.facets.items():
        if slugs:
            where.append("(" + " OR ".join([f"{facets_column} LIKE %s ESCAPE '\\'"] * len(slugs)) + ")")
            params += [_like(f" {facet}:{slug} ") for slug in slugs]
    if criteria.accepting:
        where.append("c.accepting_new_patients = %s")
        params.append("yes")
    return where, params


def search_sql(criteria: Criteria, *, limit: int | None, offset: int = 0, count: bool = True) -> tuple[str, list]:
    """The SELECT for a page of `criteria`, with `total_count` when `count`."""
    postgres = connection.vendor == "postgresql"
    select = [f"c.{column}" for column in COLUMNS]
    joins: list[str] = []
    where = ["c.status = %s"]
    params_where: list = ["published"]
    params_select: list = []
    group_by = having = ""
    params_having: list = []

    if criteria.place:
        place = criteria.place
        min_lat, max_lat, min_lng, max_lng = geo.bounding_box(place.latitude, place.longitude, criteria.radius)
        distance = (
            "%s * ASIN({least}(1.0, SQRT(POWER(SIN((RADIANS(l.latitude) - %s) / 2), 2)"
            " + %s * COS(RADIANS(l.latitude)) * POWER(SIN((RADIANS(l.longitude) - %s) / 2), 2))))"
        ).format(least="LEAST" if postgres else "MIN")
        distance_params = [
            2 * geo.EARTH_RADIUS_MILES,
            math.radians(place.latitude),
            math.cos(math.radians(place.latitude)),
            math.radians(place.longitude),
        ]
        select.append(f"MIN({distance}) AS distance_miles")
        params_select += distance_params
        joins.append("JOIN directory_location l ON l.center_id = c.id")
        if postgres:
            # The box as geometry, for the GiST index on point(longitude, latitude): it
            # reads only the locations in the box (a B-tree on latitude reads a whole band).
            where.append("point(l.longitude, l.latitude) <@ box(point(%s, %s), point(%s, %s))")
            params_where += [min_lng, min_lat, max_lng, max_lat]
        else:
            where.append("l.latitude BETWEEN %s AND %s AND l.longitude BETWEEN %s AND %s")
            params_where += [min_lat, max_lat, min_lng, max_lng]
        group_by = " GROUP BY c.id"
        having = f" HAVING MIN({distance}) <= %s"
        params_having = [*distance_params, criteria.radius]
    else:
        select.append("NULL AS distance_miles")

    # Near a place, the facets are tested on the locations' copy: before any center is read.
    facet_where, facet_params = _facet_filters(criteria, "l.search_facets" if criteria.place else "c.search_facets")
    where += facet_where
    params_where += facet_params

    text = " ".join(criteria.q.split())
    if text and postgres and criteria.fuzzy:
        where.append("%s <%% c.name")
        params_where.append(text)
        select.append("word_similarity(%s, c.name) AS relevance")
        params_select.append(text)
    elif text and postgres:
        query = "websearch_to_tsquery('english'::regconfig, %s)"
        where.append(f"c.search_vector @@ {query}")
        params_where.append(text)
        select.append(f"ts_rank(c.search_vector, {query}) AS relevance")
        params_select.append(text)
    elif text:
        for word in text.split():
            word = word.strip("\"'()")
            if word.lower() in {"or", "and", "-"} or not word:
                continue
            like = _like(word)
            where.append(
                "(c.name LIKE %s ESCAPE '\\' OR c.description LIKE %s ESCAPE '\\'"
                " OR EXISTS (SELECT 1 FROM directory_location l2 WHERE l2.center_id = c.id"
                " AND l2.city LIKE %s ESCAPE '\\')"
                " OR EXISTS (SELECT 1 FROM directory_centertreatment ct"
                " JOIN directory_treatment t ON t.id = ct.treatment_id WHERE ct.center_id = c.id"
                " AND (t.name LIKE %s ESCAPE '\\' OR t.short_name LIKE %s ESCAPE '\\')))"
            )
            params_where += [like] * 5
        select.append("0.0 AS relevance")
    else:
        select.append("0.0 AS relevance")

    if count:
        select.append("COUNT(*) OVER () AS total_count")
    sort = criteria.sort if criteria.sort != "distance" or criteria.place else "name"
    # Only our own fragments are formatted in; every value is in `params`.
    sql = (
        f"SELECT {', '.join(select)} FROM directory_center c {' '.join(joins)}"  # noqa: S608
        f" WHERE {' AND '.join(where)}{group_by}{having} ORDER BY {SORT_SQL[sort]}"
    )
    params = params_select + params_where + params_having
    if limit is not None:
        sql += " LIMIT %s OFFSET %s"
        params += [limit, offset]
    return sql, params


def count_sql(criteria: Criteria) -> tuple[str, list]:
    sql, params = search_sql(criteria, limit=None, count=False)
    return f"SELECT COUNT(*) FROM ({sql}) AS matches", params  # noqa: S608 (see search_sql)


def search_rows(criteria: Criteria, *, limit: int, offset: int = 0, count: bool = True) -> tuple[list[ResultRow], int]:
    """One page of results and the total (from the same query when `count`, else 0)."""
    sql, params = search_sql(criteria, limit=limit, offset=offset, count=count)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    results = [
        ResultRow(
            *row[:6],
            _day(row[6]),
            _day(row[7]),
            *row[8:10],
            None if row[10] is None else float(row[10]),
        )
        for row in rows
    ]
    total = rows[0][12] if rows and count else 0
    return results, total


def search_count(criteria: Criteria) -> int:
    sql, params = count_sql(criteria)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


# How many locations, nearest first by the GiST index's flat (degree) distance, are measured
# by great circle to find the nearest match; enough that the flat order's error (east-west
# degrees are shorter away from the equator) cannot matter for a radius link.
NEAREST_CANDIDATES = 10


def nearest_match_miles(criteria: Criteria, *, within: float) -> float | None:
    """Great-circle miles to the nearest location of a published center that matches every
    filter of `criteria` but the radius (and the text), or None when none is within `within`.

    PostgreSQL walks the GiST index on locations' points outward from the place (a
    nearest-neighbour scan) and stops after a few matches, so this costs about the same
    however far the match is. SQLite has no such index: it searches a box of `within`
    miles, ordered by distance, as the listing does.
    """
    place = criteria.place
    if place is None:
        return None
    if connection.vendor != "postgresql":
        wider = Criteria(
            place=place, radius=within, facets=criteria.facets, accepting=criteria.accepting, sort="distance"
        )
        rows, _ = search_rows(wider, limit=1, count=False)
        return rows[0].distance_miles if rows else None
    where, params = _facet_filters(criteria, "l.search_facets")
    sql = (
        "SELECT l.latitude, l.longitude FROM directory_location l"  # noqa: S608 (our own fragments only)
        " JOIN directory_center c ON c.id = l.center_id"
        f" WHERE {' AND '.join(['c.status = %s', *where])}"
        " ORDER BY point(l.longitude, l.latitude) <-> point(%s, %s) LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, ["published", *params, place.longitude, place.latitude, NEAREST_CANDIDATES])
        points = cursor.fetchall()
    distances = [geo.haversine_miles(place.latitude, place.longitude, lat, lng) for lat, lng in points]
    nearest = min(distances, default=None)
    return nearest if nearest is not None and nearest <= within else None
