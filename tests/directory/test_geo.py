"""Offline geocoding of what people type (the search's distances: tests/directory/test_search_queries.py)."""

import pytest

from directory import geo
from tests.directory.conftest import miles_between


@pytest.mark.parametrize(
    ("typed", "city", "state"),
    [
        ("32207", "Jacksonville", "FL"),
        ("32207-1234", "Jacksonville", "FL"),
        ("Jacksonville, FL", "Jacksonville", "FL"),
        ("jacksonville fl", "Jacksonville", "FL"),
        ("  JACKSONVILLE ,  fl ", "Jacksonville", "FL"),
        ("Jacksonville, Florida", "Jacksonville", "FL"),
        ("St. Louis, MO", "Saint Louis", "MO"),
        ("st louis mo", "Saint Louis", "MO"),
        ("Saint Louis, Missouri", "Saint Louis", "MO"),
        ("Ft. Lauderdale, FL", "Fort Lauderdale", "FL"),
        ("Mt. Pleasant, SC", "Mount Pleasant", "SC"),
        ("Ste. Genevieve, MO", "Sainte Genevieve", "MO"),
    ],
)
def test_find_place_understands_zips_and_cities_as_people_type_them(typed, city, state):
    place = geo.find_place(typed)
    assert place is not None, typed
    assert (place.city, place.state) == (city, state)


def test_a_zip_resolves_to_its_own_coordinates_and_a_city_to_the_centre_of_its_zips():
    zip_place = geo.find_place("32207")
    assert zip_place.label == "32207 (Jacksonville, FL)"
    assert (zip_place.latitude, zip_place.longitude) == pytest.approx((30.2908, -81.6321), abs=1e-4)
    city = geo.find_place("Jacksonville, FL")
    assert city.label == "Jacksonville, FL"
    # The centre of Jacksonville's ZIP codes lies within a few miles of downtown.
    assert miles_between(city.latitude, city.longitude, 30.3322, -81.6557) < 10


@pytest.mark.parametrize(
    "typed", ["99999", "Nowhere, ZZ", "Zzyzxville, CA", "", "   ", "1234", "x" * 300, "Jacksonville"]
)
def test_find_place_returns_none_for_what_it_cannot_place(typed):
    assert geo.find_place(typed) is None


def test_a_city_name_without_a_state_lists_the_states_that_have_it_largest_first():
    places = geo.places_named("Jacksonville")
    assert places[0].label == "Jacksonville, FL"
    assert {"AR", "NC"} <= {place.state for place in places}
    assert [place.label for place in geo.places_named("Tallahassee")] == ["Tallahassee, FL"]
