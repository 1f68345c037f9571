"""/api/centers/ and /api/centers/<slug>/: the listing's search as JSON."""

from datetime import date

import pytest

from directory.models import Center
from tests.directory.conftest import JAX, point_at
from tests.factories import make_center

pytestmark = pytest.mark.django_db

RESULT_KEYS = {
    "id", "slug", "name", "url", "distance_miles", "treatments", "accepting_new_patients",
    "accepting_checked_on", "last_verified_on", "medicare_evidence", "locations",
}  # fmt: skip
LOCATION_KEYS = {"street", "city", "state", "zip", "latitude", "longitude", "phone"}


def test_the_list_has_count_links_and_results_of_the_documented_shape(client):
    for n in range(21):
        make_center(name=f"Center {n:02d}", treatments=("tms", "cbt"), last_verified_on=date(2026, 1, n + 1))
    data = client.get("/api/centers/?treatment=tms").json()
    assert set(data) == {"count", "next", "previous", "results"}
    assert data["count"] == 21 and len(data["results"]) == 20 and data["previous"] is None
    assert data["next"] == "http://testserver/api/centers/?treatment=tms&page=2"
    result = data["results"][0]
    assert set(result) == RESULT_KEYS
    assert result["distance_miles"] is None and result["treatments"] == ["tms", "cbt"]
    assert result["url"] == "http://testserver/centers/" + result["slug"] + "/"
    assert result["last_verified_on"] == "2026-01-01" and result["accepting_new_patients"] == "unknown"
    assert set(result["locations"][0]) == LOCATION_KEYS
    assert result["locations"][0]["phone"] == "(904) 555-0100"
    second = client.get(data["next"]).json()
    assert [r["name"] for r in second["results"]] == ["Center 20"] and second["next"] is None
    assert second["previous"] == "http://testserver/api/centers/?treatment=tms"


def test_with_near_results_carry_their_distance_in_order(client):
    for miles in (12, 3, 7):
        lat, lng = point_at(*JAX, miles=miles, bearing=180)
        make_center(name=f"At {miles}", latitude=lat, longitude=lng)
    results = client.get("/api/centers/?near=32207").json()["results"]
    assert [r["name"] for r in results] == ["At 3", "At 7", "At 12"]
    assert [r["distance_miles"] for r in results] == pytest.approx([3, 7, 12], abs=0.02)


def test_the_api_gives_the_same_centers_in_the_same_order_as_the_listing(client):
    import re

    for n, miles in enumerate([1, 30, 5, 14, 9]):
        lat, lng = point_at(*JAX, miles=miles, bearing=n * 60)
        make_center(name=f"Place {n}", latitude=lat, longitude=lng, treatments=("tms",) if n % 2 == 0 else ("ect",))
    queries = ["near=Jacksonville%2C+FL&treatment=tms", "near=32207&radius=50", "q=place&sort=name",
               "near=32207&treatment=ect"]  # fmt: skip
    for query in queries:
        html = client.get(f"/centers/?{query}").content.decode()
        listed = re.findall(r'<h2 id="center-\d+"><a href="[^"]+">([^<]+)</a>', html)
        assert [r["name"] for r in client.get(f"/api/centers/?{query}").json()["results"]] == listed, query


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("near=99999", {"near"}),
        ("radius=abc&near=32207", {"radius"}),
        ("radius=501&near=32207", {"radius"}),
        ("treatment=tms&treatment=nonsense", {"treatment"}),
        ("sort=distance", {"sort"}),
        ("sort=random", {"sort"}),
        ("accepting=yes", {"accepting"}),
        ("page=first", {"page"}),
        ("page=0", {"page"}),
        ("treatments=tms", {"treatments"}),
        ("near=nowhere%2C+ZZ&radius=-1&colour=blue", {"near", "radius", "colour"}),
    ],
)
def test_invalid_parameters_answer_400_naming_each_of_them(client, query, names):
    make_center()
    response = client.get(f"/api/centers/?{query}")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == names
    assert all(isinstance(message, str) and message for messages in errors.values() for message in messages)


def test_a_page_past_the_end_answers_404(client):
    make_center()
    response = client.get("/api/centers/?page=3")
    assert response.status_code == 404 and "past the last page" in response.json()["detail"]


def test_one_center_has_the_result_shape_and_its_details(client):
    center = make_center(name="Detail Place", treatments=("tms",), website="https://detail.example.org/")
    data = client.get(f"/api/centers/{center.slug}/").json()
    assert set(data) >= RESULT_KEYS
    assert data["name"] == "Detail Place" and data["status"] == "published"
    assert data["website"] == "https://detail.example.org/" and data["treatments"] == ["tms"]
    assert data["treatment_details"][0]["treatment"] == "tms"


def test_one_closed_center_is_shown_with_its_status_and_unknown_ones_are_404(client):
    closed = make_center(status=Center.Status.CLOSED)
    assert client.get(f"/api/centers/{closed.slug}/").json()["status"] == "closed"
    assert client.get("/api/centers/no-such-center/").status_code == 404


def test_the_api_only_answers_get(client):
    assert client.post("/api/centers/").status_code == 405


def test_a_center_left_without_any_location_is_listed_with_none_and_no_empty_one(client):
    """A published center whose locations were all removed still matches a search without a place;
    its row carries no location (the details query joins it to none), not one of empty fields."""
    lost = make_center(name="Lost Location Clinic", treatments=("tms",))
    lost.locations.all().delete()
    make_center(name="Located Clinic", treatments=("tms",))
    results = client.get("/api/centers/?treatment=tms").json()["results"]
    assert [(r["name"], len(r["locations"])) for r in results] == [("Located Clinic", 1), ("Lost Location Clinic", 0)]
    assert client.get(f"/api/centers/{lost.slug}/").json()["locations"] == []


def test_a_result_says_when_accepting_new_patients_was_last_checked(client):
    make_center(name="Checked Clinic", accepting_new_patients="yes", accepting_checked_on=date(2026, 3, 2))
    for query in ("treatment=tms", "near=32207"):  # a page without its count, and one counted with it
        result = client.get(f"/api/centers/?{query}").json()["results"][0]
        assert (result["accepting_new_patients"], result["accepting_checked_on"]) == ("yes", "2026-03-02"), query
