"""/centers/: the search a patient runs, as they see it."""

import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest

from directory import geo
from directory.models import Center, CenterTreatment, Location
from tests.directory.conftest import JAX, api_names, center_with, miles_between, point_at
from tests.factories import make_center
from tests.html import without_styles

pytestmark = pytest.mark.django_db


def card_names(response) -> list[str]:
    html = response.content.decode()
    return [unescape(name) for name in re.findall(r'<h2 id="center-\d+"><a href="[^"]+">([^<]+)</a>', html)]


def test_only_centers_within_the_radius_appear_with_their_distance(client):
    inside = make_center(name="Just Inside", latitude=point_at(*JAX, miles=9.95, bearing=40)[0],
                         longitude=point_at(*JAX, miles=9.95, bearing=40)[1])  # fmt: skip
    lat, lng = point_at(*JAX, miles=10.05, bearing=220)
    make_center(name="Just Outside", latitude=lat, longitude=lng)
    response = client.get("/centers/?near=32207&radius=10")
    assert card_names(response) == ["Just Inside"]
    location = inside.locations.get()
    expected = miles_between(*JAX, location.latitude, location.longitude)
    assert f"{expected:.1f} mi" in response.content.decode()
    data = client.get("/api/centers/?near=32207&radius=10").json()
    assert data["results"][0]["distance_miles"] == pytest.approx(expected, abs=0.01)


def test_a_kept_card_shows_each_search_its_own_distance(client):
    # A card is drawn once and kept for every search that finds its center; the distance is
    # written in by each page (a kept card once showed the first search's distance everywhere).
    lat, lng = point_at(*JAX, miles=6, bearing=0)
    center = make_center(name="North Clinic", latitude=lat, longitude=lng)
    location = center.locations.get()
    pages = {}
    for place in ("32207", "32202", "32207"):  # twice from the first place: the card is then kept
        response = client.get(f"/centers/?near={place}&radius=25")
        html = response.content.decode()
        assert card_names(response) == ["North Clinic"] and html.count('<span class="distance">') == 1
        pages.setdefault(place, []).append(re.search(r'<span class="distance">([^<]+)</span>', html)[1])
    for place, shown in pages.items():
        found = geo.find_place(place)
        expected = miles_between(found.latitude, found.longitude, location.latitude, location.longitude)
        assert shown == [f"{expected:.1f} mi"] * len(shown)
    assert pages["32207"] != pages["32202"]
    # Without a place a card shows no distance at all.
    response = client.get("/centers/?q=north+clinic")
    assert card_names(response) == ["North Clinic"]
    assert '<span class="distance">' not in response.content.decode()


def test_a_kept_card_is_drawn_again_when_what_it_shows_changes(client):
    # Cards are kept under what they show: a change to the center, a location or a treatment
    # gives a new card at once (no signal needed, so bulk writes are covered too).
    center = make_center(name="Change Clinic", treatments=("tms",), phone="(904) 555-0101")
    url = "/centers/?near=32207&radius=25"
    assert "(904) 555-0101" in client.get(url).content.decode()
    Center.objects.filter(pk=center.pk).update(phone="(904) 555-0102", accepting_new_patients="no")
    html = client.get(url).content.decode()
    assert "(904) 555-0102" in html and "Call about a waitlist" in html and "(904) 555-0101" not in html
    Location.objects.filter(center=center).update(street1="9 New Street", phone="(904) 555-0103")
    html = client.get(url).content.decode()
    assert "9 New Street" in html and "(904) 555-0103" in html
    CenterTreatment.objects.filter(center=center).update(self_pay_price=Decimal("350"), price_unit="session")
    assert "$350" in client.get(url).content.decode()


def test_distance_is_to_the_nearest_location_of_a_center(client):
    center = make_center(name="Two Sites", latitude=33.749, longitude=-84.388)  # Atlanta
    near_lat, near_lng = point_at(*JAX, miles=3, bearing=90)
    Location.objects.create(center=center, street1="2 Beach Road", city="Jacksonville", state="FL", zip="32207",
                            latitude=near_lat, longitude=near_lng, sort_order=1)  # fmt: skip
    response = client.get("/centers/?near=32207&radius=25")
    assert card_names(response) == ["Two Sites"]
    html = response.content.decode()
    assert "3.0 mi" in html and "2 Beach Road, Jacksonville, FL 32207" in html


def test_with_a_place_results_are_sorted_by_distance_and_otherwise_by_name(client):
    for name, miles in [("Alpha Far", 20), ("Beta Near", 2), ("Gamma Middle", 8)]:
        lat, lng = point_at(*JAX, miles=miles, bearing=0)
        make_center(name=name, latitude=lat, longitude=lng)
    assert card_names(client.get("/centers/?near=32207")) == ["Beta Near", "Gamma Middle", "Alpha Far"]
    assert card_names(client.get("/centers/?q=Center")) == []  # (names only: no place, no distance)
    assert card_names(client.get("/centers/?near=32207&sort=name")) == ["Alpha Far", "Beta Near", "Gamma Middle"]


def test_sort_by_verified_puts_the_most_recently_verified_first_and_the_never_verified_last(client):
    make_center(name="Old", last_verified_on=date(2025, 1, 5))
    make_center(name="Never")
    make_center(name="Recent", last_verified_on=date(2026, 10, 1))
    assert card_names(client.get("/centers/?near=32207&sort=verified")) == ["Recent", "Old", "Never"]


def test_values_of_one_parameter_match_any_and_different_parameters_match_all(client):
    center_with(name="TMS Medicare", treatments=("tms",), payments=("medicare",))
    center_with(name="Ketamine Medicare", treatments=("ketamine",), payments=("medicare",))
    center_with(name="TMS Self-pay", treatments=("tms",), payments=("self-pay",))
    center_with(name="ECT Medicare", treatments=("ect",), payments=("medicare",))
    assert card_names(client.get("/centers/?near=32207&sort=name&treatment=tms&treatment=ketamine")) == [
        "Ketamine Medicare", "TMS Medicare", "TMS Self-pay",
    ]  # fmt: skip
    assert card_names(client.get("/centers/?near=32207&treatment=tms&payment=medicare")) == ["TMS Medicare"]
    query = "near=32207&sort=name&treatment=tms&treatment=ketamine&payment=medicare"
    assert card_names(client.get(f"/centers/?{query}")) == [
        "Ketamine Medicare", "TMS Medicare",
    ]  # fmt: skip


def test_every_filter_narrows_the_results(client):
    center_with(name="All Of It", treatments=("tms",), settings_=("outpatient",), payments=("medicare",),
                ages=("seniors",), languages=("spanish",), accepting_new_patients="yes")  # fmt: skip
    center_with(name="Other Setting", treatments=("tms",), settings_=("inpatient",), payments=("medicare",),
                ages=("seniors",), languages=("spanish",), accepting_new_patients="yes")  # fmt: skip
    center_with(name="Not Accepting", treatments=("tms",), settings_=("outpatient",), payments=("medicare",),
                ages=("seniors",), languages=("spanish",), accepting_new_patients="no")  # fmt: skip
    query = "near=32207&sort=name&treatment=tms&setting=outpatient&payment=medicare&age=seniors&language=spanish"
    assert card_names(client.get(f"/centers/?{query}")) == ["All Of It", "Not Accepting"]
    assert card_names(client.get(f"/centers/?{query}&accepting=1")) == ["All Of It"]
    assert card_names(client.get("/centers/?near=32207&language=asl")) == []


def test_only_published_centers_are_listed(client):
    make_center(name="Published Place")
    make_center(name="Draft Place", status=Center.Status.DRAFT)
    make_center(name="Closed Place", status=Center.Status.CLOSED)
    assert card_names(client.get("/centers/?near=32207")) == ["Published Place"]
    assert api_names(client, "") == ["Published Place"]


def test_a_card_shows_what_a_patient_needs_before_calling(client):
    center = make_center(
        name="Harbor Detail Clinic",
        treatments=(),
        phone="(904) 555-0142",
        accepting_new_patients="yes",
        accepting_checked_on=date(2026, 3, 2),
        last_verified_on=date(2026, 2, 14),
        verification_method="phone",
        source="SAMHSA National Directory 2022",
    )
    CenterTreatment.objects.create(center=center, treatment_id=_treatment("tms"), tms_variant="deep",
                                   self_pay_price=Decimal("250"), price_unit="per session")  # fmt: skip
    CenterTreatment.objects.create(center=center, treatment_id=_treatment("ketamine"), ketamine_route="iv")
    CenterTreatment.objects.create(center=center, treatment_id=_treatment("esketamine"), spravato_rems_certified=True)
    html = unescape(client.get("/centers/?near=32207").content.decode())
    assert "0.1 mi" in html
    assert "1 Main Street, Jacksonville, FL 32207" in html or re.search(
        r"\d+ Main Street, Jacksonville, FL 32207", html
    )
    assert 'href="tel:+19045550142"' in html and "Call (904) 555-0142" in html
    assert "TMS</span> · Deep TMS (H-coil) · Self-pay $250 per session" in html
    assert "Ketamine</span> · Intravenous (IV)" in html
    assert "Esketamine</span> · REMS-certified for Spravato" in html
    assert "Accepting new patients" in html
    assert re.search(r'Details checked <time datetime="2026-02-14" title="February 14, 2026">[^<]+ ago</time> '
                     r"by phone call", html)  # fmt: skip
    assert "Source: SAMHSA National Directory 2022" in html
    assert center.get_absolute_url() in html


def test_a_card_for_a_samhsa_only_listing_calls_its_intake_line_and_says_nobody_checked_it(client, tmp_path):
    from tests.directory.import_helpers import facility_row, run_import, write_directory

    row = facility_row(
        name1="Intake Line Clinic",
        phone="800-555-0150",
        intake1="904-555-0151",
        service_code_info="MH * OP * ECT CBT DBT * MC",
    )
    run_import(write_directory(tmp_path / "d.csv", [row]))
    html = unescape(client.get("/centers/?near=32204").content.decode())
    card = re.search(r'<article class="center-card".*?</article>', html, re.DOTALL).group(0)
    assert 'href="tel:+19045550151">Call (904) 555-0151</a>' in card  # the intake line, not the 800 number
    assert '<li><span class="offer-name">ECT · CBT · DBT</span></li>' in card  # one line, not three
    assert "Source: SAMHSA National Directory 2022 · not yet checked by us" in card
    assert "Details checked" not in card and "Not yet verified" not in card


def test_a_card_says_when_a_listing_was_never_verified(client):
    make_center(name="Unchecked")
    assert "Not yet verified" in client.get("/centers/?near=32207").content.decode()


def test_the_count_of_matches_is_shown_and_pages_hold_twenty(client):
    for n in range(23):
        make_center(name=f"Center {n:02d}")
    first = client.get("/centers/?near=32207&sort=name&treatment=tms")
    assert len(card_names(first)) == 20
    assert "23 centers" in first.content.decode() and "showing 1–20" in first.content.decode()
    second = client.get("/centers/?near=32207&sort=name&treatment=tms&page=2")
    assert card_names(second) == ["Center 20", "Center 21", "Center 22"]


def test_pagination_links_keep_every_parameter(client):
    for n in range(21):
        center_with(name=f"Center {n:02d}", payments=("medicare",))
    html = unescape(client.get("/centers/?near=32207&radius=50&treatment=tms&payment=medicare").content.decode())
    link = re.search(r'href="(\?[^"]*page=2[^"]*)" rel="next"', html).group(1)
    assert set(link.lstrip("?").split("&")) == {
        "near=32207",
        "radius=50",
        "treatment=tms",
        "payment=medicare",
        "page=2",
    }


def test_active_filters_are_chips_that_each_remove_one_filter(client):
    make_center()
    html = unescape(client.get("/centers/?near=32207&treatment=tms&treatment=ketamine&accepting=1").content.decode())
    chips = dict(re.findall(r'<a class="filter-chip" href="([^"]+)">([^<]+?) <span', html))
    by_label = {label: url for url, label in chips.items()}
    assert by_label["TMS"] == "/centers/?near=32207&treatment=ketamine&accepting=1"
    assert by_label["Ketamine"] == "/centers/?near=32207&treatment=tms&accepting=1"
    assert by_label["Accepting new patients"] == "/centers/?near=32207&treatment=tms&treatment=ketamine"
    assert (
        by_label["Within 25 mi of 32207 (Jacksonville, FL)"] == "/centers/?treatment=tms&treatment=ketamine&accepting=1"
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("near=99999", "We don't know the ZIP code “99999”. Please check it"),
        ("near=Nowhere%2C+ZZ", "We couldn't find a place called “Nowhere, ZZ”"),
        ("near=32207&radius=abc", "The distance must be a number of miles; we used 25."),
        ("near=32207&radius=-5", "The distance must be at least 1 mile; we used 25."),
        ("near=32207&radius=9000", "The largest distance is 500 miles; we used 500."),
        ("treatment=tms&treatment=brain-zapping", "We don't know the treatment “brain-zapping”, so we left it out."),
        ("sort=fastest", "We can sort by distance, name or most recently verified."),
        ("sort=distance", "Sorting by distance needs a place"),
        ("accepting=maybe", "accepting=1"),
        ("page=abc", "That is not a page number, so here is the first page."),
        ("q=" + "x" * 300, "We searched for the first 200 characters of your text."),
        ("near=Jacksonville", "Several places are called “Jacksonville”"),
    ],
)
def test_bad_input_keeps_the_page_working_and_says_what_was_not_used(client, query, message):
    make_center(name="Still Listed")
    response = client.get(f"/centers/?{query}")
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "We couldn't use part of your search" in html
    assert message in html


def test_a_bad_value_does_not_throw_away_the_good_ones(client):
    make_center(name="TMS Here", treatments=("tms",))
    make_center(name="ECT Here", treatments=("ect",))
    response = client.get("/centers/?treatment=tms&treatment=nonsense&near=32207&radius=oops")
    assert card_names(response) == ["TMS Here"]
    assert "25 miles" in response.content.decode()


def test_an_ambiguous_city_offers_the_places_it_could_mean_as_buttons_and_lists_nothing(client):
    make_center(name="Harbor Test Clinic", treatments=("tms",))
    response = client.get("/centers/?near=Jacksonville&treatment=tms")
    html = unescape(response.content.decode())
    assert re.search(r"<h1[^>]*>Which place did you mean\?</h1>", html)
    choices = re.findall(r'<a class="btn btn-primary btn-lg place-choice" href="([^"]+)">([^<]+)</a>', html)
    assert ("/centers/?treatment=tms&near=Jacksonville%2C+FL", "Jacksonville, FL") in choices
    assert len(choices) > 1 and card_names(response) == []
    assert card_names(client.get(choices[0][0])) == ["Harbor Test Clinic"]


@pytest.mark.parametrize(
    "query",
    [
        "near=&near=&radius=&treatment=&q=&sort=&page=",
        "near=32207&near=32207&radius=10&radius=20",
        "treatment=tms&treatment=tms&treatment=",
        "radius=1e400&near=32207",
        "radius=nan&near=32207",
        "page=0",
        "page=-3",
        "q=%22unclosed&near=32207",
        "q=%27%3B--",  # (a NUL byte is refused with a 400 before any page: tests/test_hardening.py)
        "near=%F0%9F%98%80",
        "language=" + "&language=".join(str(n) for n in range(200)),
    ],
)
def test_odd_or_repeated_parameters_never_break_the_page(client, query):
    make_center()
    response = client.get(f"/centers/?{query}")
    assert response.status_code == 200
    assert client.get(f"/api/centers/?{query}").status_code in {200, 400}


def test_a_page_past_the_end_is_not_found(client):
    make_center()
    assert client.get("/centers/?near=32207&page=2").status_code == 404
    assert client.get("/centers/?near=32207&page=99999999999999999999").status_code == 404
    assert client.get("/centers/?near=32207&page=5").status_code == 404


def test_no_results_suggests_what_to_loosen_with_links_that_do_it_and_shows_crisis_help(client):
    lat, lng = point_at(*JAX, miles=40, bearing=0)
    make_center(name="Forty Miles Away", latitude=lat, longitude=lng, treatments=("ect",))
    # The only ECT center is not known to accept new patients: no radius would help.
    html = unescape(client.get("/centers/?near=32207&radius=50&treatment=ect&accepting=1").content.decode())
    assert "No centers match this search" in html
    # No ECT center anywhere is known to accept: the page says so, not "within 500 miles".
    assert "No center anywhere in our directory matches this search yet." in html
    assert "No center within 500 miles" not in html and "The nearest center that matches" not in html
    assert "Search within" not in html and "Remove “ECT”" not in html  # finds nothing either
    assert 'class="crisis-panel' in html and 'href="tel:988"' in html
    remove_accepting = re.search(r'href="([^"]+)">Remove “Accepting new patients”</a> <span[^>]*>\(1 center\)', html)
    assert card_names(client.get(remove_accepting.group(1))) == ["Forty Miles Away"]

    # Nearer in: the nearest match is 40 miles away, and the link goes just far enough.
    html = unescape(client.get("/centers/?near=32207&radius=10&treatment=ect").content.decode())
    assert "No centers match this search" in html and "No center within 500 miles" not in html
    wider = re.search(r'href="([^"]+)">Search within 50 miles: the nearest match is 40.0 mi away</a> <span[^>]*>'
                      r"\(1 center\)", html).group(1)  # fmt: skip
    assert "radius=50" in wider and "treatment=ect" in wider
    assert card_names(client.get(wider)) == ["Forty Miles Away"]


def test_the_nearest_match_is_measured_with_every_filter_but_the_radius(client, django_assert_max_num_queries):
    far_lat, far_lng = point_at(*JAX, miles=180, bearing=90)
    near_lat, near_lng = point_at(*JAX, miles=60, bearing=0)
    make_center(name="Far TMS", latitude=far_lat, longitude=far_lng, treatments=("tms",))
    make_center(name="Nearer Ketamine", latitude=near_lat, longitude=near_lng, treatments=("ketamine",))
    client.get("/centers/")  # warms the vocabulary and the demo-notice flag
    # The page (empty), the nearest match, the count at its radius, the count without TMS,
    # and the telehealth centers of the state.
    with django_assert_max_num_queries(5):
        html = unescape(client.get("/centers/?near=32207&treatment=tms").content.decode())
    link = re.search(r'href="([^"]+)">Search within 250 miles: the nearest match is 180.0 mi away', html)
    assert link and card_names(client.get(link.group(1))) == ["Far TMS"]
    assert "Remove “TMS”" not in html  # the ketamine center is 60 miles away: still nothing within 25
    # A search that found something asks nothing more.
    with django_assert_max_num_queries(2):
        client.get("/centers/?near=32207&radius=100&treatment=ketamine")
    # With a text, the nearest match is not looked up: the next two radii, when they find something.
    html = unescape(client.get("/centers/?near=32207&radius=150&treatment=tms&q=far").content.decode())
    assert re.search(r">Search within 250 miles</a> <span[^>]*>\(1 center\)", html)
    assert re.search(r">Search within 500 miles</a> <span[^>]*>\(1 center\)", html)
    assert "nearest match" not in html and "No center within 500 miles" not in html
    html = unescape(client.get("/centers/?near=32207&treatment=tms&q=harbor").content.decode())
    assert "Search within" not in html


def test_changing_a_filter_can_fetch_the_results_alone(client):
    make_center(name="Partial Center")
    response = client.get("/centers/?near=32207&treatment=tms", headers={"X-Requested-With": "search-results"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "Partial Center" in html
    assert 'data-heading="TMS centers near 32207 (Jacksonville, FL)"' in html
    assert "X-Requested-With" in response["Vary"]
    full = client.get("/centers/?near=32207&treatment=tms").content.decode()
    assert "<html" in full and "js/search.js" in full


def test_the_search_form_works_without_javascript(client):
    make_center()
    html = client.get("/centers/").content.decode()
    form = re.search(r'<form class="search-form"[^>]*action="([^"]+)" method="get"', html)
    assert form.group(1) == "/centers/"
    for name in ["near", "radius", "treatment", "setting", "payment", "age", "language", "accepting", "q", "sort"]:
        assert f'name="{name}"' in html, name
    assert '<button class="btn btn-primary w-100" type="submit">Show centers</button>' in html


def test_the_map_appears_only_when_a_tile_server_is_configured(client, settings):
    make_center()
    html = without_styles(client.get("/centers/?near=32207").content.decode())
    assert "leaflet" not in html and "results-map" not in html
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    from directory import context_processors  # noqa: F401 (reads settings per request)

    html = client.get("/centers/?near=32207").content.decode()
    assert 'id="results-map"' in html and "hidden" in html and "vendor/leaflet/leaflet.js" in html
    assert '<script id="results-map-points" type="application/json">' in html
    assert '"lat": 30.2908' in html


def test_searching_jacksonville_for_tms_from_the_home_page_reaches_a_phone_number_in_two_taps(client):
    lat, lng = point_at(*JAX, miles=4, bearing=10)
    make_center(name="Near TMS", latitude=lat, longitude=lng, phone="(904) 555-0177", treatments=("tms",))
    make_center(name="Near Therapy", treatments=("cbt",))
    home = client.get("/").content.decode()
    assert re.search(r'<form class="search-card" action="/centers/" method="get"', home)
    assert 'name="near"' in home and '<option value="tms">' in home
    results = client.get("/centers/", {"near": "Jacksonville, FL", "treatment": "tms"})  # tap 1: Find centers
    html = results.content.decode()
    assert card_names(results) == ["Near TMS"]
    assert 'href="tel:+19045550177"' in html  # tap 2: Call
    assert api_names(client, "near=Jacksonville%2C+FL&treatment=tms") == card_names(results)


def _treatment(slug: str) -> int:
    from directory.models import Treatment

    return Treatment.objects.get(slug=slug).pk


def test_a_place_we_could_not_read_asks_where_to_look_with_the_typed_text_kept_and_lists_nothing(client):
    make_center(name="Harbor Test Clinic", treatments=("tms",))
    response = client.get("/centers/?near=Xyzzy%2C+FL&treatment=tms")
    html = unescape(response.content.decode())
    assert re.search(r"<h1[^>]*>Where should we look\?</h1>", html)
    assert "We couldn't find a place called “Xyzzy, FL”" in html
    assert card_names(response) == [] and "No centers match" not in html
    ask = re.search(r'<form class="ask-place".*?</form>', html, re.DOTALL).group(0)
    assert '<input type="hidden" name="treatment" value="tms">' in ask
    assert re.search(r'<input[^>]*id="ask-near"[^>]*value="Xyzzy, FL"[^>]*autofocus', ask)
    # The folded panel keeps the place marked as the one we could not use.
    assert not re.search(r'<details class="search-panel" id="search-panel"[^>]* open>', html)
    near_input = re.search(r'<input[^>]*id="search-near"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in near_input


@pytest.mark.parametrize("query", ["", "treatment=tms", "near=&treatment=tms", "near=+&radius=50&treatment=tms"])
def test_no_place_asks_where_to_look_with_the_field_focused_and_runs_no_search(
    client, query, django_assert_max_num_queries
):
    make_center(name="Harbor Test Clinic", treatments=("tms",))
    client.get("/centers/?near=32207")  # warms the vocabulary and the demo-notice flag
    with django_assert_max_num_queries(0):
        response = client.get(f"/centers/?{query}")
    html = unescape(response.content.decode())
    assert re.search(r"<h1[^>]*>Where should we look\?</h1>", html)
    assert re.search(r'<input[^>]*id="ask-near"[^>]*autofocus', html)
    assert card_names(response) == [] and "No centers match" not in html and "0 centers" not in html
    # The treatment asked for (an article's "Find centers offering TMS") is said, not lost.
    assert ("Searching for: TMS centers" in html) == ("treatment=tms" in query)


def test_a_name_search_without_a_place_still_lists_the_matches(client):
    make_center(name="Harbor Test Clinic")
    make_center(name="Desert Mood Center", city="Phoenix", state="AZ", zip_code="85004")
    assert card_names(client.get("/centers/?q=harbor")) == ["Harbor Test Clinic"]


def test_a_misspelled_city_that_clearly_means_one_city_is_searched_and_the_page_says_so(client):
    make_center(name="Harbor Test Clinic", latitude=JAX[0], longitude=JAX[1], treatments=("tms",))
    response = client.get("/centers/?near=Jaksonville%2C+FL&treatment=tms")
    html = unescape(response.content.decode())
    assert card_names(response) == ["Harbor Test Clinic"]
    assert re.search(r"<h1[^>]*>TMS centers near Jacksonville, FL</h1>", html)
    note = re.search(r"Showing Jacksonville, FL\. <a href=\"([^\"]+)\">Not what you meant\?</a>", html)
    assert note and "We couldn't use part of your search" not in html
    near_input = re.search(r'<input[^>]*id="search-near"[^>]*>', html).group(0)
    assert 'value="Jacksonville, FL"' in near_input and "aria-invalid" not in near_input
    # "Not what you meant?" asks for the place again, the treatment kept.
    again = unescape(client.get(note.group(1)).content.decode())
    assert note.group(1) == "/centers/?treatment=tms" and "Where should we look?" in again


def test_a_misspelling_that_could_be_several_cities_offers_them_and_lists_nothing(client):
    make_center(name="Harbor Test Clinic", latitude=25.77, longitude=-80.19, city="Miami", zip_code="33130")
    response = client.get("/centers/?near=Miamy%2C+FL")
    html = unescape(response.content.decode())
    assert card_names(response) == []
    choices = re.findall(r'place-choice" href="([^"]+)">([^<]+)</a>', html)
    assert ("/centers/?near=Miami%2C+FL", "Miami, FL") in choices
    assert card_names(client.get("/centers/?near=Miami%2C+FL")) == ["Harbor Test Clinic"]


@pytest.mark.parametrize("near", ["32207", "+32207+", "322+07", "3+2+2+0+7", "32207-1234", "322+07-1234"])
def test_a_zip_code_typed_with_spaces_finds_the_centers_near_it(client, near):
    make_center(name="Harbor Test Clinic", latitude=JAX[0], longitude=JAX[1])
    response = client.get(f"/centers/?near={near}")
    assert card_names(response) == ["Harbor Test Clinic"]
    assert "We couldn't use part of your search" not in response.content.decode()


def test_an_unknown_zip_code_is_not_told_to_type_a_zip_code(client):
    html = unescape(client.get("/centers/?near=99999").content.decode())
    assert "We don't know the ZIP code “99999”" in html
    assert "Try a 5-digit ZIP code" not in html
    html = unescape(client.get("/centers/?near=3220").content.decode())
    assert "We couldn't find a place called “3220”. Try a 5-digit ZIP code" in html


def test_links_back_to_the_first_page_are_the_search_without_a_page_number(client):
    for n in range(21):
        make_center(name=f"Center {n:02d}")
    html = unescape(client.get("/centers/?near=32207&page=2").content.decode())
    assert re.search(r'href="([^"]*)" rel="prev"', html).group(1) == "?near=32207"
    assert '<a class="page-link" href="?near=32207">1</a>' in html
    assert "page=1" not in html
    html = unescape(client.get("/centers/fl/jacksonville/?page=2").content.decode())
    assert re.search(r'href="([^"]*)" rel="prev"', html).group(1) == "?"


def test_the_page_description_says_what_was_found_without_the_paging(client):
    for n in range(21):
        make_center(name=f"Center {n:02d}")
    html = unescape(client.get("/centers/?near=32207").content.decode())
    description = re.search(r'<meta name="description" content="([^"]*)">', html).group(1)
    assert description.startswith("Treatment centers near 32207 (Jacksonville, FL): 21 centers within 25 miles. Each")
    assert "showing 1–20" in html  # the page itself still says which ones are shown


def test_an_empty_search_names_three_telehealth_centers_of_its_own_state_and_counts_them_all(client):
    miami, savannah = (25.77, -80.19), (32.08, -81.09)
    tele = {}
    for name in ("Tele D", "Tele B", "Tele A", "Tele C"):
        tele[name] = center_with(name=name, latitude=miami[0], longitude=miami[1], city="Miami", zip_code="33130",
                    settings_=("telehealth",))  # fmt: skip
    center_with(name="Office Only", latitude=miami[0], longitude=miami[1], city="Miami", zip_code="33130")
    georgia = center_with(name="Tele Georgia", latitude=savannah[0], longitude=savannah[1], city="Savannah", state="GA",
                zip_code="31401", settings_=("telehealth",))  # fmt: skip
    response = client.get("/centers/?near=32207")
    html = unescape(response.content.decode())
    assert card_names(response) == []
    assert "4 centers in FL offer telehealth visits" in html
    links = re.findall(r'<li><a href="/centers/([^/"]+)/">([^<]+)</a></li>', html)
    assert links == [(tele[name].slug, name) for name in ("Tele A", "Tele B", "Tele C")]
    # Another state's empty search names its own (each state's answer is kept apart).
    html = unescape(client.get("/centers/?near=30303").content.decode())
    assert "1 center in GA offers telehealth visits" in html
    assert re.findall(r'<li><a href="/centers/([^/"]+)/">([^<]+)</a></li>', html) == [(georgia.slug, "Tele Georgia")]
    html = unescape(client.get("/centers/?near=32207").content.decode())  # kept: the same answer
    assert "4 centers in FL offer telehealth visits" in html and ">Tele A</a>" in html
    assert "telehealth visits" not in unescape(client.get("/centers/?near=10001").content.decode())  # none in NY
