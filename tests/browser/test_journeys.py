"""The main journeys in a real browser, with the production CSP on and an axe-core scan
(WCAG 2.2 AA) of every page they visit, at 375 px and 1280 px.
"""

import re
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import OperationalError

from articles.models import Article
from directory.models import Center, Inquiry
from tests.factories import make_center

# A live server needs committed rows; serialized rollback restores the seeded treatments.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def expect_crisis_help_above_the_fold(page) -> None:
    box = page.locator(".crisis-strip a[href='tel:988']").first.bounding_box()
    assert box is not None and box["y"] + box["height"] <= page.viewport_size["height"]


def test_a_person_on_a_phone_searches_jacksonville_for_tms_and_opens_a_center(page, check_page):
    make_center(name="Harbor Test Clinic", city="Jacksonville", state="FL", zip_code="32207", treatments=("tms",))
    make_center(name="Desert Mood Center", city="Phoenix", state="AZ", zip_code="85004", treatments=("ect",))

    page.goto("/")
    expect_crisis_help_above_the_fold(page)
    check_page()

    page.get_by_label("City and state, or ZIP code").fill("Jacksonville, FL")
    page.get_by_label("Treatment", exact=True).select_option("tms")
    page.get_by_role("button", name="Find centers").click()
    page.wait_for_url(re.compile(r"/centers/\?near=Jacksonville%2C\+FL&treatment=tms"))
    expect_crisis_help_above_the_fold(page)
    check_page()

    page.get_by_role("link", name="Harbor Test Clinic").click()
    page.wait_for_url("**/centers/harbor-test-clinic-*/")
    assert page.get_by_role("heading", level=1).inner_text() == "Harbor Test Clinic"
    assert page.locator("main a[href^='tel:']").count() >= 1
    check_page()


def test_a_person_on_a_phone_sends_a_center_a_question(page, check_page, settings):
    settings.FORM_MIN_SECONDS = 0  # a browser driven by a script fills the form in well under 3 s
    cache.clear()  # no rate-limit count left by earlier tests for 127.0.0.1
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    center = make_center(name="Harbor Test Clinic")

    page.goto(center.get_absolute_url())
    check_page()
    page.get_by_role("link", name="Ask Harbor Test Clinic a question").click()
    page.wait_for_url(f"**{center.get_absolute_url()}ask/")
    check_page()
    form = page.locator("#inquiry-form")
    form.get_by_label("Your name").fill("Sam")
    form.get_by_role("textbox", name="E-mail").fill("sam@example.net")
    form.get_by_role("radio", name="E-mail").check()
    form.get_by_label("Your question").fill("Do you take Florida Blue for TMS?")
    form.locator("input[name=consent]").check()
    form.get_by_role("button", name="Send my question").click()
    page.wait_for_url(f"**{center.get_absolute_url()}ask/sent/")
    assert page.get_by_role("heading", name="Your question was sent").is_visible()
    expect_crisis_help_above_the_fold(page)
    check_page()

    inquiry = Inquiry.objects.get()
    assert (inquiry.center, inquiry.name, inquiry.message) == (center, "Sam", "Do you take Florida Blue for TMS?")


def test_a_reader_reads_a_guide_article_and_follows_it_to_centers(page, check_page):
    call_command("load_guide", verbosity=0)
    make_center(name="Harbor Test Clinic", treatments=("tms",))
    article = Article.objects.published().get(slug="tms-therapy")

    page.goto("/guide/")
    check_page()

    page.get_by_role("link", name=article.title).first.click()
    page.wait_for_url(f"**{article.get_absolute_url()}")
    assert page.get_by_role("heading", level=1).inner_text() == article.title
    check_page()

    page.get_by_role("link", name="Find centers offering TMS").first.click()
    page.wait_for_url("**/centers/?treatment=tms")
    # No place yet: the page asks where to look, the field focused, and lists nothing.
    assert page.get_by_role("heading", level=1).inner_text() == "Where should we look?"
    assert page.evaluate("document.activeElement.id") == "ask-near"
    assert page.locator(".center-card").count() == 0
    check_page()
    page.keyboard.type("32207")
    page.keyboard.press("Enter")
    page.wait_for_url("**/centers/?treatment=tms&near=32207")
    assert page.get_by_role("link", name="Harbor Test Clinic").is_visible()
    check_page()

    # On a phone the menu is folded in a <details>: its summary opens it.
    page.locator("summary", has_text="Show menu").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Guide", exact=True).click()
    page.wait_for_url("**/guide/")


def test_a_family_member_goes_from_a_treatment_page_to_the_guide_and_the_supporting_article(page, check_page):
    call_command("load_guide", verbosity=0)
    medication = Article.objects.get(slug="medication-options-when-antidepressants-havent-worked")
    supporting = Article.objects.get(slug="supporting-someone-with-depression")

    page.goto("/treatments/medication-management/")
    check_page()

    page.get_by_role("link", name=f"Read our guide: {medication.title}").click()
    page.wait_for_url(f"**{medication.get_absolute_url()}")
    check_page()

    page.get_by_role("link", name="supporting someone with depression").first.click()
    page.wait_for_url(f"**{supporting.get_absolute_url()}")
    assert page.get_by_role("heading", name="Making a safety plan together", exact=True).is_visible()
    check_page()


def test_the_self_check_with_thoughts_of_self_harm_shows_988_before_the_score(page, check_page):
    page.goto("/self-check/")
    check_page()

    items = page.locator("ol.selfcheck-items fieldset")
    assert items.count() == 9
    for index in range(8):
        items.nth(index).get_by_label("Not at all", exact=True).check()
    items.nth(8).get_by_label("Several days", exact=True).check()
    page.get_by_role("button", name="See my score").click()
    page.wait_for_load_state()

    crisis = page.get_by_role("heading", name="Please reach out for support now")
    assert page.locator("main h1").first.inner_text() == "Please reach out for support now"
    call_988 = page.get_by_role("link", name="Call 988")
    score = page.locator(".score-card")
    assert crisis.bounding_box()["y"] < score.bounding_box()["y"]
    box = call_988.bounding_box()
    assert box["y"] + box["height"] <= page.viewport_size["height"], "Call 988 is on the first screen of a phone"
    assert page.locator(".score-number").inner_text() == "1"
    check_page()


def test_a_staff_member_logs_in_to_the_admin_and_edits_a_center(page, check_page, django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example.org", "a-long-test-password")
    center = make_center(name="Harbor Test Clinic", phone="(904) 555-0100")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/admin/")
    page.wait_for_url("**/admin/login/?next=/admin/")
    check_page()
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    check_page()

    page.goto("/admin/directory/center/")
    page.get_by_role("link", name="Harbor Test Clinic").click()
    page.wait_for_url(f"**/admin/directory/center/{center.pk}/change/")
    check_page()
    page.locator("#id_phone").fill("(904) 555-0199")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/directory/center/")
    assert "was changed successfully" in page.locator(".messagelist").inner_text()
    check_page()
    center.refresh_from_db()
    assert center.phone == "(904) 555-0199"
    assert Center.objects.count() == 1


def test_the_checks_catch_csp_violations_console_errors_and_accessibility_problems(page, page_watch):
    """The page checks above can fail: an inline script, a script error and an unlabelled image are caught."""
    page.goto("/privacy/")
    assert page_watch.problems() == []
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.inlineRan = true";
          document.body.append(script);
          const image = document.createElement("img");
          image.src = "/static/vendor/leaflet/images/marker-icon.png";
          document.querySelector("main").append(image);
          setTimeout(() => { throw new Error("boom"); });
        }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.inlineRan") is None, "the CSP blocked the inline script"
    problems = "\n".join(page_watch.problems())
    assert "CSP: script-src-elem blocked inline" in problems
    assert "console: uncaught: boom" in problems or "console: uncaught: Error: boom" in problems
    assert "axe at 375 px: image-alt" in problems and "axe at 1280 px: image-alt" in problems


def test_the_outage_page_is_accessible_and_leads_with_crisis_help(page, page_watch, client):
    # The 503 page as the site renders it while the database is away (patched here, in this
    # thread only), handed to the browser at the site's own address with its own headers.
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")):
        outage = client.get("/centers/?near=32207")
    assert outage.status_code == 503 and "Content-Security-Policy" in outage
    page.route(
        "**/centers/?near=32207",
        lambda route: route.fulfill(status=503, headers=dict(outage.items()), body=outage.content),
    )
    response = page.goto("/centers/?near=32207")
    assert response.status == 503
    expect_crisis_help_above_the_fold(page)
    assert page.get_by_role("heading", level=1).inner_text() == "The directory is briefly unavailable"
    # The browser reports the document's own 503 status as a console error; nothing else may appear.
    problems = [p for p in page_watch.problems() if "status of 503" not in p]
    assert problems == []
