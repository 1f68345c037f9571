"""The center search, the whole of it: which published centers match a `Criteria`, how far
each is, in what order, one page at a time; the details a result card shows; the nearest
match when nothing is near enough.

The rules, all here:
- only published centers;
- near a place: a center whose nearest location is within the radius, by great circle;
  its distance is that of its nearest location;
- a facet (treatment, setting, payment, age, language): any of its slugs; facets combine
  with AND (tested on the denormalized `search_facets`, see directory/search/index.py);
- accepting: `accepting_new_patients = 'yes'`;
- text: PostgreSQL full-text search over `search_vector`, ranked, or near spellings of the
  name when nothing matches; elsewhere every word in the name, description, a city or a
  treatment;
- order: accepting new patients first (yes, unknown, no), each nearest first; distance;
  name; most recently verified (never verified last); or relevance; then name and id.

Why SQL and not the ORM: a listing page runs this on every search, and building and
compiling the equivalent QuerySet (a join, an aggregate with HAVING, a window count, text
search) cost more than running it (bench/README.md). Every value reaches the database
as a query parameter; only our own fragments are formatted into the SQL. Results are
plain rows, read by column name, not model instances: a page is read, not edited.

A page costs two queries whatever its size or the directory's: the page with its total
count (a window function), then its centers' locations and treatment details.

A search for one word alone, by relevance, reads its page in rank order and its count from
`SearchTerm` (directory/models/search.py: each published center's rank for each word of its
document, kept by triggers) instead of ranking every center with the word: the same rows in
the same order, at a cost that does not grow with the matches.

A search near a place without text, nearest or accepting first, reads which centers match and
their order from the locations in its box alone, on PostgreSQL: each location holds its
center's place in the accepting order, NULL when it is not published (`center_order`, kept by
triggers: migration 0019). Only the page's rows, and any tied with them, are read from the
centers, whose names settle the ties (_near_sql).
"""

import dataclasses
import hashlib
import json
import math
import re
import time
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.cache import cache
from django.core.paginator import InvalidPage, Page, Paginator
from django.db import connection
from django.db.models import Count, Window
from django.http import Http404

from directory import geo
from directory.formatting import postal_address
from directory.models import Center
from directory.models.centers import OfferLabels
from directory.models.medicare import evidence_sentence
from directory.search.params import Criteria
from directory.search.vocabulary import Term, Vocabulary, vocabulary_load
from directory.term_names import term_label

PER_PAGE = 20
MAX_PAGE = 100_000  # beyond any directory we will have; keeps OFFSET a sane number
# Counting every center of an unbounded search (no place, no text) reads the whole
# directory; its count is kept this long instead of being recounted for every page.
UNBOUNDED_COUNT_SECONDS = 60
# The centers of a state with a facet (an empty page's telehealth line) are kept as long as a
# shared cache may keep the page itself (config.settings.PUBLIC_CACHE_SECONDS, 300 s).
STATE_COUNT_SECONDS = 300
# How many locations, nearest first by the GiST index's flat (degree) distance, are measured
# by great circle to find the nearest match; enough that the flat order's error (east-west
# degrees are shorter away from the equator) cannot matter for a radius link.
NEAREST_CANDIDATES = 10
# A nearest match among at most this many locations reads them all (see nearest_match_miles).
FEW_MATCHES = 500
FACET_COUNTS_SECONDS = 600
_facet_counts_held: list = [0.0, None]  # [when read, counts]

# The center columns a result needs (ResultRow's fields of the same names).
COLUMNS = (
    "id",
    "name",
    "slug",
    "phone",
    "intake_phones",
    "status",
    "accepting_new_patients",
    "accepting_checked_on",
    "last_verified_on",
    "verification_method",
    "source",
    "medicare_evidence",
    "search_facets",
)
# What a card says a center takes, in this order (payment slug -> label).
CARD_PAYMENTS = {
    "medicare": "Medicare",
    "medicaid": "Medicaid",
    "private-insurance": "Private insurance",
    "self-pay": "Self-pay (cash)",
    "sliding-fee": "Sliding fee scale",
}
VERIFICATION_METHODS = dict(Center.VerificationMethod.choices)
ORDER_BY = {
    "distance": "distance_miles, c.name, c.id",
    "accepting": "CASE c.accepting_new_patients WHEN 'yes' THEN 0 WHEN 'no' THEN 2 ELSE 1 END,"
    " distance_miles, c.name, c.id",
    "name": "c.name, c.id",
    "verified": "c.last_verified_on DESC NULLS LAST, c.name, c.id",
    "relevance": "relevance DESC, c.name, c.id",
}
# The center columns the orders read (a counted search reads only these for every match).
ORDER_KEYS = ("id", "name", "last_verified_on", "accepting_new_patients")
# Great-circle miles from the place (%(lat)s, %(cos_lat)s, %(lng)s in radians) to a location.
HAVERSINE_SQL = (
    "%(diameter)s * ASIN({least}(1.0, SQRT(POWER(SIN((RADIANS(l.latitude) - %(lat)s) / 2), 2)"
    " + %(cos_lat)s * COS(RADIANS(l.latitude)) * POWER(SIN((RADIANS(l.longitude) - %(lng)s) / 2), 2))))"
)
# Without PostgreSQL's text search: a word, anywhere in the name, description, a city or a treatment.
WORD_SQL = (
    "(c.name LIKE %(word)s ESCAPE '\\' OR c.description LIKE %(word)s ESCAPE '\\'"
    " OR EXISTS (SELECT 1 FROM directory_location l2 WHERE l2.center_id = c.id AND l2.city LIKE %(word)s ESCAPE '\\')"
    " OR EXISTS (SELECT 1 FROM directory_centertreatment ct JOIN directory_treatment t ON t.id = ct.treatment_id"
    " WHERE ct.center_id = c.id AND (t.name LIKE %(word)s ESCAPE '\\' OR t.short_name LIKE %(word)s ESCAPE '\\')))"
)


@dataclass
class LocationRow:
    street1: str
    street2: str
    city: str
    state: str
    zip: str
    latitude: float
    longitude: float
    phone: str

    @property
    def address(self) -> str:
        return postal_address(self.street1, self.street2, self.city, self.state, self.zip)


@dataclass
class OfferRow(OfferLabels):
    treatment_id: int
    tms_variant: str
    ketamine_route: str
    spravato_rems_certified: bool | None
    ect_setting: str
    vns_role: str
    psychedelic_program: str
    self_pay_price: Decimal | None
    price_unit: str
    prior_authorization_help: bool | None
    term: Term | None = None


@dataclass
class ResultRow:
    id: int
    name: str
    slug: str
    phone: str
    intake_phones: str
    status: str
    accepting_new_patients: str
    accepting_checked_on: date | None
    last_verified_on: date | None
    verification_method: str
    source: str
    medicare_evidence: list[dict]
    search_facets: str
    distance_miles: float | None = None
    # Set by rows_attach_details():
    locations: list[LocationRow] = field(default_factory=list)
    offers: list[OfferRow] = field(default_factory=list)

    @property
    def location(self) -> LocationRow | None:
        """The location a card shows: the nearest to the search, else the first."""
        return self.locations[0] if self.locations else None

    @property
    def call_phone(self) -> str:
        """The number a new patient should call: the location's own, else the intake line, else the main one."""
        intake = self.intake_phones.split(",", 1)[0].strip()
        return (self.location.phone if self.location else "") or intake or self.phone

    @property
    def described_offers(self) -> list[OfferRow]:
        """Treatments with details or a price: a line each on the card."""
        return [offer for offer in self.offers if offer.detail_labels or offer.self_pay_price is not None]

    @property
    def plain_offer_names(self) -> list[str]:
        """Treatments named without details (all of a SAMHSA-only listing's): one line on the card."""
        described = self.described_offers
        return [term_label(offer.term.short_name) for offer in self.offers if offer not in described]

    @property
    def evidence_lines(self) -> list[str]:
        """ "Billed Medicare for TMS in 2023: 3 clinicians here.", the newest year of each treatment."""
        newest: dict[str, dict] = {}
        for entry in self.medicare_evidence:  # newest year first
            newest.setdefault(entry["treatment"], entry)
        return [evidence_sentence(**entry) for entry in newest.values()]

    @property
    def payments_taken(self) -> list[str]:
        """ "Medicare", "Self-pay", ...: the payment options a card names (CARD_PAYMENTS), from the facets."""
        tokens = set(self.search_facets.split())
        return [term_label(label) for slug, label in CARD_PAYMENTS.items() if f"payment:{slug}" in tokens]

    @property
    def helps_with_prior_authorization(self) -> bool:
        return any(offer.prior_authorization_help for offer in self.offers)

    @property
    def verification_method_label(self) -> str:
        """ "phone call", as the card says "Last verified ... by phone call"."""
        return VERIFICATION_METHODS.get(self.verification_method, "")


@dataclass
class Results:
    page: Page  # a page of ResultRow, with the whole search's count in page.paginator.count
    fuzzy: bool = False  # the results are names spelled like the text, not matches of it


# Running a statement.

# PostgreSQL plans a statement each time it is sent, and planning ours cost more than running
# them (0.3 to 0.4 ms of 0.7 for a page, bench/README.md). A statement run PREPARE_AFTER times
# on one connection is prepared there (PREPARE), and later runs use its saved plan (EXECUTE).
# Prepared statements belong to the database session: a new connection starts counting again,
# and a connection that is closed after each request (CONN_MAX_AGE 0) never prepares. The
# answers are the same either way; only the planning is saved. Not behind a pooler in
# transaction mode (PgBouncer's default), which does not keep a session's prepared statements.
PREPARE_AFTER = 5
MAX_PREPARED = 200  # per connection; beyond it, statements simply run unprepared
MAX_COUNTED = 2000  # statements whose runs are counted before they are prepared (then counting restarts)
_PARAMETER_RE = re.compile(r"%\((\w+)\)s")


@dataclass
class _Statements:
    session: object  # the DB-API connection these were prepared on
    runs: dict = field(default_factory=dict)  # SQL -> runs so far, until prepared
    prepared: dict = field(default_factory=dict)  # SQL -> (name, parameter names in order)


def _run(cursor, sql: str, params: dict) -> None:
    """cursor.execute(sql, params), from a prepared statement on PostgreSQL once `sql` is common."""
    if connection.vendor != "postgresql":
        cursor.execute(sql, params)
        return
    statements = getattr(connection, "_search_statements", None)
    if statements is None or statements.session is not connection.connection:
        statements = connection._search_statements = _Statements(connection.connection)
    prepare = ""
    entry = statements.prepared.get(sql)
    if entry is None:
        runs = statements.runs.get(sql, 0) + 1
        if runs < PREPARE_AFTER or len(statements.prepared) >= MAX_PREPARED:
            if len(statements.runs) >= MAX_COUNTED:
                statements.runs.clear()
            statements.runs[sql] = runs
            cursor.execute(sql, params)
            return
        positional, names = _positional(sql)
        entry = (f"search_{len(statements.prepared)}", names)
        prepare = f"PREPARE {entry[0]} AS {positional}; "  # sent with its first run: one round trip
    name, names = entry
    arguments = f" ({', '.join(['%s'] * len(names))})" if names else ""
    cursor.execute(f"{prepare}EXECUTE {name}{arguments}", [params[n] for n in names])
    if prepare:
        statements.prepared[sql] = entry
        statements.runs.pop(sql, None)


def _positional(sql: str) -> tuple[str, list[str]]:
    """`sql` with $1, $2... for its %(name)s parameters, and the names in that order."""
    names: list[str] = []

    def number(match: re.Match) -> str:
        if match[1] not in names:
            names.append(match[1])
        return f"${names.index(match[1]) + 1}"

    return _PARAMETER_RE.sub(number, sql), names


# The statement.


def _like(fragment: str) -> str:
    return "%" + fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _facet_conditions(criteria: Criteria, facets_column: str, *, in_text: bool = False) -> tuple[list[str], dict]:
    """Any slug of a facet, every facet, and "accepting". PostgreSQL compares the facets as
    an array of tokens (`&&`: any in common), which its GIN indexes serve (migration 0009),
    or, `in_text`, looks for each " token " in the text, for rows already read from another
    index (the locations in a box: an array built for each cost 1.2 µs a location, the
    search 0.15); SQLite looks for each token in the text."""
    where: list[str] = []
    params: dict = {}
    postgres = connection.vendor == "postgresql"
    for facet, slugs in sorted(criteria.facets.items()):
        tokens = [f"{facet}:{slug}" for slug in slugs]
        if not tokens:
            continue
        if postgres and not in_text:
            where.append(f"string_to_array({facets_column}, ' ') && %({facet})s::text[]")
            params[facet] = tokens
            continue
        names = [f"{facet}_{n}" for n in range(len(tokens))]
        if postgres:
            where.append("(" + " OR ".join(f"strpos({facets_column}, %({name})s) > 0" for name in names) + ")")
            params |= {name: f" {token} " for name, token in zip(names, tokens, strict=True)}
        else:
            where.append("(" + " OR ".join(f"{facets_column} LIKE %({name})s ESCAPE '\\'" for name in names) + ")")
            params |= {name: _like(f" {token} ") for name, token in zip(names, tokens, strict=True)}
    if criteria.accepting:
        where.append("c.accepting_new_patients = 'yes'")
    return where, params


def _text_condition(criteria: Criteria) -> tuple[list[str], str, dict]:
    """The text's conditions, the relevance expression and their parameters."""
    if not criteria.q:
        return [], "0.0", {}
    if connection.vendor == "postgresql" and criteria.fuzzy:
        return ["%(text)s <%% c.name"], "word_similarity(%(text)s, c.name)", {"text": criteria.q}
    if connection.vendor == "postgresql":
        # A sub-select, parsed once per statement: a prepared statement's generic plan (see _run)
        # cannot fold the function of a parameter, and parsed the text again for every match's
        # ts_rank (half the time of a search matching thousands of centers).
        query = "(SELECT websearch_to_tsquery('english'::regconfig, %(text)s))"
        return [f"c.search_vector @@ {query}"], f"ts_rank(c.search_vector, {query})", {"text": criteria.q}
    where, params = [], {}
    words = [word.strip("\"'()") for word in criteria.q.split()]
    for n, word in enumerate(word for word in words if word and word.lower() not in {"or", "and", "-"}):
        where.append(WORD_SQL.replace("%(word)s", f"%(word_{n})s"))
        params[f"word_{n}"] = _like(word)
    return where, "0.0", params


# One word of letters: PostgreSQL's 'english' configuration makes it one lexeme (or none,
# for a word it ignores such as "the"), whose ranks SearchTerm holds.
ONE_WORD_RE = re.compile(r"[^\W\d_]+")
# That lexeme, as websearch_to_tsquery writes it ("'ketamin'"; '' for an ignored word).
ONE_WORD_LEXEME_SQL = "(SELECT trim(both '''' from websearch_to_tsquery('english'::regconfig, %(text)s)::text))"


def _one_word(criteria: Criteria) -> bool:
    """Whether SearchTerm can answer this search: one word, by relevance, nothing else."""
    return (
        connection.vendor == "postgresql"
        and not (criteria.place or criteria.facets_key or criteria.accepting or criteria.fuzzy)
        and criteria.sort == "relevance"
        and ONE_WORD_RE.fullmatch(criteria.q) is not None
    )


def _one_word_sql(*, limit: int | None, offset: int, count: bool) -> tuple[str, dict]:
    """search_sql for a _one_word search: the page in the index's order (rank, then name and
    id, as ORDER_BY["relevance"]), then its centers' columns; the count from the same index."""
    matches = f"FROM directory_searchterm s WHERE s.lexeme = {ONE_WORD_LEXEME_SQL}"
    page = f"SELECT s.center_id, s.rank, s.name {matches} ORDER BY s.rank DESC, s.name, s.center_id"  # noqa: S608
    params: dict = {}
    if limit is not None:
        page += " LIMIT %(limit)s OFFSET %(offset)s"
        params = {"limit": limit, "offset": offset}
    columns = ", ".join(f"center.{column}" for column in COLUMNS)
    total = f", (SELECT COUNT(*) {matches}) AS total_count" if count else ""
    sql = (
        f"SELECT {columns}, NULL AS distance_miles, t.rank AS relevance{total}"  # noqa: S608 (our own SQL only)
        f" FROM ({page}) t JOIN directory_center center ON center.id = t.center_id"
        " ORDER BY t.rank DESC, t.name, t.center_id"
    )
    return sql, params


# The box around the place as geometry, for the GiST index on point(longitude, latitude): it
# reads only the locations in the box (a B-tree on latitude reads a whole band). PostgreSQL.
BOX_SQL = "point(l.longitude, l.latitude) <@ box(point(%(min_lng)s, %(min_lat)s), point(%(max_lng)s, %(max_lat)s))"


def _place_params(criteria: Criteria) -> dict:
    """The parameters of HAVERSINE_SQL, the radius and the box around criteria.place."""
    place = criteria.place
    params = {
        "diameter": 2 * geo.EARTH_RADIUS_MILES,
        "lat": math.radians(place.latitude),
        "cos_lat": math.cos(math.radians(place.latitude)),
        "lng": math.radians(place.longitude),
        "radius": criteria.radius,
    }
    box = geo.bounding_box(place.latitude, place.longitude, criteria.radius)
    return params | dict(zip(("min_lat", "max_lat", "min_lng", "max_lng"), box, strict=True))


def _from_locations(criteria: Criteria) -> bool:
    """Whether the locations alone tell which centers match and in what order: near a place,
    without text, nearest first or accepting first (PostgreSQL, whose locations hold their
    center's place in that order: center_order, migration 0019)."""
    return (
        connection.vendor == "postgresql"
        and criteria.place is not None
        and not criteria.q
        and criteria.sort in ("distance", "accepting")
    )


def _near_matches_sql(criteria: Criteria) -> tuple[str, dict]:
    """A _from_locations search's matches (id, center_order, distance_miles), from the
    locations in the box alone: the covering GiST index answers it without reading a center."""
    distance = HAVERSINE_SQL.format(least="LEAST")
    where, params = _facet_conditions(dataclasses.replace(criteria, accepting=False), "l.search_facets", in_text=True)
    where = ["l.center_order IS NOT NULL", BOX_SQL, *where]  # NULL: the center is not published
    if criteria.accepting:
        where.append("l.center_order = 0")
    sql = (
        f"SELECT l.center_id AS id, MIN(l.center_order) AS center_order, MIN({distance}) AS distance_miles"  # noqa: S608
        f" FROM directory_location l WHERE {' AND '.join(where)}"
        f" GROUP BY l.center_id HAVING MIN({distance}) <= %(radius)s"
    )
    return sql, params | _place_params(criteria)


def _near_sql(criteria: Criteria, *, limit: int, offset: int, count: bool) -> tuple[str, dict]:
    """search_sql for a page of a _from_locations search: the matches ordered by their
    locations, the first offset + limit of them and any that tie with the last (every one that
    can be on the page once names and ids break the ties, as ORDER_BY does), then their centers."""
    matches, params = _near_matches_sql(criteria)
    keys = "m.center_order, m.distance_miles" if criteria.sort == "accepting" else "m.distance_miles"
    total = ", COUNT(*) OVER () AS total_count" if count else ""
    columns = ", ".join(f"center.{column}" for column in COLUMNS)
    sql = (
        f"SELECT {columns}, m.distance_miles, 0.0 AS relevance{', m.total_count' if count else ''}"  # noqa: S608
        f" FROM (SELECT m.*{total} FROM ({matches}) m ORDER BY {keys} FETCH FIRST %(through)s ROWS WITH TIES) m"
        " JOIN directory_center center ON center.id = m.id"
        f" ORDER BY {keys}, center.name, center.id LIMIT %(limit)s OFFSET %(offset)s"
    )
    return sql, params | {"through": offset + limit, "limit": limit, "offset": offset}


def search_sql(criteria: Criteria, *, limit: int | None, offset: int = 0, count: bool = True) -> tuple[str, dict]:
    """The SELECT of a page of `criteria`, with `total_count` when `count`."""
    if _one_word(criteria):
        sql, params = _one_word_sql(limit=limit, offset=offset, count=count)
        return sql, params | {"text": criteria.q}
    if limit is not None and _from_locations(criteria):
        return _near_sql(criteria, limit=limit, offset=offset, count=count)
    postgres = connection.vendor == "postgresql"
    select = [f"c.{column}" for column in COLUMNS]
    where = ["c.status = 'published'"]
    params: dict = {}
    join = group_by = having = ""

    if criteria.place:
        distance = HAVERSINE_SQL.format(least="LEAST" if postgres else "MIN")
        params |= _place_params(criteria)
        select.append(f"MIN({distance}) AS distance_miles")
        join = "JOIN directory_location l ON l.center_id = c.id"
        if postgres:
            where.append(BOX_SQL)
        else:
            where.append("l.latitude BETWEEN %(min_lat)s AND %(max_lat)s")
            where.append("l.longitude BETWEEN %(min_lng)s AND %(max_lng)s")
        group_by = "GROUP BY c.id"
        having = f"HAVING MIN({distance}) <= %(radius)s"
    else:
        select.append("NULL AS distance_miles")

    # Near a place, the facets are tested on the locations' copy: before any center is read.
    if criteria.place:
        facet_where, facet_params = _facet_conditions(criteria, "l.search_facets", in_text=True)
    else:
        facet_where, facet_params = _facet_conditions(criteria, "c.search_facets")
    text_where, relevance, text_params = _text_condition(criteria)
    where += facet_where + text_where
    params |= facet_params | text_params
    select.append(f"{relevance} AS relevance")
    sort = criteria.sort if criteria.sort not in ("distance", "accepting") or criteria.place else "name"
    if count:
        # Ranked and counted narrow: the ids and order keys of every match, then the columns
        # of the page's rows only (carrying whole rows through the count cost a third more).
        # The matches are a sub-select (OFFSET 0 keeps PostgreSQL from merging it into the
        # count; SQLite takes OFFSET only after a LIMIT), so that each relevance is computed
        # before the count holds every match: it had held each one's search_vector instead,
        # and written them to disk (4 MB work_mem) when thousands match.
        select = [f"c.{column}" for column in ORDER_KEYS] + select[len(COLUMNS) :]
    matches = (
        f"SELECT {', '.join(select)} FROM directory_center c {join}"  # noqa: S608 (our own fragments only)
        f" WHERE {' AND '.join(where)} {group_by} {having}"
    )
    if count:
        fence = " OFFSET 0" if postgres else ""
        sql = f"SELECT c.*, COUNT(*) OVER () AS total_count FROM ({matches}{fence}) c ORDER BY {ORDER_BY[sort]}"  # noqa: S608
    else:
        sql = f"{matches} ORDER BY {ORDER_BY[sort]}"
    if limit is not None:
        sql += " LIMIT %(limit)s OFFSET %(offset)s"
        params |= {"limit": limit, "offset": offset}
    if count:
        columns = ", ".join(f"c.{column}" if column in ORDER_KEYS else f"center.{column}" for column in COLUMNS)
        sql = (
            f"SELECT {columns}, c.distance_miles, c.relevance, c.total_count"  # noqa: S608 (our own fragments only)
            f" FROM ({sql}) c JOIN directory_center center ON center.id = c.id ORDER BY {ORDER_BY[sort]}"
        )
    return sql, params


def _day(value) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value  # SQLite gives text


def search_rows(criteria: Criteria, *, limit: int, offset: int = 0, count: bool = True) -> tuple[list[ResultRow], int]:
    """One page of results and the total (from the same query when `count`, else 0)."""
    sql, params = search_sql(criteria, limit=limit, offset=offset, count=count)
    with connection.cursor() as cursor:
        _run(cursor, sql, params)
        names = [column[0] for column in cursor.description]
        records = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
    rows = [_result_row(record) for record in records]
    return rows, (records[0]["total_count"] if records and count else 0)


def _result_row(record: dict) -> ResultRow:
    row = ResultRow(**{column: record[column] for column in COLUMNS})
    if isinstance(row.medicare_evidence, str):  # a JSON column read by hand
        row.medicare_evidence = json.loads(row.medicare_evidence)
    row.accepting_checked_on = _day(row.accepting_checked_on)
    row.last_verified_on = _day(row.last_verified_on)
    if record.get("distance_miles") is not None:
        row.distance_miles = float(record["distance_miles"])
    return row


def _matches_sql(criteria: Criteria) -> tuple[str, dict]:
    """A SELECT with one row for each match of `criteria`, to count them."""
    if _from_locations(criteria):
        return _near_matches_sql(criteria)
    return search_sql(criteria, limit=None, count=False)


def search_count(criteria: Criteria) -> int:
    sql, params = _matches_sql(criteria)
    with connection.cursor() as cursor:
        _run(cursor, f"SELECT COUNT(*) FROM ({sql}) AS matches", params)  # noqa: S608 (see search_sql)
        return cursor.fetchone()[0]


def search_counts(criteria_list: list[Criteria]) -> list[int]:
    """The counts of several searches in one query (the looser searches an empty page offers)."""
    if not criteria_list:
        return []
    counts, params = [], {}
    for n, criteria in enumerate(criteria_list):
        sql, own = _matches_sql(criteria)
        for name, value in own.items():  # each search's parameters under names of its own
            sql = sql.replace(f"%({name})s", f"%({name}_{n})s")
            params[f"{name}_{n}"] = value
        counts.append(f"(SELECT COUNT(*) FROM ({sql}) AS matches_{n})")  # noqa: S608 (see search_sql)
    with connection.cursor() as cursor:
        _run(cursor, f"SELECT {', '.join(counts)}", params)  # noqa: S608 (see search_sql)
        return list(cursor.fetchone())


@dataclass
class CenterLink:
    name: str
    slug: str


def centers_in_state(state: str, facets: dict[str, tuple[str, ...]], *, limit: int) -> tuple[list[CenterLink], int]:
    """The first `limit` published centers by name with a location in `state` and these facets
    (e.g. {"setting": ("telehealth",)}), and how many there are: one query, whose answer is the
    same for every visitor and is kept STATE_COUNT_SECONDS (counting a large state's matches reads
    them all: 6 ms for California on the national directory, 440 ms at 100,000 centers)."""
    key = (
        "directory:centers-in-state:"
        + hashlib.sha256(repr((state, sorted(facets.items()), limit)).encode()).hexdigest()[:32]
    )
    kept = cache.get(key)
    if kept is not None:
        return kept
    where, params = _facet_conditions(Criteria(facets=facets), "l.search_facets")
    # The centers are found from the state's locations; OFFSET 0 keeps PostgreSQL from walking
    # every center in name order instead (it would, for a facet most centers have). SQLite
    # takes OFFSET only after a LIMIT, and needs no fence.
    fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
    sql = (
        "SELECT name, slug, COUNT(*) OVER () AS total_count FROM (SELECT c.id, c.name, c.slug"  # noqa: S608 (our own SQL)
        " FROM directory_center c WHERE c.status = 'published' AND c.id IN (SELECT l.center_id"
        f" FROM directory_location l WHERE l.state = %(state)s AND {' AND '.join(where)}){fence}) AS found"
        " ORDER BY name, id LIMIT %(limit)s"
    )
    with connection.cursor() as cursor:
        _run(cursor, sql, params | {"state": state.upper(), "limit": limit})
        rows = cursor.fetchall()
    found = [CenterLink(name, slug) for name, slug, _ in rows], (rows[0][2] if rows else 0)
    cache.set(key, found, STATE_COUNT_SECONDS)
    return found


# Pages.


def page_number(value: str | None) -> int | None:
    """The page asked for, or None when it is not a page number at all."""
    try:
        number = int(value or 1)
    except ValueError:
        return None
    return number if number >= 1 else None


class OnePage:
    """The rows of one page and the count of all matches, read together, given to Django's
    Paginator (which numbers and links the pages) as the list it pages through."""

    def __init__(self, rows: list, count: int, offset: int):
        self.rows, self.total, self.offset = rows, count, offset

    def count(self) -> int:
        return self.total

    def __getitem__(self, index: slice) -> list:
        return self.rows[index.start - self.offset : index.stop - self.offset]


def _page(rows, count, *, number, per_page, place, vocabulary) -> Page:
    """Page `number` of `count` results whose rows on that page are `rows`; Http404 past the end."""
    try:
        page = Paginator(OnePage(rows, count, (number - 1) * per_page), per_page).page(number)
    except InvalidPage:
        raise Http404("No such page.") from None
    if rows:
        rows_attach_details(rows, place=place, vocabulary=vocabulary or vocabulary_load())
    return page


def search_page(
    criteria: Criteria, *, number: int, vocabulary: Vocabulary | None = None, per_page: int = PER_PAGE
) -> Results:
    """Page `number` (from 1) of a search. Raises Http404 past the last page."""
    if number > MAX_PAGE:
        raise Http404("No such page.")
    offset = (number - 1) * per_page
    page = {"number": number, "per_page": per_page, "place": criteria.place, "vocabulary": vocabulary}
    if not criteria.is_bounded:
        # The page itself comes from an index in order; only the count reads everything.
        rows, _ = search_rows(criteria, limit=per_page, offset=offset, count=False)
        # A count kept a minute may be a little behind: never below what this page shows.
        count = max(_unbounded_count(criteria), offset + len(rows)) if rows else 0
        return Results(_page(rows, count, **page))
    rows, count = search_rows(criteria, limit=per_page, offset=offset)
    if not rows and _can_be_fuzzy(criteria) and (number == 1 or search_count(criteria) == 0):
        # Nothing matches the words as typed: show names spelled like them ("sunrse").
        fuzzy = dataclasses.replace(criteria, fuzzy=True)
        rows, count = search_rows(fuzzy, limit=per_page, offset=offset)
        return Results(_page(rows, count, **page), fuzzy=True)
    return Results(_page(rows, count, **page))


def _can_be_fuzzy(criteria: Criteria) -> bool:
    """Whether names spelled like the text may stand in when nothing matches it (plain words, PostgreSQL)."""
    return connection.vendor == "postgresql" and bool(criteria.q) and geo.is_plain_text(criteria.q)


def queryset_page(queryset, *, number: int, vocabulary: Vocabulary | None = None, per_page: int = PER_PAGE) -> Page:
    """Page `number` (from 1) of an ordered Center QuerySet, as result rows. Raises Http404 past the last page."""
    if number > MAX_PAGE:
        raise Http404("No such page.")
    offset = (number - 1) * per_page
    records = list(queryset.annotate(total_count=Window(Count("*"))).values(*COLUMNS, "total_count")[
        offset : offset + per_page
    ])  # fmt: skip
    rows = [_result_row(record) for record in records]
    count = records[0]["total_count"] if records else 0
    return _page(rows, count, number=number, per_page=per_page, place=None, vocabulary=vocabulary)


def _unbounded_count(criteria: Criteria) -> int:
    described = repr((connection.vendor, criteria.facets_key, criteria.accepting))
    key = "directory:search-count:" + hashlib.sha256(described.encode()).hexdigest()[:32]
    count = cache.get(key)
    if count is None:
        count = search_count(criteria)
        cache.set(key, count, UNBOUNDED_COUNT_SECONDS)
    return count


# What each card shows.

LOCATION_COLUMNS = tuple(f.name for f in dataclasses.fields(LocationRow))
OFFER_COLUMNS = tuple(f.name for f in dataclasses.fields(OfferRow) if f.name != "term")


def rows_attach_details(rows: list[ResultRow], *, place: geo.Place | None, vocabulary: Vocabulary) -> None:
    """Give each row `locations` (nearest to `place` first, else in their order) and
    `offers` (in the treatments' order, each with its vocabulary `term`).

    One query for both: each center's locations joined with its treatment details. A
    center has one or two locations and a few treatments, so the cross product is small,
    and a round trip less per search is worth it.
    """
    ids = {f"id_{n}": row.id for n, row in enumerate(rows)}
    columns = [f"l.{name} AS location_{name}" for name in LOCATION_COLUMNS]
    columns += [f"ct.{name} AS offer_{name}" for name in OFFER_COLUMNS]
    sql = (
        f"SELECT c.id AS center_id, l.id AS location_id, ct.id AS offer_id, {', '.join(columns)}"  # noqa: S608
        " FROM directory_center c"
        " LEFT JOIN directory_location l ON l.center_id = c.id"
        " LEFT JOIN directory_centertreatment ct ON ct.center_id = c.id"
        f" WHERE c.id IN ({', '.join(f'%({name})s' for name in ids)}) ORDER BY l.sort_order, l.id"
    )
    locations: dict[int, dict[int, LocationRow]] = {row.id: {} for row in rows}
    offers: dict[int, dict[int, OfferRow]] = {row.id: {} for row in rows}
    with connection.cursor() as cursor:
        _run(cursor, sql, ids)
        names = [column[0] for column in cursor.description]
        for values in cursor.fetchall():
            record = dict(zip(names, values, strict=True))
            center_locations, center_offers = locations[record["center_id"]], offers[record["center_id"]]
            if record["location_id"] is not None and record["location_id"] not in center_locations:
                center_locations[record["location_id"]] = LocationRow(
                    **{name: record[f"location_{name}"] for name in LOCATION_COLUMNS}
                )
            if record["offer_id"] is not None and record["offer_id"] not in center_offers:
                offer = OfferRow(**{name: record[f"offer_{name}"] for name in OFFER_COLUMNS})
                if offer.self_pay_price is not None and not isinstance(offer.self_pay_price, Decimal):
                    offer.self_pay_price = Decimal(str(offer.self_pay_price))  # SQLite gives a float
                center_offers[record["offer_id"]] = offer
    terms = vocabulary.treatments_by_id()
    order = {term.id: n for n, term in enumerate(vocabulary.terms["treatment"])}
    for row in rows:
        row.locations = list(locations[row.id].values())
        if place and len(row.locations) > 1:
            row.locations.sort(
                key=lambda loc: geo.haversine_miles(place.latitude, place.longitude, loc.latitude, loc.longitude)
            )
        row.offers = sorted(
            (offer for offer in offers[row.id].values() if offer.treatment_id in terms),
            key=lambda offer: order[offer.treatment_id],
        )
        for offer in row.offers:
            offer.term = terms[offer.treatment_id]


# When nothing is near enough.


def nearest_match_miles(criteria: Criteria, *, within: float) -> float | None:
    """Great-circle miles to the nearest location of a published center that matches every
    filter of `criteria` but the radius (and the text), or None when none is within `within`.

    PostgreSQL, two ways, chosen by how many locations the filters can match at most
    (`facet_counts`, kept in the cache):
    - few (a rare treatment, or treatment and payment): all of them are read through the
      trigram index on locations' facets and measured by great circle;
    - many: the GiST index on locations' points is walked outward from the place (a
      nearest-neighbour scan) and stops after a few matches, which come soon when matches
      are common. (Walked for a rare filter, it would read most of the country first.)
    SQLite has no such indexes: it searches a box of `within` miles, ordered by distance,
    as the listing does.
    """
    place = criteria.place
    if place is None:
        return None
    if connection.vendor != "postgresql":
        wider = Criteria(place=place, radius=within, facets=criteria.facets, accepting=criteria.accepting,
                         sort="distance")  # fmt: skip
        rows, _ = search_rows(wider, limit=1, count=False)
        return rows[0].distance_miles if rows else None
    where, params = _facet_conditions(criteria, "l.search_facets")
    where = ["c.status = 'published'", *where]
    params |= {"lng": place.longitude, "lat": place.latitude}
    join = "FROM directory_location l JOIN directory_center c ON c.id = l.center_id"
    if _most_matches(criteria) <= FEW_MATCHES:
        nearest = _nearest_measured(place, join, where, params)
    else:
        sql = (
            f"SELECT l.latitude, l.longitude {join} WHERE {' AND '.join(where)}"  # noqa: S608 (our own fragments only)
            " ORDER BY point(l.longitude, l.latitude) <-> point(%(lng)s, %(lat)s) LIMIT %(candidates)s"
        )
        with connection.cursor() as cursor:
            _run(cursor, sql, params | {"candidates": NEAREST_CANDIDATES})
            points = cursor.fetchall()
        nearest = min(
            (geo.haversine_miles(place.latitude, place.longitude, lat, lng) for lat, lng in points), default=None
        )
        if nearest is not None and len(points) == NEAREST_CANDIDATES:
            # The walk goes by flat degrees, which stretch east-west away from the equator: far
            # north, a location it ranks past the candidates can be nearer by great circle. Any
            # such location lies in the box around the nearest candidate's circle; when that box
            # reaches past the last candidate's flat distance, measure every location in it.
            min_lat, max_lat, min_lng, max_lng = geo.bounding_box(place.latitude, place.longitude, nearest)
            last_lat, last_lng = points[-1]
            corner = math.hypot(max_lat - place.latitude, max_lng - place.longitude)
            if corner >= math.hypot(last_lat - place.latitude, last_lng - place.longitude):
                box = ("point(l.longitude, l.latitude) <@ box(point(%(min_lng)s, %(min_lat)s), "
                       "point(%(max_lng)s, %(max_lat)s))")  # fmt: skip
                corners = {"min_lat": min_lat, "max_lat": max_lat, "min_lng": min_lng, "max_lng": max_lng}
                nearest = _nearest_measured(place, join, [*where, box], params | corners)
    return nearest if nearest is not None and nearest <= within else None


def _nearest_measured(place: geo.Place, join: str, where: list[str], params: dict) -> float | None:
    """Great-circle miles from `place` to the nearest location meeting `where`, all of them measured."""
    distance = HAVERSINE_SQL.format(least="LEAST")
    lat = math.radians(place.latitude)
    params = params | {"diameter": 2 * geo.EARTH_RADIUS_MILES, "lat": lat, "cos_lat": math.cos(lat),
                       "lng": math.radians(place.longitude)}  # fmt: skip
    sql = f"SELECT MIN({distance}) {join} WHERE {' AND '.join(where)}"  # noqa: S608 (our own fragments only)
    with connection.cursor() as cursor:
        _run(cursor, sql, params)
        return cursor.fetchone()[0]


def _most_matches(criteria: Criteria) -> int:
    """At most how many locations the facets and "accepting" of `criteria` can match."""
    counts = facet_counts()
    bounds = [
        sum(counts.get(f"{facet}:{slug}", 0) for slug in slugs) for facet, slugs in criteria.facets.items() if slugs
    ]
    if criteria.accepting:
        bounds.append(counts.get("accepting:yes", 0))
    return min(bounds, default=counts.get("all", 0))


def facet_counts() -> dict[str, int]:
    """How many locations of published centers have each facet ("treatment:tms": 153, ...),
    are of centers accepting new patients ("accepting:yes") and in all ("all"). PostgreSQL.
    Kept by each process FACET_COUNTS_SECONDS: the counts only choose how the nearest match
    is looked up, never what it finds."""
    held_since, counts = _facet_counts_held
    if counts is None or time.monotonic() - held_since > FACET_COUNTS_SECONDS:
        sql = (
            "SELECT facet, COUNT(*) FROM directory_location l JOIN directory_center c ON c.id = l.center_id,"
            " unnest(string_to_array(l.search_facets || CASE WHEN c.accepting_new_patients = 'yes'"
            " THEN ' accepting:yes all' ELSE ' all' END, ' ')) AS facet"
            " WHERE c.status = 'published' AND facet <> '' GROUP BY facet"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql)
            counts = dict(cursor.fetchall())
        _facet_counts_held[:] = [time.monotonic(), counts]
    return counts
