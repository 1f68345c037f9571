"""Patient journeys, round 2 (issue 13, items 7 to 9), in a real browser at 375 and 1280 px:
filtering on a phone with a "Show N centers" button in reach, the keyboard after a live
update, and the phone menu without JavaScript. check_page runs axe at both widths.
"""

import re

import pytest

from directory import geo
from tests.browser.support import DESKTOP, PHONE
from tests.factories import make_center

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def places_indexed():
    """The offline ZIP and city index, built before a page needs it (seconds on a busy machine)."""
    geo.warm_up()


def two_clinics():
    make_center(name="Harbor TMS Clinic", treatments=("tms",))
    make_center(name="River Ketamine Clinic", treatments=("ketamine",))


def in_view(page, selector: str) -> bool:
    return page.evaluate(
        """(selector) => {
          const box = document.querySelector(selector).getBoundingClientRect();
          return box.top >= 0 && box.bottom <= window.innerHeight;
        }""",
        selector,
    )


def test_on_a_phone_show_n_centers_stays_in_reach_then_closes_the_filters_and_moves_to_the_results(page, check_page):
    from playwright.sync_api import expect

    two_clinics()
    page.goto("/centers/?near=Jacksonville%2C+FL")
    page.wait_for_load_state("networkidle")
    show = page.locator(".search-submit .btn")
    assert show.text_content() == "Show 2 centers"  # inside the folded panel

    page.get_by_text("Change search and filters").click()
    # Sort and payment sit at the top level of the panel; the long language list stays folded.
    assert page.get_by_label("Sort by").is_visible()
    assert page.locator("#search-form").get_by_text("Medicare", exact=True).is_visible()
    assert not page.locator("#search-form").get_by_text("Arabic", exact=True).is_visible()
    assert "Default" not in page.get_by_label("Sort by").inner_text()

    page.locator("#search-form").get_by_text("Ketamine", exact=True).click()
    page.wait_for_url(re.compile(r"treatment=ketamine"))
    expect(page.locator(".search-submit .btn")).to_have_text("Show 1 center")
    assert page.locator("#results-status").inner_text() == "1 center within 25 miles"
    # The button rides at the bottom of the screen while the panel's long form scrolls under it.
    page.get_by_label("Sort by").scroll_into_view_if_needed()
    page.get_by_text("Change search and filters").scroll_into_view_if_needed()
    assert in_view(page, ".search-submit .btn")
    check_page()

    show.click()
    expect(page.locator("#results-heading")).to_be_focused()
    assert not page.locator("#search-panel").evaluate("(panel) => panel.open")
    assert in_view(page, "#results-heading")
    assert page.locator(".center-card h2").all_inner_texts() == ["River Ketamine Clinic"]
    check_page()


def test_without_javascript_show_centers_submits_and_the_results_come_first(browser, live_server):
    two_clinics()
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto("/centers/?near=Jacksonville%2C+FL")
        page.get_by_text("Change search and filters").click()
        page.locator("#search-form").get_by_text("Ketamine", exact=True).click()
        page.get_by_role("button", name="Show centers").click()
        page.wait_for_url(re.compile(r"treatment=ketamine"))
        assert not page.locator("#search-panel").evaluate("(panel) => panel.open")
        assert page.locator(".center-card h2").all_inner_texts() == ["River Ketamine Clinic"]
    finally:
        context.close()


def test_a_live_filter_change_announces_the_count_and_leaves_focus_on_the_box(page, check_page):
    from playwright.sync_api import expect

    two_clinics()
    page.set_viewport_size(DESKTOP)
    page.goto("/centers/?near=Jacksonville%2C+FL&treatment=tms")
    page.wait_for_load_state("networkidle")
    page.locator("#search-treatment-ketamine").focus()
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"treatment=ketamine"))
    expect(page.locator("#results-status")).to_have_text("2 centers within 25 miles")
    assert page.locator("#results-status").get_attribute("role") == "status"
    assert page.evaluate("document.activeElement.id") == "search-treatment-ketamine"  # to tick another

    page.get_by_label("City and state, or ZIP code").fill("32207")
    page.keyboard.press("Enter")  # a submitted search: focus goes to what it found
    page.wait_for_url(re.compile(r"near=32207"))
    expect(page.locator("#results-heading")).to_be_focused()
    assert page.locator("#results-heading").inner_text() == "TMS or Ketamine centers near 32207 (Jacksonville, FL)"
    check_page()


def test_without_javascript_the_phone_menu_opens_and_reaches_the_self_check(browser, live_server):
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto("/")
        menu = page.get_by_role("navigation", name="Main")
        assert not menu.get_by_role("link", name="Self-check").is_visible()
        page.locator("summary", has_text="Show menu").click()
        menu.get_by_role("link", name="Self-check").click()
        page.wait_for_url("**/self-check/")
        assert page.get_by_role("heading", level=1).inner_text() == "Depression self-check (PHQ-9)"
    finally:
        context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_on_a_wide_screen_the_menu_shows_its_links_without_a_button(browser, live_server, javascript):
    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url, java_script_enabled=javascript)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto("/")
        menu = page.get_by_role("navigation", name="Main")
        assert menu.get_by_role("link", name="Self-check").is_visible()
        assert not page.locator("summary", has_text="Show menu").is_visible()
        footer = page.get_by_role("navigation", name="Footer")
        assert footer.get_by_role("link", name="Self-check").get_attribute("href") == "/self-check/"
    finally:
        context.close()


def test_the_phone_menu_opens_with_the_keyboard_and_passes_axe(page, check_page):
    page.goto("/")
    page.locator("summary", has_text="Show menu").focus()
    page.keyboard.press("Enter")
    menu = page.get_by_role("navigation", name="Main")
    assert menu.get_by_role("link", name="Find a center").is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Find a center"
    check_page()
