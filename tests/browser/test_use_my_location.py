"""Issue 13, item 10, in a real browser: "Use my location" asks the browser for the position
only after a tap, and what leaves the browser is rounded to 2 decimals (about 1 km). Without
JavaScript the button is absent. check_page runs axe at 375 and 1280 px."""

import re

import pytest

from directory import geo
from tests.browser.support import DESKTOP, PHONE, PageWatch
from tests.factories import make_center

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

HERE = {"latitude": 30.290812, "longitude": -81.632144}  # six decimals: well under a metre
# Counts the page's requests for the position, from before its own scripts run.
COUNT_LOCATION_REQUESTS = """
window.__asked = 0;
const askedFor = navigator.geolocation.getCurrentPosition.bind(navigator.geolocation);
navigator.geolocation.getCurrentPosition = (...args) => { window.__asked += 1; return askedFor(...args); };
"""


@pytest.fixture(autouse=True)
def places_indexed():
    geo.warm_up()


@pytest.fixture
def located(browser, axe, live_server):
    """A phone tab whose browser knows where it is and may tell this site."""
    context = browser.new_context(
        viewport=PHONE, base_url=live_server.url, geolocation=HERE, permissions=["geolocation"]
    )
    context.set_default_timeout(10_000)
    watch = PageWatch(context.new_page(), axe)
    sent = []
    watch.page.on("request", lambda request: sent.append(request.url))
    yield watch, sent
    context.close()


def test_use_my_location_on_the_home_page_sends_only_a_rounded_position(located):
    watch, sent = located
    page = watch.page
    make_center(name="Harbor Test Clinic", phone="(904) 555-0177")
    page.add_init_script(COUNT_LOCATION_REQUESTS)
    page.goto("/")
    assert page.evaluate("window.__asked") == 0  # nothing asked before the tap
    watch.assert_ok()
    page.get_by_role("button", name="Use my location").click()
    page.wait_for_url(re.compile(r"near=30\.29%2C-81\.63"))
    assert (
        page.get_by_role("heading", level=1).inner_text() == "Treatment centers near your location (Jacksonville, FL)"
    )
    assert page.get_by_role("link", name="Call (904) 555-0177").is_visible()
    assert not [url for url in sent if "30.2908" in url or "81.6321" in url], "a finer position left the browser"
    watch.assert_ok()


def test_where_should_we_look_offers_my_location_and_the_live_search_answers(located):
    from playwright.sync_api import expect

    watch, sent = located
    page = watch.page
    make_center(name="Harbor Test Clinic")
    page.set_viewport_size(DESKTOP)
    page.goto("/centers/?treatment=tms")
    assert page.get_by_role("heading", level=1).inner_text() == "Where should we look?"
    page.locator(".ask-place").get_by_role("button", name="Use my location").click()
    # expect() polls from Playwright's side: wait_for_function with a string evaluates it in the
    # page, which the pages' CSP forbids (no 'unsafe-eval') once the first check comes back false.
    expect(page.locator("h1").first).to_contain_text("your location")
    assert page.locator(".center-card h2").all_inner_texts() == ["Harbor Test Clinic"]
    assert re.search(r"near=30\.29%2C-81\.63", page.url)
    assert not [url for url in sent if "30.2908" in url]
    watch.assert_ok()


def test_without_javascript_there_is_no_location_button(browser, live_server):
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        for path in ["/", "/centers/?near=32207"]:
            page.goto(path)
            assert (
                page.get_by_role("button", name="Use my location").count() == 0
                or not page.get_by_role("button", name="Use my location").first.is_visible()
            )
    finally:
        context.close()


def test_a_refused_location_says_so_and_returns_to_the_place_box(page, check_page):
    page.context.clear_permissions()
    page.goto("/")
    page.evaluate(
        """() => { navigator.geolocation.getCurrentPosition = (ok, fail) => fail({code: 1, message: "denied"}); }"""
    )
    page.get_by_role("button", name="Use my location").click()
    assert page.get_by_role("status").filter(has_text="We could not get your location").is_visible()
    assert page.evaluate("document.activeElement.id") == "home-near"
    check_page()
