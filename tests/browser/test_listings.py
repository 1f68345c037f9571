"""Centers keeping their own listings, in a real browser at 375 px with axe checks on every
page: a TMS clinic lists itself, an editor approves it and a patient finds it; an imported
facility is claimed by e-mail link and confirms that it is accepting new patients."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from directory.listings.services import submission_approve
from directory.models import ListingSubmission
from tests.directory.outreach_helpers import WORKING_MAILERS
from tests.factories import make_center

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def quick_forms(settings):
    settings.FORM_MIN_SECONDS = 0
    settings.MAILERS = WORKING_MAILERS


def test_a_tms_clinic_lists_itself_and_a_patient_finds_it_after_approval(page, check_page, live_server, settings,
                                                                           django_user_model):  # fmt: skip
    settings.SITE_URL = live_server.url
    page.goto("/")
    page.get_by_role("link", name="List your center").click()
    page.wait_for_url("**/list-your-center/")
    check_page()

    page.get_by_label("Center name").fill("Cedar Point TMS")
    page.get_by_label("Website").fill("https://cedarpointtms.example")
    page.get_by_label("Main phone").fill("904-555-0133")
    page.locator("#id_location_1_street1").fill("77 Riverside Avenue")
    page.locator("#id_location_1_city").fill("Jacksonville")
    page.locator("#id_location_1_state").select_option("FL")
    page.locator("#id_location_1_zip").fill("32207")
    page.locator("#id_offers_tms").check()
    page.locator("#id_detail_tms").select_option("theta_burst")
    page.locator("#id_price_tms").fill("275")
    page.locator("#id_price_unit_tms").fill("per session")
    page.locator("#id_offers_esketamine").check()
    page.locator("#id_detail_esketamine").select_option("yes")
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("Your name").fill("Dana Ruelle")
    page.get_by_label("Your role at the center").fill("Clinic director")
    page.get_by_label("Your work e-mail").fill("dana@cedarpointtms.example")
    page.get_by_label(re.compile("I work for this center")).check()
    page.get_by_role("button", name="Send for review").click(no_wait_after=True)
    page.wait_for_url("**/list-your-center/sent/", timeout=60_000)
    assert "Nothing is public yet" in page.content()
    check_page()

    editor = django_user_model.objects.create_user("lena", "lena@example.org", "a-long-test-password", is_staff=True)
    submission_approve(submission=ListingSubmission.objects.get(), user=editor, method="phone")

    page.goto("/centers/?near=32207&treatment=tms")
    page.get_by_role("link", name="Cedar Point TMS").first.click()
    text = page.locator("main").inner_text()
    assert "Theta-burst" in text and "REMS-certified for Spravato" in text and "Self-pay $275 per session" in text
    assert "Accepting new patients" in text and "reported by the center on" in text
    check_page()


def test_an_imported_facility_is_claimed_and_confirms_it_is_accepting(page, check_page, live_server, settings):
    settings.SITE_URL = live_server.url
    center = make_center(
        name="Harbor Behavioral Health", website="https://harborclinic.example", source="SAMHSA National Directory 2022"
    )
    page.goto(center.get_absolute_url())
    page.get_by_role("link", name="Is this your center?").click()
    check_page()
    page.get_by_label("Your name").fill("Jo Vantreese")
    page.get_by_label("Your role at the center").fill("Intake coordinator")
    page.get_by_label("Your work e-mail").fill("jo@harborclinic.example")
    page.get_by_label(re.compile("Send a link to my e-mail")).check()
    page.get_by_role("button", name="Claim this listing").click()
    page.wait_for_url("**/claim/sent/")
    check_page()

    link = re.search(r"(http://\S+/for-centers/claims/confirm/\S+)", mail.outbox[-1].body).group(1)
    page.goto(link)
    check_page()
    page.get_by_role("button", name="Confirm and sign in").click()
    page.wait_for_url(f"**/for-centers/centers/{center.pk}/")
    check_page()

    page.get_by_label("Yes, accepting").check()
    page.get_by_label("Typical wait (optional)").fill("about 2 weeks")
    page.get_by_role("button", name="Confirm, dated today").click()
    page.wait_for_url(f"**/for-centers/centers/{center.pk}/")
    page.get_by_role("link", name="See the public page").click()
    text = page.locator("main").inner_text()
    today = timezone.localdate()
    assert f"reported by the center on {today:%B} {today.day}, {today.year}" in text
    check_page()
