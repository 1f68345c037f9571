"""Issue 13, item 11, in a real browser: a person keeps up to 5 centers while comparing. The
list stays in the browser (localStorage; tapping sends nothing to our server), its page prints
on one sheet with the phones and the questions to ask, and its address shares it. Without
JavaScript the buttons are absent. check_page runs axe at 375 and 1280 px."""

import re

import pytest

from directory import geo
from tests.browser.support import PHONE
from tests.factories import make_article, make_center

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

QUESTIONS = [
    {"heading": f"Group {group}", "items": [f"Question {group}.{item} to ask the center?" for item in range(6)]}
    for group in range(6)
]


@pytest.fixture(autouse=True)
def places_indexed():
    geo.warm_up()


def test_keep_two_centers_open_the_shortlist_and_print_it_on_one_page(page, check_page):
    for n in range(6):
        make_center(name=f"Clinic {n}", phone=f"(904) 555-01{n:02d}")
    make_article(title="Questions to ask a provider", slug="questions-to-ask-a-provider", checklist=QUESTIONS)
    page.goto("/centers/?near=32207")
    page.wait_for_load_state("networkidle")
    slugs = page.evaluate(
        "Array.from(document.querySelectorAll('.center-card [data-shortlist-slug]'), (b) => b.dataset.shortlistSlug)"
    )
    sent = []
    page.on("request", lambda request: sent.append(request.url))
    keep = page.get_by_role("button", name="Keep on my shortlist")
    keep.nth(0).click()
    keep.nth(1).click()
    assert keep.nth(0).get_attribute("aria-pressed") == "true"
    assert sent == [], "keeping a center told the server"
    kept = page.evaluate("JSON.parse(localStorage.getItem('shortlist'))")
    assert len(kept) == 2
    check_page()

    for n in range(2, 6):
        keep.nth(n).click()
    assert page.get_by_role("status").filter(has_text="Your shortlist already holds 5 centers").is_visible()
    assert keep.nth(5).get_attribute("aria-pressed") == "false"
    keep.nth(4).click()  # take one off again

    page.get_by_role("link", name="My shortlist (4)").click()
    page.wait_for_url(re.compile(r"/shortlist/\?centers="))
    assert page.locator(".shortlist-center h2").count() == 4
    assert page.get_by_role("link", name="(904) 555-0100").get_attribute("href") == "tel:+19045550100"
    assert page.get_by_role("heading", name="Questions to ask when you call").is_visible()
    check_page()

    shared = page.url  # the address is the share link: a fresh browser sees the same list
    page.context.clear_cookies()
    page.evaluate("localStorage.clear()")
    page.goto(shared)
    assert page.locator(".shortlist-center h2").count() == 4
    keep.nth(0).click()  # and may keep them on its own list
    assert page.evaluate("JSON.parse(localStorage.getItem('shortlist')).length") == 1

    page.goto(shared.split("?")[0] + "?centers=" + ",".join(slugs[:5]))
    assert page.locator(".shortlist-center h2").count() == 5
    page.emulate_media(media="print")
    pdf = page.pdf(format="Letter")
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 1, "the sheet takes more than one page"


def test_without_javascript_there_is_no_keep_button(browser, live_server):
    center = make_center(name="Harbor Test Clinic")
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        for path in ["/centers/?near=32207", center.get_absolute_url(), f"/shortlist/?centers={center.slug}"]:
            page.goto(path)
            assert not page.get_by_role("button", name="Keep on my shortlist").first.is_visible()
            assert not page.get_by_role("link", name=re.compile("My shortlist")).first.is_visible()
    finally:
        context.close()
