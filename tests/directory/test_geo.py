"""Offline geocoding of what people type (the search's distances: tests/directory/test_search_queries.py)."""

import math

import pytest

from directory import geo
from tests.directory.conftest import miles_between, point_at


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


@pytest.mark.parametrize(
    ("typed", "city", "state"),
    [
        ("322 07", "Jacksonville", "FL"),  # spaces between the digits, as some phones insert them
        ("3 2 2 0 7", "Jacksonville", "FL"),
        ("Concord, New Hampshire", "Concord", "NH"),  # a state name of two words
        ("Saint Louis, Missouri.", "Saint Louis", "MO"),  # a full stop after the state
        ("Xenia, OH", "Xenia", "OH"),  # a city that begins with an X
        (", Jacksonville FL", "Jacksonville", "FL"),
    ],
)
def test_find_place_understands_less_usual_ways_of_typing_a_place(typed, city, state):
    place = geo.find_place(typed)
    assert place is not None, typed
    assert (place.city, place.state) == (city, state)


def test_find_place_reads_at_most_100_characters():
    # Padding a ZIP with spaces keeps it a ZIP: 100 characters are read, 101 are refused.
    assert geo.find_place("3" + " " * 95 + "2207").label == "32207 (Jacksonville, FL)"
    assert geo.find_place("3" + " " * 96 + "2207") is None


@pytest.mark.parametrize("typed", ["32207", "32207-1234", " 32207 "])
def test_zip_place_reads_a_zip_and_ignores_its_plus_four_digits(typed):
    assert geo.zip_place(typed).label == "32207 (Jacksonville, FL)"


@pytest.mark.parametrize("typed", ["", None, "3220", "ABCDE", "Jacksonville, FL", "99999"])
def test_zip_place_returns_none_for_what_is_not_a_known_zip(typed):
    assert geo.zip_place(typed) is None


def test_a_city_is_found_whatever_the_case_of_its_state():
    assert geo.city_place("jacksonville", "fl").label == "Jacksonville, FL"
    assert geo.city_place("Saint Louis", "mo") == geo.city_place("St. Louis", "MO")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("30.2908, -81.6321", (30.29, -81.63)),
        ("30.29,-81.63", (30.29, -81.63)),
        ("+61.218,-149.9", (61.22, -149.9)),
        ("90,180", (90, 180)),  # the edges of the map are positions
        ("-90,-180", (-90, -180)),
    ],
)
def test_rounded_coordinates_reads_a_position_to_two_decimals(typed, expected):
    assert geo.rounded_coordinates(typed) == pytest.approx(expected)


@pytest.mark.parametrize(
    "typed", ["", None, "30.29", "Jacksonville, FL", "90.01,0", "-90.01,0", "0,180.01", "0,-180.01", "95,200"]
)
def test_rounded_coordinates_returns_none_beyond_the_map_or_for_other_text(typed):
    assert geo.rounded_coordinates(typed) is None


# Positions in Alaska whose nearest ZIP code lies in a neighbouring one-degree cell (a degree
# of longitude there is about 30 miles, so the nearest can be two cells east or west); each
# was found by measuring every ZIP code, and the next nearest names another place.
@pytest.mark.parametrize(
    ("lat", "lng", "city"),
    [
        (30.29, -81.63, "Jacksonville"),  # the same cell (FL)
        (60.99, -149.87, "Anchorage"),  # one cell north
        (62.01, -147.99, "Sutton"),  # one cell south
        (61.22, -148.99, "Eagle River"),  # one cell west
        (62.01, -150.01, "Houston"),  # one cell east
        (60.99, -147.99, "Girdwood"),  # two cells west
        (57.01, -160.01, "Port Heiden"),  # two cells east, and nothing else within 60 miles
    ],
)
def test_a_position_is_named_after_its_nearest_zip_code_even_across_cells(lat, lng, city):
    place = geo.coordinates_place(lat, lng)
    state = "FL" if city == "Jacksonville" else "AK"
    assert (place.city, place.state) == (city, state)
    assert place.label == f"your location ({city}, {state})"
    assert (place.latitude, place.longitude, place.from_device) == (lat, lng, True)


@pytest.mark.parametrize(("lat", "lng"), [(48.85, 2.35), (90, 0), (-90, 180), (25.0, -70.0)])
def test_a_position_far_from_every_zip_code_is_not_a_place(lat, lng):
    assert geo.coordinates_place(lat, lng) is None


def padded(city: str, rest: str, length: int) -> str:
    """`city` + full stops + `rest`, `length` characters in all: the full stops fold away in the city's key."""
    return city + "." * (length - len(city) - len(rest)) + rest


def test_a_misspelled_city_is_corrected_only_when_one_city_clearly_fits():
    assert geo.clear_spelling("Jaksonville, FL").label == "Jacksonville, FL"  # 0.96 alike, Jacksonville NAS 0.82
    assert geo.clear_spelling("jaksonville fl").label == "Jacksonville, FL"
    assert geo.clear_spelling("Kissimee, FL").label == "Kissimmee, FL"  # the only city anywhere near
    assert geo.clear_spelling("Miamy, FL") is None  # only 0.80 like Miami: asked, not guessed
    assert geo.clear_spelling("Alacha, FL") is None  # Alachua 0.92, but Matlacha 0.86 is close behind
    assert geo.clear_spelling("Zzyzx, FL") is None
    assert geo.clear_spelling("Tampa, ZZ") is None  # a state with no cities
    assert geo.clear_spelling("Jaksonville") is None  # no state
    assert geo.clear_spelling("") is None
    assert geo.clear_spelling(None) is None
    # Three letters wrong of twenty is 0.85 alike, just enough.
    assert geo.clear_spelling("Daytuna Beech Shorez, FL").label == "Daytona Beach Shores, FL"
    # At most 100 characters are read.
    assert geo.clear_spelling(padded("Jaksonville", ", FL", 100)).label == "Jacksonville, FL"
    assert geo.clear_spelling(padded("Jaksonville", ", FL", 101)) is None


def test_cities_spelled_like_a_misspelling_are_suggested_closest_first_three_at_most():
    assert [place.label for place in geo.places_spelled_like("Alacha, FL")] == [
        "Alachua, FL",
        "Matlacha, FL",
        "Yalaha, FL",
    ]
    # Four cities are alike; three are offered.
    assert [place.label for place in geo.places_spelled_like("Fort Myers Bh, FL")] == [
        "Ft Myers Bch, FL",
        "Fort Myers Beach, FL",
        "Fort Myers, FL",
    ]
    assert len(geo.places_spelled_like("Fort Myers Bh, FL", limit=4)) == 4
    assert [place.label for place in geo.places_spelled_like("jaksonville fl")] == [
        "Jacksonville, FL",
        "Jacksonville Nas, FL",
    ]
    assert geo.places_spelled_like("Miamy, FL")[0].label == "Miami, FL"
    assert geo.places_spelled_like("Tampa, ZZ") == []
    assert geo.places_spelled_like("Jaksonville") == []
    assert geo.places_spelled_like(None) == []
    assert geo.places_spelled_like(padded("Jaksonville", ", FL", 100))[0].label == "Jacksonville, FL"
    assert geo.places_spelled_like(padded("Jaksonville", ", FL", 101)) == []


def test_a_city_name_in_many_states_lists_eight_of_them():
    places = geo.places_named("Springfield")
    assert len(places) == 8
    assert len({place.state for place in places}) == 8
    assert all(place.city == "Springfield" for place in places)
    assert geo.places_named(padded("Springfield", "", 100)) == places
    assert geo.places_named(padded("Springfield", "", 101)) == []
    assert geo.places_named("") == geo.places_named(None) == geo.places_named("Zzyzxville") == []


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("sunrise clinic", True),
        ("Oregon", True),  # "or" inside a word is not the operator
        ('"sunrise clinic"', False),
        ("tms -ketamine", False),
        ("tms or ketamine", False),
    ],
)
def test_web_search_syntax_is_told_from_plain_words(text, plain):
    assert geo.is_plain_text(text) is plain


@pytest.mark.parametrize(
    ("here", "there"),
    [
        ((30.2908, -81.6321), (25.7617, -80.1918)),  # Jacksonville to Miami
        ((64.8378, -147.7164), (61.2181, -149.9003)),  # Fairbanks to Anchorage
        ((64.8378, -147.7164), (64.8378, -140.0)),  # due east, far north
        ((21.3069, -157.8583), (40.7128, -74.0060)),  # Honolulu to New York
        ((-14.2756, -170.7020), (13.4443, 144.7937)),  # American Samoa to Guam, across both lines
        ((10.0, 20.0), (-10.0, -160.0)),  # antipodes
    ],
)
def test_haversine_miles_agrees_with_an_independent_great_circle_computation(here, there):
    expected = miles_between(*here, *there)
    assert geo.haversine_miles(*here, *there) == pytest.approx(expected, rel=1e-4)
    assert geo.haversine_miles(*there, *here) == pytest.approx(expected, rel=1e-4)
    assert geo.haversine_miles(*here, *here) == 0


@pytest.mark.parametrize(
    ("lat", "lng", "miles"),
    [(30.2908, -81.6321, 25), (64.8378, -147.7164, 500), (-14.2756, -170.7020, 100), (71.29, -156.79, 200)],
)
def test_the_bounding_box_holds_the_whole_circle_and_no_more(lat, lng, miles):
    min_lat, max_lat, min_lng, max_lng = geo.bounding_box(lat, lng, miles)
    circle = [point_at(lat, lng, miles=miles, bearing=tenth / 10) for tenth in range(3600)]
    slack = 1e-6
    assert all(min_lat - slack <= p_lat <= max_lat + slack for p_lat, _ in circle)
    assert all(min_lng - slack <= p_lng <= max_lng + slack for _, p_lng in circle)
    # Tight: each side touches the circle (to within a tenth of a degree of bearing).
    assert min(p_lat for p_lat, _ in circle) == pytest.approx(min_lat, abs=1e-4)
    assert max(p_lat for p_lat, _ in circle) == pytest.approx(max_lat, abs=1e-4)
    assert min(p_lng for _, p_lng in circle) == pytest.approx(min_lng, abs=1e-3)
    assert max(p_lng for _, p_lng in circle) == pytest.approx(max_lng, abs=1e-3)


@pytest.mark.parametrize(
    ("lat", "lng", "miles"),
    [
        (89.9, -100.0, 50),  # around a pole
        (0.0, -100.0, 9900),  # wider than a quarter of the Earth: the east and west points are behind
        (0.0, -100.0, 6253),  # a quarter of the Earth and half a degree
        (0.0, 0.0, 6253),  # the same, where its box would not reach the 180th meridian anyway
    ],
)
def test_a_circle_around_a_pole_or_wider_than_a_quarter_of_the_earth_spans_every_longitude(lat, lng, miles):
    _min_lat, _max_lat, min_lng, max_lng = geo.bounding_box(lat, lng, miles)
    assert (min_lng, max_lng) == (-180.0, 180.0)  # as stored: a location at +100 is inside


@pytest.mark.parametrize(
    ("lat", "lng", "miles"),
    [
        (51.88, -176.66, 500),  # Adak (Aleutians)
        (52.0, 179.5, 500),  # just west of the meridian
        (13.47, 144.75, 3000),  # Guam
        (52.0, -179.6, 50),  # across it by less than a degree, from the east...
        (52.0, 179.6, 50),  # ...and from the west
    ],
)
def test_a_circle_across_the_180th_meridian_spans_every_longitude(lat, lng, miles):
    min_lat, max_lat, min_lng, max_lng = geo.bounding_box(lat, lng, miles)
    assert (min_lng, max_lng) == (-180.0, 180.0)
    reach = math.degrees(miles / geo.EARTH_RADIUS_MILES)  # the latitudes are the circle's own
    assert (min_lat, max_lat) == pytest.approx((lat - reach, lat + reach))
    # A circle that stays on one side keeps its own longitudes.
    assert geo.bounding_box(lat, lng, 10)[2:] != (-180.0, 180.0)
