"""Patient journeys, round 2 (issue 13): reaching a center that can take you."""

import re
from html import unescape

import pytest

from directory.search.index import centers_refresh_search
from tests.directory.conftest import JAX, api_names, miles_between, point_at
from tests.directory.test_listing import card_names
from tests.factories import make_center
from tests.html import without_styles

pytestmark = pytest.mark.django_db


def centers_around_jacksonville() -> None:
    """Six TMS centers: two of each answer to "accepting new patients?", at 1 to 6 miles."""
    for name, miles, accepting in [
        ("Closed Door One", 1, "no"),
        ("Maybe Two", 2, "unknown"),
        ("Open Three", 3, "yes"),
        ("Closed Door Four", 4, "no"),
        ("Maybe Five", 5, "unknown"),
        ("Open Six", 6, "yes"),
    ]:
        lat, lng = point_at(*JAX, miles=miles, bearing=30)
        make_center(name=name, latitude=lat, longitude=lng, accepting_new_patients=accepting)


def test_near_a_place_accepting_centers_come_first_then_unknown_then_not_accepting_each_nearest_first(client):
    centers_around_jacksonville()
    response = client.get("/centers/?near=32207&treatment=tms")
    assert card_names(response) == [
        "Open Three", "Open Six", "Maybe Two", "Maybe Five", "Closed Door One", "Closed Door Four",
    ]  # fmt: skip
    html = unescape(response.content.decode())
    assert "sorted by accepting new patients first, then nearest" in html
    # The API runs the same search, in the same order.
    assert api_names(client, "near=32207&treatment=tms") == card_names(response)


def test_when_no_result_is_known_to_accept_the_page_says_so_above_the_list(client):
    note = "None of these centers is known to be accepting new patients: ask when you call."
    for name, miles, accepting in [("Closed Door", 1, "no"), ("Maybe", 2, "unknown")]:
        lat, lng = point_at(*JAX, miles=miles, bearing=30)
        make_center(name=name, latitude=lat, longitude=lng, accepting_new_patients=accepting)
    html = unescape(client.get("/centers/?near=32207&treatment=tms").content.decode())
    assert card_names(client.get("/centers/?near=32207&treatment=tms")) == ["Maybe", "Closed Door"]
    assert note in html and "sorted by accepting new patients first" in html
    assert note not in unescape(client.get("/centers/?near=32207&treatment=tms&sort=distance").content.decode())
    lat, lng = point_at(*JAX, miles=3, bearing=30)
    make_center(name="Open Door", latitude=lat, longitude=lng, accepting_new_patients="yes")
    html = unescape(client.get("/centers/?near=32207&treatment=tms").content.decode())
    assert note not in html  # the first card is accepting and says so
    # One result names no order, and its own card says what is known: no note ("None of these").
    html = unescape(client.get("/centers/?near=32207&treatment=tms&radius=1").content.decode())
    assert card_names(client.get("/centers/?near=32207&treatment=tms&radius=1")) == ["Closed Door"]
    assert "Not accepting new patients" in html and note not in html


def test_plain_distance_stays_a_sort_and_is_offered_above_the_list(client):
    centers_around_jacksonville()
    html = unescape(client.get("/centers/?near=32207&treatment=tms").content.decode())
    distance_only = re.search(r'<a href="([^"]+)">sort by distance only</a>', html).group(1)
    assert "sort=distance" in distance_only
    assert card_names(client.get(distance_only)) == [
        "Closed Door One", "Maybe Two", "Open Three", "Closed Door Four", "Maybe Five", "Open Six",
    ]  # fmt: skip


def test_the_sort_menu_names_the_order_applied_and_never_says_default(client):
    make_center()
    make_center(name="Second Test Clinic")  # the order is said above two results or more
    html = unescape(client.get("/centers/?near=32207").content.decode())
    menu = re.search(r'<select class="form-select" id="search-sort" name="sort">(.*?)</select>', html, re.DOTALL)
    options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]+)</option>', menu.group(1))
    assert options[0] == ("", " selected", "Accepting, then nearest")  # said in full above the results
    assert "sorted by accepting new patients first, then nearest" in html
    assert ("distance", "", "Distance") in options
    assert "Default" not in menu.group(1)


def test_a_card_of_a_center_not_accepting_offers_a_secondary_call_about_a_waitlist(client):
    make_center(name="Closed Door", phone="(904) 555-0101", accepting_new_patients="no")
    make_center(name="Open Door", phone="(904) 555-0102", accepting_new_patients="yes")
    html = unescape(client.get("/centers/?near=32207").content.decode())
    cards = {
        re.search(r'<h2 id="center-\d+"><a [^>]+>([^<]+)</a>', card).group(1): card
        for card in re.findall(r'<article class="center-card".*?</article>', html, re.DOTALL)
    }
    assert re.search(r'class="btn btn-outline-primary btn-call[^"]*" href="tel:\+19045550101">Call about a waitlist',
                     cards["Closed Door"])  # fmt: skip
    assert 'class="btn btn-primary btn-call" href="tel:+19045550102">Call (904) 555-0102' in cards["Open Door"]
    assert "waitlist" not in cards["Open Door"]


def test_a_center_not_accepting_lists_the_three_nearest_accepting_centers_offering_the_same_treatment(client):
    closed = make_center(name="Closed Door", accepting_new_patients="no", treatments=("tms",))
    for name, miles, accepting, treatments in [
        ("Open TMS Near", 2, "yes", ("tms",)),
        ("Open TMS Middle", 30, "yes", ("tms",)),
        ("Open TMS Far", 200, "yes", ("tms",)),
        ("Open TMS Farthest", 300, "yes", ("tms",)),
        ("Open ECT Only", 1, "yes", ("ect",)),
        ("Unknown TMS", 1, "unknown", ("tms",)),
        ("Closed TMS", 1, "no", ("tms",)),
    ]:
        lat, lng = point_at(*JAX, miles=miles, bearing=200)
        make_center(name=name, latitude=lat, longitude=lng, accepting_new_patients=accepting, treatments=treatments)
    html = unescape(client.get(closed.get_absolute_url()).content.decode())
    section = re.search(r'<section class="accepting-alternatives".*?</section>', html, re.DOTALL).group(0)
    assert re.findall(r'<a class="fw-semibold" href="[^"]+">([^<]+)</a>', section) == [
        "Open TMS Near", "Open TMS Middle", "Open TMS Far",
    ]  # fmt: skip
    assert "Call about a waitlist" in html


def test_an_accepting_center_page_lists_no_alternatives(client):
    make_center(name="Open TMS Near", accepting_new_patients="yes")
    center = make_center(name="Open Door", accepting_new_patients="yes")
    html = without_styles(client.get(center.get_absolute_url()).content.decode())
    assert "accepting-alternatives" not in html and "waitlist" not in html


def test_a_card_says_what_the_center_takes_and_whether_it_helps_with_prior_authorization(client):
    from directory.models import CenterTreatment
    from tests.directory.conftest import center_with

    helpful = center_with(name="Helpful Clinic", payments=("medicare", "sliding-fee", "private-insurance"))
    CenterTreatment.objects.filter(center=helpful).update(prior_authorization_help=True)
    center_with(name="Plain Clinic", payments=())
    html = unescape(client.get("/centers/?near=32207&sort=name").content.decode())
    cards = re.findall(r'<article class="center-card".*?</article>', html, re.DOTALL)
    assert "Takes:</span> Medicare · Private insurance · Sliding fee scale" in cards[0]
    assert "Helps with prior authorization" in cards[0]
    assert "Takes:" not in cards[1] and "prior authorization" not in cards[1]


def test_payment_sits_beside_treatment_and_sort_outside_more_filters(client):
    make_center()
    html = client.get("/centers/?near=32207").content.decode()
    more = html.index('<details class="more-filters')
    assert html.index('name="treatment"') < html.index('name="payment"') < more
    assert html.index('id="search-sort"') < more
    assert re.search(r'<details class="filter-group-long mb-3"><summary class="fw-semibold">Language</summary>', html)


def test_the_center_page_lists_the_insurers_staff_entered(client, admin_client):
    center = make_center(name="Plan Clinic")
    assert "Insurance plans named" not in client.get(center.get_absolute_url()).content.decode()
    center.insurers = "Florida Blue\n\n  Aetna  \n"
    center.save()
    html = unescape(client.get(center.get_absolute_url()).content.decode())
    assert "Insurance plans named" in html and "<li>Florida Blue</li><li>Aetna</li>" in html
    assert 'name="insurers"' in admin_client.get(f"/admin/directory/center/{center.pk}/change/").content.decode()


def test_an_empty_search_in_a_rural_state_names_the_nearest_match_telehealth_and_findtreatment(client):
    from directory.models import CareSetting

    juneau = (58.30, -134.42)
    make_center(name="Seattle TMS", city="Seattle", state="WA", zip_code="98101", latitude=47.61,
                longitude=-122.33, treatments=("tms",), phone="(206) 555-0100")  # fmt: skip
    video = make_center(name="Anchorage Video Therapy", city="Anchorage", state="AK", zip_code="99501",
                        latitude=61.22, longitude=-149.90, treatments=("cbt",))  # fmt: skip
    video.care_settings.set(CareSetting.objects.filter(slug="telehealth"))
    centers_refresh_search(center_ids=[video.pk])  # lookups written outside the admin (README)
    html = unescape(client.get("/centers/?near=99801&treatment=tms&treatment=vns").content.decode())
    assert card_names(client.get("/centers/?near=99801&treatment=tms")) == []
    assert "No center within 500 miles" in html
    nearest = re.search(r'The nearest center that matches is <a href="([^"]+)">Seattle TMS</a>, ([\d,.]+) mi away\. '
                        r"\(Seattle, WA\) <a [^>]*href=\"tel:\+12065550100\"", html)  # fmt: skip
    assert nearest, html[html.index("no-results") :][:2000]
    assert 800 < float(nearest.group(2).replace(",", "")) < 1000 and juneau
    assert "1 center in AK offers telehealth visits" in html and ">Anchorage Video Therapy</a>" in html
    assert 'href="https://findtreatment.gov/"' in html
    # "Remove VNS" would lead to another empty page: not offered. Nor is removing TMS.
    assert "Remove “VNS”" not in html and "Remove “TMS”" not in html
    # No center anywhere lists VNS (SAMHSA has no code for it): said plainly, with the next steps.
    html = unescape(client.get("/centers/?near=99801&treatment=vns").content.decode())
    assert "No center anywhere in our directory matches this search yet." in html
    assert "No center within 500 miles" not in html and "The nearest center that matches" not in html
    assert "1 center in AK offers telehealth visits" in html and 'href="https://findtreatment.gov/"' in html


def test_the_nearest_match_anywhere_may_lie_across_the_180th_meridian(client):
    # From Honolulu (longitude -158) the nearest ECT is on Guam (+145): the search box once
    # ran from -338 to 22 degrees, so a location at +145 was never read and the page named none.
    make_center(name="Guam ECT Service", city="Hagatna", state="GU", zip_code="96910", latitude=13.47,
                longitude=144.75, treatments=("ect",))  # fmt: skip
    make_center(name="Portland ECT Service", city="Portland", state="ME", zip_code="04101", latitude=43.66,
                longitude=-70.26, treatments=("ect",))  # fmt: skip
    html = unescape(client.get("/centers/?near=96813&treatment=ect").content.decode())
    assert "No center within 500 miles" in html
    nearest = re.search(r"The nearest center that matches is <a [^>]+>([^<]+)</a>, ([\d,.]+) mi away", html)
    assert nearest and nearest.group(1) == "Guam ECT Service"
    expected = miles_between(21.31, -157.86, 13.47, 144.75)  # about 3,800 miles
    assert float(nearest.group(2).replace(",", "")) == pytest.approx(expected, rel=0.01)
    assert re.fullmatch(r"3,\d{3}\.\d", nearest.group(2))  # thousands grouped, as people read them


def test_relaxations_each_find_what_they_say(client):
    make_center(name="TMS Here", treatments=("tms",))
    make_center(name="TMS Also", treatments=("tms",))
    html = unescape(client.get("/centers/?near=32207&treatment=tms&accepting=1").content.decode())
    links = re.findall(
        r'<li><a href="([^"]+)">([^<]+)</a> <span class="text-muted">\((\d+) centers?\)</span></li>', html
    )
    assert links, "an empty search near centers that match all but one filter offers that relaxation"
    for url, _label, count in links:
        assert len(card_names(client.get(url))) == int(count) > 0


@pytest.mark.parametrize(
    ("days", "said"),
    [(0, "today"), (1, "yesterday"), (5, "5 days ago"), (13, "13 days ago"), (14, "2 weeks ago"),
     (45, "1 month ago"), (70, "2 months ago"), (364, "12 months ago"), (400, "1 year ago"), (800, "2 years ago")],
)  # fmt: skip
def test_ages_read_in_the_largest_whole_unit(days, said):
    from datetime import date, timedelta

    from directory.formatting import age

    today = date(2026, 11, 29)
    assert age(today - timedelta(days=days), today) == said


def test_a_card_says_once_how_long_ago_its_details_were_checked_and_warns_after_a_year(client):
    from datetime import date, timedelta

    make_center(name="Fresh", last_verified_on=date.today() - timedelta(days=61), verification_method="phone",
                accepting_new_patients="yes", accepting_checked_on=date.today() - timedelta(days=61))  # fmt: skip
    make_center(name="Stale", last_verified_on=date.today() - timedelta(days=400))
    html = unescape(client.get("/centers/?near=32207&sort=name").content.decode())
    fresh, stale = re.findall(r'<article class="center-card".*?</article>', html, re.DOTALL)
    assert re.search(r"Details checked <time [^>]+>2 months ago</time> by phone call", fresh)
    assert fresh.count("<time") == 1 and "out of date" not in fresh
    assert re.search(r"Details checked <time [^>]+>1 year ago</time>", stale)
    assert "May be out of date: confirm when you call." in stale


def test_the_self_check_is_in_the_header_and_footer_navigation(client):
    html = client.get("/").content.decode()
    header = re.search(r'<nav class="navbar.*?</nav>', html, re.DOTALL).group(0)
    footer = re.search(r'<nav class="footer-nav.*?</nav>', html, re.DOTALL).group(0)
    assert 'href="/self-check/">Self-check</a>' in header and 'href="/self-check/">Self-check</a>' in footer


def test_home_page_treatment_blurbs_are_whole_sentences(client):
    from directory.models import Treatment

    html = unescape(client.get("/").content.decode())
    for treatment in Treatment.objects.all():
        assert f'<span class="small">{treatment.summary}</span>' in html, treatment.slug
    assert "…</span>" not in html


def test_a_search_page_has_a_skip_link_to_the_results(client):
    make_center()
    html = client.get("/centers/?near=32207").content.decode()
    assert html.index(">Skip to main content</a>") < html.index('href="#search-results">Skip to results</a>')
    assert '<div id="search-results" tabindex="-1">' in html
