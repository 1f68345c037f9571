"""Issue 13, item 10: "Use my location". The browser sends a position rounded to 2 decimals
(near=30.29,-81.63); the listing searches around it, names the nearest ZIP code's city, keeps
it to 2 decimals in every link, and neither a shared cache nor our logs keep it."""

import logging

import pytest

from tests.factories import make_center

pytestmark = pytest.mark.django_db


def test_a_rounded_position_finds_the_nearest_centers_and_names_the_city(client):
    make_center(name="Harbor Test Clinic")  # Jacksonville, FL
    make_center(
        name="Desert Mood Center", city="Phoenix", state="AZ", zip_code="85004", latitude=33.45, longitude=-112.07
    )
    html = client.get("/centers/?near=30.29,-81.63&treatment=tms").content.decode()
    assert "TMS centers near your location (Jacksonville, FL)" in html
    assert "Harbor Test Clinic" in html and "Desert Mood Center" not in html


def test_a_finer_position_is_answered_at_its_rounded_address_with_2_decimals_in_every_link(client):
    make_center(name="Harbor Test Clinic")
    response = client.get("/centers/?near=30.290812,-81.632144&treatment=tms")
    assert response.status_code == 302 and "no-store" in response["Cache-Control"]
    assert response["Location"] == "/centers/?near=30.29%2C-81.63&treatment=tms"
    html = client.get(response["Location"]).content.decode()
    assert "Harbor Test Clinic" in html
    assert "30.2908" not in html and "81.6321" not in html
    assert 'value="30.29,-81.63"' in html and "near=30.29%2C-81.63" in html


def test_the_page_for_a_position_is_kept_by_no_cache_and_no_search_engine(client):
    make_center()
    response = client.get("/centers/?near=30.29,-81.63")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    typed = client.get("/centers/?near=32207")  # a typed place is still a public page
    assert "public" in typed["Cache-Control"]


def test_a_position_outside_the_united_states_asks_for_a_city_or_zip(client):
    response = client.get("/centers/?near=48.85,2.35")  # Paris
    assert response.status_code == 200
    assert "Your location seems to be outside the United States" in response.content.decode()


def test_no_log_line_carries_the_position(client, caplog):
    make_center()
    with caplog.at_level(logging.DEBUG):
        client.get("/centers/?near=30.29,-81.63")
        client.get("/centers/?near=48.85,2.35")
    assert not [record for record in caplog.records if "30.29" in record.getMessage() or "48.85" in record.getMessage()]


@pytest.mark.parametrize("prefix, words", [("", "rounds your position to about 1 km"), ("/es", "redondea su posición")])
def test_the_privacy_page_says_the_position_is_rounded_and_never_stored(client, prefix, words):
    html = client.get(f"{prefix}/privacy/").content.decode()
    assert 'id="location"' in html and words in html
