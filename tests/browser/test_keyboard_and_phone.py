"""Journeys without a mouse: the skip link on a search page, and the back button after the
live search changed the results.
"""

import re

import pytest

from tests.factories import make_center

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def focused(page) -> dict:
    return page.evaluate(
        """() => {
          const element = document.activeElement;
          const style = getComputedStyle(element);
          return {tag: element.tagName, id: element.id, text: element.textContent.trim(),
                  outline: `${style.outlineColor} ${style.outlineStyle} ${style.outlineWidth}`};
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
    page.wait_for_function("document.querySelector('h1').textContent.trim() === 'TMS centers near Jacksonville, FL'")
    assert not page.locator("#search-form input[value=ketamine]").is_checked()
    check_page()
