"""Journeys without a mouse, without JavaScript and on narrow screens: the skip link on a
search page, the back button after the live search changed the results, one focus outline for
links, fields and buttons, the header from 320 px to desktop, the home search box on a phone,
and the filters applied with the submit button alone.
"""

import re

import pytest

from tests.browser.support import PHONE
from tests.factories import make_center

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def focused(page) -> dict:
    return page.evaluate(
        """() => {
          const element = document.activeElement;
          const style = getComputedStyle(element);
          return {tag: element.tagName, id: element.id, text: element.textContent.trim(),
                  outline: `${style.outlineColor} ${style.outlineStyle} ${style.outlineWidth}`,
                  shadow: style.boxShadow};
        }"""
    )


def test_the_skip_link_on_a_search_moves_focus_to_the_results(page, check_page):
    # A fragment link fires popstate, which the live search once answered by reloading the page.
    make_center(name="Harbor Test Clinic", city="Jacksonville", state="FL", zip_code="32207", treatments=("tms",))
    page.goto("/centers/?near=Jacksonville%2C+FL&treatment=tms")
    page.wait_for_load_state("networkidle")

    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to main content"
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)  # a reload, if one came, would have dropped the focus by now
    assert focused(page)["id"] == "main"
    page.keyboard.press("Tab")
    assert focused(page)["text"] != "Skip to main content"
    check_page()


def test_back_after_a_live_filter_change_shows_the_earlier_search_again(page, check_page):
    from playwright.sync_api import expect

    make_center(name="Harbor Test Clinic", city="Jacksonville", state="FL", zip_code="32207", treatments=("tms",))
    make_center(
        name="River Ketamine Clinic", city="Jacksonville", state="FL", zip_code="32207", treatments=("ketamine",)
    )
    page.set_viewport_size({"width": 1280, "height": 900})  # the filters sit open beside the results
    page.goto("/centers/?near=Jacksonville%2C+FL&treatment=tms")
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).inner_text() == "TMS centers near Jacksonville, FL"

    page.locator("#search-form").get_by_text("Ketamine", exact=True).click()
    page.wait_for_url(re.compile(r"treatment=ketamine"))
    assert page.get_by_role("heading", level=1).inner_text() == "TMS or Ketamine centers near Jacksonville, FL"

    page.go_back()
    expect(page.locator("h1").first).to_have_text("TMS centers near Jacksonville, FL")  # polled outside the page's CSP
    assert not page.locator("#search-form input[value=ketamine]").is_checked()
    check_page()


def test_a_corrected_place_clears_the_invalid_mark_without_a_reload(page, check_page):
    from playwright.sync_api import expect

    make_center(name="Harbor Test Clinic", city="Jacksonville", state="FL", zip_code="32207", treatments=("tms",))
    page.set_viewport_size({"width": 1280, "height": 900})  # the filters sit open beside the results
    page.goto("/centers/?near=Xyzzy%2C+FL")  # no city of Florida is spelled like it
    page.wait_for_load_state("networkidle")
    near = page.locator("#search-near")
    assert near.get_attribute("aria-invalid") == "true" and "is-invalid" in near.get_attribute("class")

    near.fill("Jacksonville, FL")
    page.locator(".search-submit .btn").click()  # "Show N centers"
    page.wait_for_url(re.compile(r"near=Jacksonville"))
    expect(page.locator("h1").first).to_contain_text("near Jacksonville, FL")  # polled outside the page's CSP
    assert near.get_attribute("aria-invalid") is None and "is-invalid" not in near.get_attribute("class")

    near.fill("Nowhereville, ZZ")  # and marked again when the new place cannot be used
    page.locator(".search-submit .btn").click()  # "Show N centers"
    page.wait_for_url(re.compile(r"near=Nowhereville"))
    expect(near).to_have_attribute("aria-invalid", "true")
    check_page()


@pytest.mark.parametrize("width", [320, 375, 800])
def test_the_menu_button_sits_beside_the_site_name_while_the_menu_is_collapsed(page, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/")
    brand = page.locator(".site-brand").bounding_box()
    toggler = page.locator("summary", has_text="Show menu").bounding_box()  # the menu's <details>
    assert toggler["y"] < brand["y"] + brand["height"], "the menu button wrapped below the site name"
    assert toggler["x"] + toggler["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [992, 1100, 1280, 1400])
@pytest.mark.parametrize(
    ("prefix", "guide", "find"), [("", "Guide", "Find a center"), ("/es", "Guía", "Buscar un centro")]
)
def test_the_open_menu_keeps_each_link_on_one_line_and_the_header_within_the_page(page, width, prefix, guide, find):
    # From 992 to about 1250 px the one-row header once ran past the page's edge (in Spanish up
    # to 1400): the site name now takes two or three lines there instead.
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{prefix}/")
    menu = page.get_by_role("navigation", name="Main" if not prefix else "Principal")
    one_line = menu.get_by_role("link", name=guide, exact=True).bounding_box()["height"]
    assert menu.get_by_role("link", name=find).bounding_box()["height"] == one_line
    assert page.locator(".site-brand").bounding_box()["height"] < 4 * one_line
    switcher = page.locator(".language-switcher").bounding_box()
    container = page.locator(".site-header .container").bounding_box()
    assert switcher["x"] + switcher["width"] <= container["x"] + container["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if width >= 1400:
        assert page.locator(".site-brand").bounding_box()["height"] < 2 * one_line  # room for one line


INK_RING = "rgb(31, 42, 51) solid 3px"  # --tc-ink: 13.8:1 on the page's light backgrounds
AMBER_INNER = "rgb(240, 165, 0) 0px 0px 0px 2px"


def settled_ring(page) -> tuple[str, str]:
    page.wait_for_timeout(300)  # Bootstrap animates box-shadow on fields and buttons (0.15 s)
    element = focused(page)
    return element["outline"], element["shadow"]


def test_fields_and_buttons_show_the_same_focus_outline_as_links(page):
    page.goto("/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the skip link: the next Tab reaches the search form
    outlines = {}
    for _ in range(3):  # the place box, the treatment menu, "Find centers"
        page.keyboard.press("Tab")
        element = focused(page)
        outlines[f"{element['tag']} {element['id'] or element['text']}"] = settled_ring(page)
    assert list(outlines) == ["INPUT home-near", "SELECT home-treatment", "BUTTON Find centers"]
    page.get_by_role("link", name="Depression Treatment Finder").focus()
    page.keyboard.press("Tab")
    outlines["menu button"] = settled_ring(page)
    page.get_by_role("link", name="Depression Treatment Finder").focus()  # a link, by keyboard
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    outlines["site name link"] = settled_ring(page)
    assert set(outlines.values()) == {(INK_RING, AMBER_INNER)}, outlines


def test_the_focus_ring_on_the_dark_crisis_strip_is_amber(page):
    """Ink on the strip's navy would vanish; amber there is 6.5:1."""
    page.goto("/")
    page.keyboard.press("Tab")  # the skip link
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("() => !!document.activeElement.closest('.crisis-strip')"):
            break
    else:
        pytest.fail("no link of the crisis strip took the focus")
    outline, shadow = settled_ring(page)
    assert outline == "rgb(240, 165, 0) solid 3px" and shadow == "rgb(255, 255, 255) 0px 0px 0px 2px"


def test_without_javascript_the_filters_apply_with_the_button_and_chips_remove_them(browser, live_server):
    make_center(name="Harbor Test Clinic", city="Jacksonville", state="FL", zip_code="32207", treatments=("tms",))
    make_center(
        name="River Ketamine Clinic", city="Jacksonville", state="FL", zip_code="32207", treatments=("ketamine",)
    )
    make_center(
        name="Desert Mood Center",
        city="Phoenix",
        state="AZ",
        zip_code="85004",
        latitude=33.45,
        longitude=-112.07,
        treatments=("tms",),
    )
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto("/")
        page.get_by_label("City and state, or ZIP code").fill("Jacksonville, FL")
        page.get_by_label("Treatment", exact=True).select_option("tms")
        page.get_by_role("button", name="Find centers").click()
        page.wait_for_url(re.compile(r"/centers/\?near=Jacksonville%2C\+FL&treatment=tms$"))
        assert page.locator(".center-card h2").all_inner_texts() == ["Harbor Test Clinic"]

        page.get_by_text("Change search and filters").click()
        page.locator("#search-form").get_by_text("Ketamine", exact=True).click()
        page.get_by_role("button", name="Show centers").click()
        page.wait_for_url(re.compile(r"treatment=ketamine"))
        assert page.get_by_role("heading", level=1).inner_text() == "TMS or Ketamine centers near Jacksonville, FL"
        assert sorted(page.locator(".center-card h2").all_inner_texts()) == [
            "Harbor Test Clinic",
            "River Ketamine Clinic",
        ]

        page.get_by_role("link", name="TMS (remove this filter)").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", level=1).inner_text() == "Ketamine centers near Jacksonville, FL"
        assert page.locator(".center-card h2").all_inner_texts() == ["River Ketamine Clinic"]
    finally:
        context.close()


@pytest.mark.parametrize("width", [320, 375])
@pytest.mark.parametrize(("path", "box"), [("/", "#home-near"), ("/centers/?treatment=tms", "#ask-near")])
def test_the_place_box_shows_its_whole_example_on_a_phone(page, width, path, box):
    # The home form, and "Where should we look?" after a search with no place.
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(path)
    room, needed = page.locator(box).evaluate(
        """(input) => {
          const style = getComputedStyle(input);
          const context = document.createElement("canvas").getContext("2d");
          context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
          const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
          return [room, context.measureText(input.placeholder).width];
        }"""
    )
    assert needed <= room, f"the placeholder needs {needed:.0f} px and has {room:.0f} px"


@pytest.mark.parametrize("width", [320, 375, 1280])
@pytest.mark.parametrize("language", ["", "/es"])
def test_the_sort_menu_shows_its_whole_choice_in_the_filter_panel(page, width, language):
    # At 1280 px the panel is a third of the page: "Accepting new patients first, then nearest"
    # was cut after "then" (in Spanish after "pacientes").
    make_center(name="Harbor Test Clinic")
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{language}/centers/?near=32207")
    page.locator("#search-panel").evaluate("(panel) => { panel.open = true; }")
    room, needed = page.locator("#search-sort").evaluate(
        """(select) => {
          const style = getComputedStyle(select);
          const context = document.createElement("canvas").getContext("2d");
          context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
          const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
          return [room, context.measureText(select.selectedOptions[0].text).width];
        }"""
    )
    assert needed <= room, f"the chosen order needs {needed:.0f} px and has {room:.0f} px"


@pytest.mark.parametrize("width", [320, 375])
def test_a_call_button_with_a_long_extension_stays_inside_its_box_on_a_phone(page, width):
    # The 2022 directory has intake lines like "(205) 428-3495 ext. 7931": the page's rule that
    # keeps a number on one line also held the call button's text, which ran out of the button.
    center = make_center(name="Extension Clinic", phone="(205) 428-3495 ext. 7931")
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"/centers/{center.slug}/")
    button = page.locator(".contact-box .btn-call").first
    assert "7931" in button.inner_text()
    scroll, room = button.evaluate("(a) => [a.scrollWidth, a.clientWidth]")
    assert scroll <= room
    assert page.evaluate("document.documentElement.scrollWidth") <= width
