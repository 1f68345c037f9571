"""Patient journeys, round 2 (issue 13), in a real browser at 375 px (and axe at 1280 px
through check_page): a place we cannot read or no place at all never yields a national
list, and the first call reaches a center that is accepting new patients or says it is not.
"""

import re

import pytest

from directory import geo
from tests.directory.conftest import JAX, point_at
from tests.factories import make_center

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def places_indexed():
    """The offline ZIP and city index, built before a page needs it (seconds on a busy machine)."""
    geo.warm_up()


def search_from_home(page, place: str, treatment: str = "") -> None:
    page.goto("/")
    page.get_by_label("City and state, or ZIP code").fill(place)
    if treatment:
        page.get_by_label("Treatment", exact=True).select_option(treatment)
    page.get_by_role("button", name="Find centers").click()
    page.wait_for_load_state()


def on_first_screen(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] + box["height"] <= page.viewport_size["height"]


def test_a_misspelled_city_is_searched_as_the_city_it_clearly_means_and_says_so(page, check_page):
    make_center(name="Harbor Test Clinic", phone="(904) 555-0177", accepting_new_patients="yes")
    make_center(name="Desert Mood Center", city="Phoenix", state="AZ", zip_code="85004", latitude=33.45,
                longitude=-112.07)  # fmt: skip
    search_from_home(page, "Jaksonville, FL", "tms")
    assert page.get_by_role("heading", level=1).inner_text() == "TMS centers near Jacksonville, FL"
    note = page.get_by_text("Showing Jacksonville, FL.")
    assert on_first_screen(page, note)
    assert page.locator(".center-card h2").all_inner_texts() == ["Harbor Test Clinic"]
    call = page.get_by_role("link", name="Call (904) 555-0177")
    assert call.get_attribute("href") == "tel:+19045550177"  # tap 2
    check_page()

    page.get_by_role("link", name="Not what you meant?").click()
    page.wait_for_url("**/centers/?treatment=tms")
    assert page.get_by_role("heading", level=1).inner_text() == "Where should we look?"
    check_page()


def test_a_city_in_several_states_offers_them_as_large_buttons_first(page, check_page):
    make_center(name="Prairie Test Clinic", city="Springfield", state="IL", zip_code="62701", latitude=39.80,
                longitude=-89.65)  # fmt: skip
    search_from_home(page, "Springfield")
    assert page.get_by_role("heading", level=1).inner_text() == "Which place did you mean?"
    assert page.locator(".center-card").count() == 0
    choice = page.get_by_role("link", name="Springfield, IL")
    assert on_first_screen(page, choice)
    assert choice.bounding_box()["height"] >= 44  # a large target
    check_page()
    choice.click()
    page.wait_for_url(re.compile(r"near=Springfield%2C\+IL"))
    assert page.locator(".center-card h2").all_inner_texts() == ["Prairie Test Clinic"]
    check_page()


def test_an_empty_place_from_the_home_form_asks_where_to_look_with_the_field_focused(page, check_page):
    make_center(name="Harbor Test Clinic")
    search_from_home(page, "", "tms")
    assert page.get_by_role("heading", level=1).inner_text() == "Where should we look?"
    assert page.get_by_text("Searching for: TMS centers").is_visible()
    assert page.evaluate("document.activeElement.id") == "ask-near"
    assert page.locator(".center-card").count() == 0
    check_page()
    page.keyboard.type("Jacksonville, FL")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"treatment=tms&near=Jacksonville"))
    assert page.locator(".center-card h2").all_inner_texts() == ["Harbor Test Clinic"]


# Where a button's first text ends and its number (a span) begins: on one line, the space between.
WORDS_APART = """(button) => {
  const range = document.createRange();
  range.selectNodeContents(button.firstChild);
  const label = range.getBoundingClientRect();
  const number = button.querySelector("span").getBoundingClientRect();
  return {sameLine: Math.abs(label.top - number.top) < 4, gap: number.left - label.right};
}"""


def test_the_first_call_reaches_an_accepting_center_and_a_full_one_offers_a_waitlist_call(page, check_page):
    for name, miles, accepting in [("Full Clinic", 1, "no"), ("Maybe Clinic", 2, "unknown"), ("Open Clinic", 3, "yes")]:
        lat, lng = point_at(*JAX, miles=miles, bearing=90)
        make_center(name=name, latitude=lat, longitude=lng, accepting_new_patients=accepting)
    search_from_home(page, "32207", "tms")
    assert page.locator(".center-card h2").all_inner_texts() == ["Open Clinic", "Maybe Clinic", "Full Clinic"]
    assert page.get_by_text("sorted by accepting new patients first, then nearest").is_visible()
    first_call = page.locator(".center-card").first.locator(".btn-call")
    assert first_call.inner_text().startswith("Call (904)") and "btn-primary" in first_call.get_attribute("class")
    full_call = page.locator(".center-card").nth(2).locator(".btn-call")
    assert full_call.inner_text().startswith("Call about a waitlist")
    assert "btn-outline-primary" in full_call.get_attribute("class")
    for width in (375, 1280):  # its label and number read apart ("waitlist(904) ..." ran together)
        page.set_viewport_size({"width": width, "height": 800})
        apart = full_call.evaluate(WORDS_APART)
        assert not apart["sameLine"] or apart["gap"] >= 3, (width, apart)
    page.set_viewport_size({"width": 375, "height": 800})
    check_page()

    page.get_by_role("link", name="Full Clinic").click()
    page.wait_for_load_state()
    alternatives = page.get_by_role("region", name="Nearest centers accepting new patients for the same treatments")
    assert alternatives.get_by_role("link", name="Open Clinic").is_visible()
    check_page()

    page.go_back()
    page.get_by_role("link", name="sort by distance only").click()
    page.wait_for_url(re.compile(r"sort=distance"))
    assert page.locator(".center-card h2").all_inner_texts() == ["Full Clinic", "Maybe Clinic", "Open Clinic"]


# Every field, select, radio and checkbox a page shows, with its border's contrast against
# what is behind it (the nearest ancestor with a background). axe does not check this
# (WCAG 1.4.11, non-text contrast: 3:1).
CONTROL_CONTRAST = """() => {
  const rgb = (text) => text.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => {
    const channel = (value) => {
      value /= 255;
      return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const behind = (element) => {
    for (let node = element.parentElement; node; node = node.parentElement) {
      const color = getComputedStyle(node).backgroundColor;
      if (rgb(color).length < 4 || rgb(color)[3] > 0) return rgb(color);
    }
    return [255, 255, 255];
  };
  const controls = document.querySelectorAll(
    "input.form-control, select.form-select, textarea.form-control, input.form-check-input");
  return Array.from(controls).filter((control) => control.offsetParent !== null).map((control) => {
    const border = luminance(rgb(getComputedStyle(control).borderTopColor));
    const back = luminance(behind(control));
    const ratio = (Math.max(border, back) + 0.05) / (Math.min(border, back) + 0.05);
    return {name: control.name || control.id, type: control.type, ratio: Math.round(ratio * 100) / 100};
  });
}"""


def test_every_form_control_border_has_3_to_1_contrast_including_the_consent_box(page):
    center = make_center(name="Harbor Test Clinic")
    page.set_viewport_size({"width": 1280, "height": 900})  # the filters sit open beside the results
    seen = []
    for path in ["/", "/centers/?near=32207", center.get_absolute_url() + "ask/", "/self-check/"]:
        page.goto(path)
        page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
        controls = page.evaluate(CONTROL_CONTRAST)
        assert controls, f"no form control measured on {path}"
        low = [control for control in controls if control["ratio"] < 3]
        assert not low, f"{path}: borders under 3:1: {low}"
        seen += [control["name"] for control in controls]
    assert "consent" in seen and "accepting" in seen and "near" in seen


def test_checked_boxes_use_the_brand_teal_not_bootstrap_blue(page):
    make_center()
    page.goto("/centers/?near=32207&accepting=1")
    page.evaluate("document.getElementById('search-panel').open = true")
    colour = page.locator("#search-accepting").evaluate("(box) => getComputedStyle(box).backgroundColor")
    assert colour == "rgb(11, 93, 102)"


def test_an_empty_search_offers_only_relaxations_that_find_centers_and_a_real_phone_number(page, check_page):
    make_center(name="Seattle TMS", city="Seattle", state="WA", zip_code="98101", latitude=47.61,
                longitude=-122.33, treatments=("tms",), phone="(206) 555-0100")  # fmt: skip
    page.goto("/centers/?near=99801&treatment=tms&treatment=vns")  # Juneau, AK
    assert page.get_by_text("No centers match this search").is_visible()
    assert page.get_by_role("link", name="Remove “VNS”").count() == 0
    page.get_by_role("link", name="Seattle TMS").click()  # tap 1
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Call (206) 555-0100").is_visible()  # tap 2
    check_page()


def test_skip_to_results_then_tab_reaches_the_first_call_button_at_once(page, check_page):
    make_center(name="Harbor Test Clinic", phone="(904) 555-0177")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/centers/?near=32207")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to results"
    page.keyboard.press("Enter")
    page.wait_for_timeout(200)
    assert page.evaluate("document.activeElement.id") == "search-results"
    presses = 0
    while not page.evaluate("document.activeElement.textContent").startswith("Call ") and presses < 6:
        page.keyboard.press("Tab")
        presses += 1
    # The place chip, the center's name, then its call: a few presses, not thirty.
    assert page.evaluate("document.activeElement.textContent") == "Call (904) 555-0177" and presses <= 3
    check_page()


def test_main_navigation_links_show_the_site_focus_ring(page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    page.locator(".navbar .nav-link").first.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # keyboard focus, so :focus-visible applies
    style = page.evaluate("getComputedStyle(document.activeElement).outlineStyle + ' ' + "
                          "getComputedStyle(document.activeElement).outlineWidth")  # fmt: skip
    assert page.evaluate("document.activeElement.classList.contains('nav-link')")
    assert style == "solid 3px"
