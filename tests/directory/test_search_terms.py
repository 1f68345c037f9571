"""One-word text searches read SearchTerm (kept by triggers on PostgreSQL) instead of ranking
every match: these check that they give exactly what the ranked full-text search gives,
computed here on its own from `search_vector`, and that every way a center changes keeps
the index true."""

import json

import pytest
from django.db import connection

from directory.models import Center, SearchTerm
from directory.search import query
from directory.search.index import centers_refresh_search
from tests.directory.import_helpers import facility_row, run_import, write_directory
from tests.factories import make_center

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def ranked_by_postgresql(word: str) -> list[int]:
    """The rule itself: published centers whose document matches, by ts_rank, then name and id."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM directory_center WHERE status = 'published'"
            " AND search_vector @@ websearch_to_tsquery('english', %s)"
            " ORDER BY ts_rank(search_vector, websearch_to_tsquery('english', %s)) DESC, name, id",
            [word, word],
        )
        return [row[0] for row in cursor.fetchall()]


def api_ids(client, text: str, **extra) -> tuple[list[int], int]:
    ids, count, page = [], None, 1
    while True:
        body = client.get("/api/centers/", {"q": text, "page": page, **extra}).json()
        count = body["count"] if count is None else count
        ids += [Center.objects.get(slug=result["slug"]).pk for result in body["results"]]
        if not body["next"]:
            return ids, count
        page += 1


@pytest.fixture
def centers():
    """More than a page of matches, with ties on rank (the order falls to name, then id) and
    centers that must never be listed."""
    made = []
    for n in range(23):
        made.append(make_center(name=f"Harbor Clinic {n % 4}", treatments=("ketamine",) if n % 3 else ("tms",)))
    made.append(make_center(name="Ketamine Ketamine Care", treatments=("ketamine",), description="Ketamine."))
    made.append(make_center(name="Quiet Place", treatments=("cbt",), description="We offer ketamine infusions."))
    made.append(make_center(name="Ketamine Draft", status=Center.Status.DRAFT))
    made.append(make_center(name="Ketamine Closed", status=Center.Status.CLOSED))
    made.append(make_center(name="O'Brien \\ Back-slash Ketamine", treatments=("ketamine",)))
    return made


def test_a_word_gives_the_ranked_search_exactly_page_by_page(client, centers):
    for word in ("ketamine", "Ketamine", "harbor", "clinic", "infusions", "quiet", "nowhere"):
        expected = ranked_by_postgresql(word)
        ids, count = api_ids(client, word)
        assert (ids, count) == (expected, len(expected)), word
    assert len(ranked_by_postgresql("clinic")) > query.PER_PAGE  # two pages, ties across the page break


def test_a_word_reads_the_index_in_its_order_and_counts_from_it(centers):
    sql, params = query.search_sql(query.Criteria(q="ketamine", sort="relevance"), limit=20)
    assert "directory_searchterm" in sql and "search_vector" not in sql
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE directory_searchterm")
        # A tiny table: ask what the planner can do at scale, where reading the index is the only
        # cheap way (statistics other tests leave behind otherwise decide the plan).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = plan[0]["Plan"] if isinstance(plan, list) else json.loads(plan)[0]["Plan"]

    def nodes(node):
        yield node
        for child in node.get("Plans", []):
            yield from nodes(child)

    # The page's 20 rows come straight from the order index, in its order: no sort of the matches.
    limit = next(node for node in nodes(plan) if node["Node Type"] == "Limit")
    scan = next(child for child in limit["Plans"] if child.get("Parent Relationship") == "Outer")
    assert scan["Node Type"] in ("Index Scan", "Index Only Scan"), plan
    assert scan["Index Name"] == "searchterm_order_idx", plan


def test_every_match_of_a_word_without_a_count_as_the_open_data_api_reads_them(centers):
    rows, count = query.search_rows(query.Criteria(q="clinic", sort="relevance"), limit=1000, count=False)
    assert [row.id for row in rows] == ranked_by_postgresql("clinic") and count == 0
    assert query.search_count(query.Criteria(q="clinic", sort="relevance")) == len(ranked_by_postgresql("clinic"))


def test_other_searches_keep_the_ranked_query(centers):
    for criteria in (
        query.Criteria(q="ketamine harbor", sort="relevance"),  # two words: ts_rank of both together
        query.Criteria(q="ketamine", sort="name"),
        query.Criteria(q="ketamine", sort="relevance", facets={"treatment": ("tms",)}),
        query.Criteria(q="ketamine", sort="relevance", accepting=True),
        query.Criteria(q="covid-19", sort="relevance"),
        query.Criteria(q='"ketamine"', sort="relevance"),
    ):
        sql, _ = query.search_sql(criteria, limit=20)
        assert "directory_searchterm" not in sql, criteria


def test_a_page_still_costs_two_queries(client, centers, django_assert_num_queries):
    expected = len(ranked_by_postgresql("ketamine"))
    client.get("/api/centers/?q=ketamine")
    with django_assert_num_queries(2):
        assert client.get("/api/centers/?q=ketamine").json()["count"] == expected


def test_publishing_renaming_editing_and_deleting_keep_the_index(client, centers):
    draft = Center.objects.get(name="Ketamine Draft")
    draft.status = Center.Status.PUBLISHED
    draft.save()
    assert draft.pk in api_ids(client, "ketamine")[0]

    first = Center.objects.get(name="Ketamine Ketamine Care")
    assert api_ids(client, "ketamine")[0][0] == first.pk
    first.status = Center.Status.CLOSED
    first.save()
    assert first.pk not in api_ids(client, "ketamine")[0]

    renamed = centers[0]
    renamed.name = "Aardvark Harbor"
    renamed.save()
    centers_refresh_search(center_ids=[renamed.pk])
    assert api_ids(client, "harbor")[0] == ranked_by_postgresql("harbor")
    assert api_ids(client, "aardvark")[0] == [renamed.pk]

    described = Center.objects.get(name="Quiet Place")
    described.description = "Talk therapy only."
    described.save()
    centers_refresh_search(center_ids=[described.pk])
    assert described.pk not in api_ids(client, "infusions")[0]

    gone = centers[1]
    gone.delete()
    assert not SearchTerm.objects.filter(center_id=gone.pk).exists()
    Center.objects.filter(name__startswith="Harbor Clinic 2").update(status=Center.Status.DRAFT)  # a bulk update
    for word in ("ketamine", "harbor", "clinic", "aardvark"):
        assert api_ids(client, word) == (ranked_by_postgresql(word), len(ranked_by_postgresql(word))), word


def test_an_import_and_its_rerun_keep_the_index(client, tmp_path):
    path = write_directory(
        tmp_path / "directory.csv",
        [facility_row(name1="Lakeshore Ketamine Clinic"), facility_row(name1="Lakeshore Counseling")],
    )
    run_import(path)
    assert api_ids(client, "lakeshore") == (ranked_by_postgresql("lakeshore"), 2)
    renamed = write_directory(
        tmp_path / "newer.csv",
        [facility_row(name1="Lakeshore Ketamine Clinic"), facility_row(name1="Bayside Counseling")],
    )
    run_import(renamed)
    for word in ("lakeshore", "bayside", "counseling"):
        assert api_ids(client, word) == (ranked_by_postgresql(word), len(ranked_by_postgresql(word))), word
