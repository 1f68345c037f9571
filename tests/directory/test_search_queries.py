"""How the search reads the database: a fixed number of queries, the results its rules give
(checked against the same rules computed in the test), PostgreSQL text search, and search
columns kept up to date by the admin."""

import random
import re
from datetime import date, timedelta
from html import unescape
from urllib.parse import urlencode

import pytest
from django.core import serializers
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.urls import reverse

from directory import geo
from directory.models import CareSetting, Center, Location, Treatment
from directory.search import query
from directory.search.index import centers_refresh_search
from directory.search.params import CenterFilterSet
from tests.directory.conftest import JAX, api_names, center_with, miles_between, point_at
from tests.factories import make_center

pytestmark = pytest.mark.django_db

EVERY_FILTER = (
    "q=harbor&near=32207&radius=50&treatment=tms&treatment=ketamine&setting=outpatient&payment=medicare"
    "&age=adults&language=spanish&accepting=1&sort=verified"
)


def matching_center(n: int, *, second_location: bool = False) -> Center:
    lat, lng = point_at(*JAX, miles=1 + n % 40, bearing=n * 37 % 360)
    center = center_with(
        name=f"Harbor Clinic {n:03d}",
        latitude=lat,
        longitude=lng,
        treatments=("tms", "ketamine", "cbt"),
        settings_=("outpatient", "telehealth"),
        payments=("medicare", "self-pay"),
        ages=("adults",),
        languages=("spanish",),
        accepting_new_patients="yes",
        last_verified_on=date(2026, 1, 1) + timedelta(days=n),
    )
    if second_location:
        Location.objects.create(center=center, street1="2 Other Street", city="Jacksonville", state="FL",
                                zip="32256", latitude=lat + 0.01, longitude=lng, sort_order=1)  # fmt: skip
    return center


def test_a_full_page_with_every_filter_takes_a_fixed_number_of_queries(client, django_assert_num_queries):
    for n in range(25):
        matching_center(n, second_location=n % 3 == 0)
    make_center(name="Harbor Elsewhere", treatments=("ect",))
    # Cold: the lookup vocabulary is read once (one UNION query), then cached.
    with django_assert_num_queries(4):
        response = client.get(f"/centers/?{EVERY_FILTER}")
    assert response.content.decode().count('class="center-card"') == 20
    # Warm: the page with its count, its details (the demo-notice flag is cached too).
    with django_assert_num_queries(2):
        client.get(f"/centers/?{EVERY_FILTER}&page=2")
    with django_assert_num_queries(2):  # the API: the same two
        data = client.get(f"/api/centers/?{EVERY_FILTER}").json()
    assert data["count"] == 25 and len(data["results"]) == 20

    for n in range(25, 80):
        matching_center(n, second_location=n % 2 == 0)
    client.get("/")  # saving centers made the demo-notice flag be asked again
    for page in (1, 2, 4):
        with django_assert_num_queries(2):
            response = client.get(f"/centers/?{EVERY_FILTER}&page={page}")
        assert response.content.decode().count('class="center-card"') == 20
    with django_assert_num_queries(2):
        assert client.get(f"/api/centers/?{EVERY_FILTER}&page=3").json()["count"] == 80


def test_city_and_treatment_in_city_pages_take_a_fixed_number_of_queries(client, django_assert_num_queries):
    for n in range(3):
        make_center(name=f"Magnet {n}", treatments=("tms",))
    make_center(name="Talk Only", treatments=("cbt",))
    make_center(name="Orlando Magnet", treatments=("tms",), city="Orlando", zip_code="32801")
    client.get("/centers/fl/jacksonville/")  # warms the vocabulary
    caches["fragments"].clear()  # the page drawn afresh
    # The city's name, the page, its details, the treatments offered there.
    with django_assert_num_queries(4):
        response = client.get("/centers/fl/jacksonville/")
    assert response.status_code == 200
    assert card_names(response) == ["Magnet 0", "Magnet 1", "Magnet 2", "Talk Only"]
    with django_assert_num_queries(1):  # kept: the city's name only (a city without centers is a 404)
        kept = client.get("/centers/fl/jacksonville/")
    assert kept.content == response.content
    for n in range(30):
        make_center(name=f"More {n:02d}", treatments=("tms", "cbt"))
    client.get("/centers/fl/jacksonville/")  # saving centers made the demo-notice flag be asked again
    caches["fragments"].clear()
    with django_assert_num_queries(4):
        response = client.get("/centers/fl/jacksonville/")
    assert response.status_code == 200
    assert "Orlando Magnet" not in card_names(response) and len(card_names(response)) == query.PER_PAGE
    # The treatment, the city's name, the page, its details.
    with django_assert_num_queries(4):
        response = client.get("/treatments/tms/fl/jacksonville/")
    assert response.status_code == 200
    names = card_names(response)
    assert names[:3] == ["Magnet 0", "Magnet 1", "Magnet 2"] and len(names) == query.PER_PAGE
    assert "Talk Only" not in names and "Orlando Magnet" not in names
    with django_assert_num_queries(1):  # kept: the city's name (the treatment's slug is in the vocabulary)
        assert client.get("/treatments/tms/fl/jacksonville/").content == response.content
    page_2 = card_names(client.get("/treatments/tms/fl/jacksonville/?page=2"))
    assert len(page_2) == 33 - query.PER_PAGE and "Talk Only" not in page_2


def card_names(response) -> list[str]:
    """The center names on a listing page's cards, in order."""
    html = unescape(response.content.decode())
    return re.findall(r'class="center-card".*?<h[23][^>]*>\s*<a [^>]*>([^<]+)</a>', html, re.DOTALL)


# The search's results, checked against the same rules computed here, in Python, from the
# rows the test made (distances by great circle: tests/directory/conftest.py miles_between).
PLACES = {"32207": JAX, "Orlando%2C+FL": None}
WORDS = ["Beacon", "Harbor", "Lantern", "Summit", "Willow"]  # names that sort alike in any collation


def random_directory(rng: random.Random, count: int = 40) -> list[dict]:
    """`count` centers around four Florida cities, each described as a dict of what it is."""
    places = [JAX, (28.5384, -81.3789), (30.4383, -84.2807), (25.7617, -80.1918)]
    specs = []
    for n in range(count):
        points = [
            point_at(*rng.choice(places), miles=rng.uniform(0, 30), bearing=rng.uniform(0, 360))
            for _ in range(rng.choice([1, 1, 1, 2]))
        ]
        spec = {
            "name": f"{rng.choice(WORDS)} {n:03d}",
            "points": points,
            "treatments": tuple(rng.sample(["tms", "ketamine", "ect", "vns", "cbt"], rng.randint(1, 3))),
            "settings_": tuple(rng.sample(["inpatient", "outpatient", "telehealth"], rng.randint(0, 2))),
            "payments": tuple(rng.sample(["medicare", "self-pay", "medicaid"], rng.randint(0, 2))),
            "ages": tuple(rng.sample(["adults", "seniors"], rng.randint(0, 2))),
            "languages": ("spanish",) if rng.random() < 0.3 else (),
            "accepting_new_patients": rng.choice(["yes", "no", "unknown"]),
            "last_verified_on": rng.choice([None, date(2026, 1, 1) + timedelta(days=rng.randint(0, 300))]),
            "status": rng.choice(["published"] * 8 + ["draft", "closed"]),
        }
        fields = {key: value for key, value in spec.items() if key != "points"}
        center = center_with(**fields, latitude=points[0][0], longitude=points[0][1])
        for order, (lat, lng) in enumerate(points[1:], start=1):
            Location.objects.create(center=center, street1=f"{order} Second Street", city="Jacksonville",
                                    state="FL", zip="32207", latitude=lat, longitude=lng, sort_order=order)  # fmt: skip
        centers_refresh_search(center_ids=[center.pk])  # the new locations' copy of the facets
        specs.append(spec | {"id": center.pk})
    return specs


def expected_results(specs: list[dict], query: dict) -> list[tuple[str, float | None]]:
    """(name, distance) of the matches of `query`, in the listing's order, computed from the specs."""
    place = geo.find_place(query["near"]) if "near" in query else None
    radius = float(query.get("radius", 25))
    facets = {"treatment": "treatments", "setting": "settings_", "payment": "payments", "age": "ages",
              "language": "languages"}  # fmt: skip
    matches = []
    for spec in specs:
        if spec["status"] != "published":
            continue
        if any(query.get(facet) and not set(query[facet]) & set(spec[key]) for facet, key in facets.items()):
            continue
        if query.get("accepting") and spec["accepting_new_patients"] != "yes":
            continue
        distance = None
        if place:
            distance = min(miles_between(place.latitude, place.longitude, lat, lng) for lat, lng in spec["points"])
            assert abs(distance - radius) > 0.01, "a center on the edge of the radius: choose another seed"
            if distance > radius:
                continue
        matches.append((spec, distance))
    sort = query.get("sort") or ("accepting" if place else "name")
    if sort == "accepting":  # accepting new patients, then unknown, then not; each nearest first
        rank = {"yes": 0, "unknown": 1, "no": 2}
        matches.sort(key=lambda match: (rank[match[0]["accepting_new_patients"]], match[1], match[0]["name"],
                                        match[0]["id"]))  # fmt: skip
    elif sort == "distance":
        matches.sort(key=lambda match: (match[1], match[0]["name"], match[0]["id"]))
    elif sort == "verified":
        matches.sort(key=lambda match: (match[0]["name"], match[0]["id"]))
        matches.sort(key=lambda match: match[0]["last_verified_on"] or date.min, reverse=True)
    else:
        matches.sort(key=lambda match: (match[0]["name"], match[0]["id"]))
    return [(spec["name"], distance) for spec, distance in matches]


QUERIES = [
    {},
    {"near": "32207"},
    {"near": "32207", "radius": 5},
    {"near": "32207", "radius": 60, "treatment": ["tms"]},
    {"near": "Orlando, FL", "radius": 200, "sort": "name"},
    {"near": "32207", "radius": 300, "sort": "verified"},
    {"treatment": ["tms", "ketamine"]},
    {"treatment": ["ect"], "setting": ["inpatient"]},
    {"payment": ["medicare"], "age": ["seniors"], "language": ["spanish"]},
    {"accepting": "1"},
    {"accepting": "1", "sort": "verified"},
    {"near": "32207", "radius": 500, "treatment": ["vns", "tms"], "payment": ["self-pay"], "accepting": "1"},
]


def test_the_search_finds_what_its_rules_computed_independently_find_in_the_same_order(client, subtests):
    # One directory for every query (building it is most of the test's time): each query is
    # its own subtest, reported on its own when it fails.
    specs = random_directory(random.Random(11))
    for asked in QUERIES:
        with subtests.test(urlencode(asked, doseq=True) or "everything"):
            expected = expected_results(specs, asked)
            assert expected or not asked, "a query that finds nothing tests little: choose another"
            data = client.get("/api/centers/?" + urlencode(asked, doseq=True)).json()
            results = data["results"]
            while data["next"]:
                data = client.get(data["next"]).json()
                results += data["results"]
            assert [result["name"] for result in results] == [name for name, _ in expected]
            assert [result["distance_miles"] for result in results] == pytest.approx(
                [None if distance is None else round(distance, 2) for _, distance in expected], abs=0.011
            )


def test_a_filter_near_a_place_matches_whole_slugs_only(client):
    # Near a place the facets are looked up in the locations' text (" treatment:tms-accelerated
    # treatment:esketamine ..."): tms must not match the start of a longer slug, nor ketamine
    # the end of one.
    Treatment.objects.create(
        name="Accelerated TMS", slug="tms-accelerated", short_name="aTMS", summary="A test treatment.",
        category=Treatment.Category.NEUROMODULATION, sort_order=99,
    )  # fmt: skip
    lat, lng = point_at(*JAX, miles=3, bearing=90)
    center_with(name="Accelerated Only", latitude=lat, longitude=lng, treatments=("tms-accelerated", "esketamine"))
    center_with(name="Ketamine Only", latitude=lat, longitude=lng, treatments=("ketamine",))
    assert api_names(client, "near=32207&treatment=ketamine") == ["Ketamine Only"]
    assert api_names(client, "near=32207&treatment=esketamine") == ["Accelerated Only"]
    assert api_names(client, "near=32207&treatment=ketamine&treatment=tms") == ["Ketamine Only"]
    assert api_names(client, "near=32207&treatment=tms") == []


def test_a_search_near_a_place_follows_any_write_to_a_centers_status_or_accepting(client):
    # Near a place, PostgreSQL reads whether a center is listed, and where it stands in the
    # accepting order, from its locations (center_order, kept by triggers: migration 0019). A
    # queryset update, which sends no signal, must reach them at once, as must a new location
    # and a location moved to another center.
    def at(miles: float) -> dict:
        lat, lng = point_at(*JAX, miles=miles, bearing=45)
        return {"latitude": lat, "longitude": lng}

    alpha = make_center(name="Alpha", accepting_new_patients="unknown", **at(2))
    bravo = make_center(name="Bravo", accepting_new_patients="yes", **at(4))
    charlie = make_center(name="Charlie", status=Center.Status.DRAFT, **at(1))
    assert api_names(client, "near=32207") == ["Bravo", "Alpha"]  # accepting first
    assert api_names(client, "near=32207&sort=distance") == ["Alpha", "Bravo"]
    Center.objects.filter(pk=alpha.pk).update(accepting_new_patients="yes")
    assert api_names(client, "near=32207") == ["Alpha", "Bravo"]
    Center.objects.filter(pk=bravo.pk).update(accepting_new_patients="no")
    assert api_names(client, "near=32207&accepting=1") == ["Alpha"]
    assert api_names(client, "near=32207") == ["Alpha", "Bravo"]
    Center.objects.filter(pk=charlie.pk).update(status=Center.Status.PUBLISHED, accepting_new_patients="yes")
    assert api_names(client, "near=32207") == ["Charlie", "Alpha", "Bravo"]
    Center.objects.filter(pk=alpha.pk).update(status=Center.Status.CLOSED)
    response = client.get("/api/centers/?near=32207").json()
    assert [result["name"] for result in response["results"]] == ["Charlie", "Bravo"] and response["count"] == 2
    moved = Location.objects.create(center=alpha, street1="1 Near Street", city="Jacksonville", state="FL",
                                    zip="32207", **at(0.5))  # fmt: skip
    assert api_names(client, "near=32207&sort=distance") == ["Charlie", "Bravo"]  # a closed center's new location
    Location.objects.filter(pk=moved.pk).update(center=bravo)
    assert api_names(client, "near=32207&sort=distance") == ["Bravo", "Charlie"]  # now Bravo's, 0.5 mi away
    if connection.vendor == "postgresql":  # every location agrees with its center
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM directory_location l JOIN directory_center c ON c.id = l.center_id"
                " WHERE l.center_order IS DISTINCT FROM directory_center_order(c.status, c.accepting_new_patients)"
            )
            assert cursor.fetchone()[0] == 0


def test_a_center_loaded_after_its_location_is_found_near_a_place(client, tmp_path):
    # loaddata may write a location before its center (foreign keys are checked at commit):
    # the location then finds no center to copy center_order from, and the center's insert
    # must give it.
    lat, lng = point_at(*JAX, miles=2, bearing=45)
    center = make_center(name="Loaded Late", latitude=lat, longitude=lng, accepting_new_patients="yes")
    fixture = tmp_path / "late.json"
    fixture.write_text(serializers.serialize("json", [*center.locations.all(), center]))
    center.delete()
    assert api_names(client, "near=32207") == []
    call_command("loaddata", str(fixture), verbosity=0)
    assert api_names(client, "near=32207") == ["Loaded Late"]


@pytest.mark.parametrize(
    ("zip_code", "latitude"),
    [("32207", 30.3), ("10001", 40.8), ("98101", 47.6), ("99501", 61.2), ("99701", 64.8)],
)
def test_centers_due_east_and_west_inside_the_radius_are_found_at_every_latitude(client, zip_code, latitude):
    # A degree of longitude is shorter away from the equator: the box around the place must
    # be wider in longitude than in latitude (by 1 / cos(latitude)), most of all in Alaska.
    place = geo.zip_place(zip_code)
    assert place.latitude == pytest.approx(latitude, abs=0.2)
    for bearing, side in [(90, "East"), (270, "West")]:
        for miles in (22, 27):
            lat, lng = point_at(place.latitude, place.longitude, miles=miles, bearing=bearing)
            make_center(name=f"{side} {miles}", latitude=lat, longitude=lng, zip_code=zip_code)
    results = client.get(f"/api/centers/?near={zip_code}&radius=25").json()["results"]
    assert [result["name"] for result in results] == ["East 22", "West 22"]
    assert [result["distance_miles"] for result in results] == pytest.approx([22, 22], abs=0.01)


def circle_extremes(lat: float, lng: float, miles: float) -> list[tuple[float, float]]:
    """The eastmost and westmost points of the circle of `miles` around (lat, lng), found by
    walking its edge a tenth of a degree of bearing at a time (they lie poleward of `lat`)."""
    edge = [point_at(lat, lng, miles=miles, bearing=tenth / 10) for tenth in range(3600)]
    return [max(edge, key=lambda point: point[1]), min(edge, key=lambda point: point[1])]


@pytest.mark.parametrize(
    ("zip_code", "radius", "miles"),
    [("99701", 500, 495), ("99701", 250, 249.5), ("99501", 100, 99.9), ("32207", 500, 499.8)],
)
def test_centers_at_the_eastmost_and_westmost_points_of_the_circle_are_found(client, zip_code, radius, miles):
    # Far north, the circle's eastmost point lies poleward of the place and further east than
    # radius / cos(latitude) degrees: a box of that width would drop it (Fairbanks: 6 miles at 500).
    place = geo.zip_place(zip_code)
    for side, (lat, lng) in zip(["East", "West"], circle_extremes(place.latitude, place.longitude, miles), strict=True):
        assert miles_between(place.latitude, place.longitude, lat, lng) == pytest.approx(miles, abs=0.01)
        make_center(name=f"{side} edge", latitude=lat, longitude=lng, zip_code=zip_code)
    lat, lng = circle_extremes(place.latitude, place.longitude, radius + 1)[0]
    make_center(name="Just outside", latitude=lat, longitude=lng, zip_code=zip_code)
    results = client.get(f"/api/centers/?near={zip_code}&radius={radius}&sort=name").json()["results"]
    assert [result["name"] for result in results] == ["East edge", "West edge"]
    assert [result["distance_miles"] for result in results] == pytest.approx([miles, miles], abs=0.01)


@pytest.mark.parametrize("few_matches", [10**9, -1], ids=["reading-every-match", "walking-outward"])
def test_the_nearest_match_far_north_is_the_nearest_by_great_circle_not_by_degrees(client, monkeypatch, few_matches):
    # In Fairbanks a degree of longitude is 29 miles and one of latitude 69: twelve centers 60
    # miles north are nearer in degrees than one 40 miles east, which is the nearest match.
    monkeypatch.setattr(query, "FEW_MATCHES", few_matches)
    place = geo.zip_place("99701")
    for n in range(12):
        lat, lng = point_at(place.latitude, place.longitude, miles=60 + n / 10, bearing=n - 6)
        make_center(name=f"North {n}", latitude=lat, longitude=lng, zip_code="99701", treatments=("tms",))
    lat, lng = point_at(place.latitude, place.longitude, miles=40, bearing=90)
    make_center(name="East", latitude=lat, longitude=lng, zip_code="99701", treatments=("tms",))
    html = unescape(client.get("/centers/?near=99701&radius=10&treatment=tms").content.decode())
    assert "No centers match this search" in html
    assert "Search within 50 miles: the nearest match is 40.0 mi away" in html
    assert api_names(client, "near=99701&radius=50&treatment=tms") == ["East"]


@pytest.mark.parametrize("few_matches", [10**9, -1], ids=["reading-every-match", "walking-outward"])
def test_the_nearest_match_is_the_nearest_by_great_circle_among_many_candidates(
    client, monkeypatch, few_matches, django_assert_num_queries
):
    # Twelve TMS centers around Miami and one 40 miles north of Jacksonville: more candidates
    # than a walk outward from the place measures, so it must start from the right point.
    monkeypatch.setattr(query, "FEW_MATCHES", few_matches)
    rng = random.Random(5)
    for n in range(12):
        lat, lng = point_at(25.7617, -80.1918, miles=rng.uniform(0, 20), bearing=rng.uniform(0, 360))
        make_center(name=f"Miami TMS {n}", latitude=lat, longitude=lng, treatments=("tms",))
    lat, lng = point_at(*JAX, miles=40, bearing=0)
    make_center(name="North TMS", latitude=lat, longitude=lng, treatments=("tms",))
    make_center(name="Therapy Next Door", treatments=("cbt",))
    client.get("/centers/?near=32207&radius=10&treatment=tms")  # warms the vocabulary and counts
    # The empty page: the search, the nearest match and the looser searches' counts (one query
    # for all of them); the state's telehealth centers are kept from the first visit (one query
    # then). The nearest match is one query when the walk starts from the place (from anywhere
    # else, its candidates would not settle it and every nearer one is measured: one more).
    with django_assert_num_queries(3):
        html = unescape(client.get("/centers/?near=32207&radius=10&treatment=tms").content.decode())
    assert "No centers match this search" in html
    assert "Search within 50 miles: the nearest match is 40.0 mi away" in html


@pytest.mark.postgres
def test_an_empty_search_whose_only_match_was_unpublished_meanwhile_says_none_matches_anywhere(client, monkeypatch):
    # How the nearest match is looked up is chosen from facet counts each process keeps ten
    # minutes. Counts kept from before the only TMS center was unpublished say there is one, so
    # the walk outward runs (FEW_MATCHES 0 sends any count above 0 that way) and finds nothing:
    # the page must say so, not fail.
    monkeypatch.setattr(query, "FEW_MATCHES", 0)
    monkeypatch.setattr(query, "_facet_counts_held", [0.0, None])
    lat, lng = point_at(*JAX, miles=300, bearing=0)
    only = make_center(name="Only TMS", latitude=lat, longitude=lng, treatments=("tms",))
    html = unescape(client.get("/centers/?near=32207&treatment=tms").content.decode())
    assert "the nearest match is 300.0 mi away" in html  # the counts are read and kept
    assert query.facet_counts().get("treatment:tms") == 1
    Center.objects.filter(pk=only.pk).update(status=Center.Status.CLOSED)
    response = client.get("/centers/?near=32207&treatment=tms")
    assert response.status_code == 200
    assert "No center anywhere in our directory matches this search yet." in unescape(response.content.decode())


def test_a_prepared_statement_numbers_each_parameter_once_and_keeps_escaped_percent_signs():
    # The PREPARE text is sent with the EXECUTE's values, so "%%" must stay escaped for the driver.
    sql = "SELECT 1 WHERE a = %(x)s AND %(text)s <%% b AND c LIKE 'x%%' AND d = %(x)s LIMIT %(limit)s"
    assert query._positional(sql) == (
        "SELECT 1 WHERE a = $1 AND $2 <%% b AND c LIKE 'x%%' AND d = $1 LIMIT $3",
        ["x", "text", "limit"],
    )


@pytest.mark.postgres
def test_a_statement_run_often_is_prepared_once_and_answers_as_before(client, monkeypatch):
    """Planning a search cost more than running it: after PREPARE_AFTER runs on a connection a
    statement is prepared, and later runs use its saved plan (one query each, as before)."""
    for n in range(25):
        matching_center(n, second_location=n % 3 == 0)
    monkeypatch.setattr(query, "PREPARE_AFTER", 3)
    connection._search_statements = None  # this connection counts from nothing

    def prepared() -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements WHERE name LIKE 'search_%%'")
            return {statement for (statement,) in cursor.fetchall()}

    def deallocate() -> None:
        with connection.cursor() as cursor:
            cursor.execute("DEALLOCATE ALL")

    deallocate()  # what earlier tests prepared on this connection
    url = f"/api/centers/?{EVERY_FILTER}&page=2"
    answers = [client.get(url).json() for _ in range(2)]
    assert prepared() == set()  # two runs: planned each time
    answers.append(client.get(url).json())  # the third run prepares
    statements = prepared()
    assert len(statements) == 2  # the page with its count, and its details
    answers += [client.get(url).json() for _ in range(2)]  # two from the plan
    assert prepared() == statements
    assert any("OVER ()" in statement and "$1" in statement for statement in statements)
    assert answers[0]["count"] == 25 and len(answers[0]["results"]) == 5
    assert all(answer == answers[0] for answer in answers)
    deallocate()
    connection._search_statements = None  # the next test's statements are prepared anew


@pytest.mark.postgres
def test_a_connection_that_never_searched_answers_its_first_search(client):
    """Each server thread opens its own connection, with nothing counted or prepared on it yet
    (here the test's connection may have searched before: it is made to look new)."""
    make_center(name="First Search Clinic")

    def forget() -> None:
        with connection.cursor() as cursor:
            cursor.execute("DEALLOCATE ALL")
        connection._search_statements = None

    forget()
    del connection._search_statements
    try:
        assert api_names(client, "treatment=tms") == ["First Search Clinic"]
    finally:
        forget()  # the next test's statements are prepared anew


@pytest.mark.postgres
def test_a_connection_prepares_at_most_max_prepared_statements_and_counts_at_most_max_counted(client, monkeypatch):
    """The two bounds on what a connection keeps: past MAX_PREPARED statements the others run
    unprepared, and past MAX_COUNTED counted statements the counts start again (here each of the
    page's two statements clears the other's count, so neither is ever prepared)."""
    for n in range(3):
        matching_center(n)
    url = f"/api/centers/?{EVERY_FILTER}"

    def prepared() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements WHERE name LIKE 'search_%%'")
            return [statement for (statement,) in cursor.fetchall()]

    def fresh_connection() -> None:
        with connection.cursor() as cursor:
            cursor.execute("DEALLOCATE ALL")
        connection._search_statements = None

    fresh_connection()
    monkeypatch.setattr(query, "MAX_PREPARED", 1)  # PREPARE_AFTER is 1 in the tests
    answers = [client.get(url).json() for _ in range(3)]
    statements = prepared()
    assert len(statements) == 1 and "OVER ()" in statements[0]  # the page; its details run unprepared
    fresh_connection()
    monkeypatch.setattr(query, "MAX_PREPARED", 200)
    monkeypatch.setattr(query, "PREPARE_AFTER", 2)
    monkeypatch.setattr(query, "MAX_COUNTED", 1)
    answers += [client.get(url).json() for _ in range(3)]
    assert prepared() == []
    assert answers[0]["count"] == 3 and all(answer == answers[0] for answer in answers)
    fresh_connection()


@pytest.mark.postgres
def test_text_search_forgives_typos_in_a_name():
    make_center(name="Sunrise Mind Health")
    make_center(name="Jacksonville Brain Health")
    make_center(name="Lantern Counseling")
    assert api_names_for("sunrse") == ["Sunrise Mind Health"]
    assert api_names_for("jaksonville") == ["Jacksonville Brain Health"]


@pytest.mark.postgres
def test_text_search_reads_treatments_and_cities_and_ranks_names_first():
    make_center(name="Ketamine Care Clinic", treatments=("cbt",))
    make_center(name="Quiet Harbor", treatments=("ketamine",), description="We offer ketamine infusions.")
    make_center(name="Orlando Place", treatments=("cbt",), city="Orlando", zip_code="32803")
    make_center(name="Elsewhere", treatments=("cbt",))
    assert api_names_for("ketamine") == ["Ketamine Care Clinic", "Quiet Harbor"]
    assert api_names_for("orlando") == ["Orlando Place"]
    assert api_names_for("transcranial magnetic jacksonville") == []
    make_center(name="Magnet Place", treatments=("tms",))
    assert api_names_for("transcranial magnetic jacksonville") == ["Magnet Place"]


@pytest.mark.postgres
def test_text_search_understands_web_search_syntax():
    make_center(name="Clear Path Psychiatry", treatments=("ketamine",))
    make_center(name="Clear Path Counseling", treatments=("cbt",))
    make_center(name="Path Clear Mood", treatments=("cbt",))
    assert api_names_for('"clear path" -ketamine') == ["Clear Path Counseling"]
    assert api_names_for("counseling or psychiatry") == ["Clear Path Counseling", "Clear Path Psychiatry"]


@pytest.mark.postgres
def test_text_search_is_backed_by_gin_indexes():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'directory_center'")
        indexes = dict(cursor.fetchall())
    assert "USING gin (search_vector)" in indexes["center_search_vector_idx"]
    assert "gin_trgm_ops" in indexes["center_name_trgm_idx"]


@pytest.mark.postgres
@pytest.mark.parametrize("near", ["32207", "Jacksonville, FL"])
def test_a_search_near_a_place_reads_its_locations_from_a_covering_index(near):
    # The page query of a search near a place reads, for every location in its box, only
    # columns the GiST index holds (migration 0018): a column read outside it would send
    # PostgreSQL back to a heap page per location. With the other ways of reading the
    # locations made costly, the plan shows an index-only scan only if the index can serve.
    for n in range(3):
        make_center(name=f"Covered {n}", treatments=("tms",))
    criteria = CenterFilterSet(QueryDict(urlencode({"near": near, "radius": 50, "treatment": "tms"}))).criteria
    sql, params = query.search_sql(criteria, limit=query.PER_PAGE)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN VERBOSE {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(sql, params)
        assert len(cursor.fetchall()) == 3  # the positive control: the same statement finds them
    assert "Index Only Scan using location_point_gist_idx on public.directory_location l" in plan


@pytest.mark.postgres
@pytest.mark.parametrize("sort", ["accepting", "distance"])
def test_a_search_near_a_place_reads_only_the_pages_centers(sort):
    # Which centers match near a place, and their order, come from the locations in the box
    # (center_order, migration 0019): of 30 matches, PostgreSQL reads the 20 of the page.
    for n in range(30):
        lat, lng = point_at(*JAX, miles=1 + n, bearing=n * 37 % 360)
        make_center(name=f"Near {n:02d}", latitude=lat, longitude=lng, treatments=("tms",),
                    accepting_new_patients=("yes", "no", "unknown")[n % 3])  # fmt: skip
    criteria = CenterFilterSet(QueryDict(urlencode({"near": "32207", "radius": 50, "sort": sort}))).criteria
    sql, params = query.search_sql(criteria, limit=query.PER_PAGE)
    with connection.cursor() as cursor:
        # Centers found one by one, as in a directory-sized table (30 rows would be read whole).
        for setting in ("enable_seqscan", "enable_bitmapscan", "enable_hashjoin", "enable_mergejoin"):
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    assert len(rows) == query.PER_PAGE and rows[0][-1] == 30  # the page, and the count of every match

    def centers_read(node: dict) -> int:
        own = node["Actual Rows"] * node["Actual Loops"] if node.get("Relation Name") == "directory_center" else 0
        return own + sum(centers_read(child) for child in node.get("Plans", []))

    assert centers_read(plan[0]["Plan"]) == query.PER_PAGE


def test_text_search_without_postgresql_matches_every_word_anywhere(client):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite's plain match; PostgreSQL's full-text search is tested above")
    make_center(name="Harbor Light Clinic", treatments=("tms",))
    make_center(name="Harbor Mood", treatments=("cbt",), city="Orlando")
    assert api_names(client, "q=harbor") == ["Harbor Light Clinic", "Harbor Mood"]
    assert api_names(client, "q=HARBOR+orlando") == ["Harbor Mood"]
    assert api_names(client, "q=harbor+magnetic") == ["Harbor Light Clinic"]


def test_text_search_without_postgresql_drops_quotes_brackets_and_the_words_or_and(client):
    # People type web-search syntax; SQLite's plain match keeps each word's letters and ignores
    # the operators rather than looking for the text "or" or a quotation mark.
    if connection.vendor == "postgresql":
        pytest.skip("SQLite's plain match; PostgreSQL's full-text search is tested above")
    make_center(name="Willow Clinic", treatments=("tms",), description="")
    make_center(name="Birch House", treatments=("tms",), description="")
    assert api_names(client, "q=%22willow%22") == ["Willow Clinic"]  # "willow"
    assert api_names(client, "q=%28willow%29+clinic") == ["Willow Clinic"]  # (willow) clinic
    assert api_names(client, "q=willow+or+clinic") == ["Willow Clinic"]
    assert api_names(client, "q=willow+AND+clinic") == ["Willow Clinic"]
    assert api_names(client, "q=willow+-+clinic") == ["Willow Clinic"]  # a lone "-" is no word either
    make_center(name="Rex Clinic", treatments=("tms",), description="")
    make_center(name="Reed House", treatments=("tms",), description="")
    assert api_names(client, "q=REX") == ["Rex Clinic"]  # only quotes and brackets are stripped, not an X


def test_text_search_without_postgresql_reads_percent_underscore_and_backslash_as_themselves(client):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite's plain match; PostgreSQL's full-text search is tested above")
    make_center(name="100% Recovery")
    make_center(name="1000 Oaks Clinic")
    make_center(name="Open 24\\7 Care")
    make_center(name="Open 247 Care")
    make_center(name="Mood_Lab")
    make_center(name="Mood Lab")
    assert api_names(client, "q=100%25") == ["100% Recovery"]  # not "100" followed by anything
    assert api_names(client, "q=24%5C7") == ["Open 24\\7 Care"]
    assert api_names(client, "q=mood_lab") == ["Mood_Lab"]  # not "mood", any one character, "lab"


def test_without_postgresql_an_unmatched_text_is_not_said_to_show_near_spellings(client):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL shows names spelled like the text (test_near_spellings_are_shown_only_when...)")
    make_center(name="Sunrise Clinic")
    html = unescape(client.get("/centers/?q=sunrse").content.decode())
    assert "No centers match this search" in html
    assert "spelled like" not in html
    assert "spelled like" not in unescape(client.get("/centers/?q=sunrise").content.decode())


def test_a_search_without_place_or_text_counts_its_own_matches_whatever_was_counted_before(client):
    make_center(name="TMS Center", treatments=("tms",))
    make_center(name="Therapy Center", treatments=("cbt",))
    make_center(name="Accepting Center", treatments=("cbt",), accepting_new_patients="yes")
    counts = {query: client.get(f"/api/centers/?{query}").json()["count"] for query in
              ["", "treatment=tms", "treatment=cbt", "accepting=1", "treatment=tms&treatment=cbt"]}  # fmt: skip
    assert counts == {"": 3, "treatment=tms": 1, "treatment=cbt": 2, "accepting=1": 1, "treatment=tms&treatment=cbt": 3}


def test_editing_a_center_in_the_admin_updates_what_search_filters_read(admin_client, client):
    url = reverse("admin:directory_center_add")
    data = {}
    for inline in admin_client.get(url).context["inline_admin_formsets"]:  # every inline, empty
        prefix = inline.formset.prefix
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0"}
    data |= {
        "name": "Admin Made", "slug": "admin-made", "status": "published", "accepting_new_patients": "unknown",
        "care_settings": [CareSetting.objects.get(slug="telehealth").pk],
        "locations-TOTAL_FORMS": "1", "locations-0-street1": "1 Admin Way", "locations-0-city": "Jacksonville",
        "locations-0-state": "FL", "locations-0-zip": "32207", "locations-0-latitude": "30.29",
        "locations-0-longitude": "-81.63", "locations-0-sort_order": "0",
        "treatment_details-TOTAL_FORMS": "1", "treatment_details-0-treatment": Treatment.objects.get(slug="tms").pk,
    }  # fmt: skip
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert api_names(client, "treatment=tms&setting=telehealth") == ["Admin Made"]


def test_renaming_a_lookup_slug_in_the_admin_keeps_its_centers_findable(admin_client, client):
    center_with(name="Telehealth Place", settings_=("telehealth",))
    api_names(client, "setting=telehealth")  # caches the vocabulary
    setting = CareSetting.objects.get(slug="telehealth")
    response = admin_client.post(
        reverse("admin:directory_caresetting_change", args=[setting.pk]),
        {"name": "Video visits", "slug": "video", "sort_order": setting.sort_order},
    )
    assert response.status_code == 302
    assert api_names(client, "setting=video") == ["Telehealth Place"]
    assert client.get("/api/centers/?setting=telehealth").status_code == 400


def api_names_for(text: str) -> list[str]:
    from django.test import Client

    return api_names(Client(), f"q={text}")


@pytest.mark.postgres
def test_near_spellings_are_shown_only_when_nothing_matches_and_the_page_says_so(client, django_assert_num_queries):
    make_center(name="Sunrise Mind Health")
    make_center(name="Sunrise Counseling", treatments=("cbt",))
    client.get("/centers/?q=sunrise")  # warms the vocabulary and the demo-notice flag
    with django_assert_num_queries(2):
        html = client.get("/centers/?q=sunrise").content.decode()
    assert "spelled like it" not in html
    with django_assert_num_queries(3):  # the exact search, then names spelled like it, then details
        html = client.get("/centers/?q=sunrse").content.decode()
    assert "Nothing matches “sunrse” exactly" in html and "Sunrise Mind Health" in html
    assert api_names(client, "q=sunrse+mind") == ["Sunrise Mind Health"]
    assert api_names(client, "q=sunrse&treatment=cbt") == ["Sunrise Counseling"]


@pytest.mark.postgres
def test_near_spellings_page_like_any_search(client):
    """Page 2 of names spelled like the text: nothing matches exactly there either (the exact
    search is counted to know), so it is page 2 of the near spellings, and past them a 404."""
    names = [f"Sunrise Clinic {n:02d}" for n in range(22)]
    for name in names:
        make_center(name=name)
    first = client.get("/api/centers/?q=sunrse").json()
    second = client.get("/api/centers/?q=sunrse&page=2").json()
    assert (first["count"], len(first["results"]), second["count"]) == (22, 20, 22)
    assert sorted(r["name"] for r in first["results"] + second["results"]) == names  # each once
    html = unescape(client.get("/centers/?q=sunrse&page=2").content.decode())
    assert "Nothing matches “sunrse” exactly" in html and html.count('<h2 id="center-') == 2
    assert client.get("/api/centers/?q=sunrse&page=3").status_code == 404
    assert client.get("/api/centers/?q=sunrise&page=3").status_code == 404  # past the exact matches
