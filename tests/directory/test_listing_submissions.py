"""A center that is not listed adds itself; an editor decides; the submitter is told."""

import logging

import pytest
from django.core import mail
from django.urls import reverse

from directory.models import Center, ListingAction, ListingSubmission
from tests.directory.listing_helpers import SUBMITTER_EMAIL, quick_forms, submit_listing  # noqa: F401
from tests.directory.outreach_helpers import make_staff
from tests.factories import make_center

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quick_forms")]


@pytest.fixture
def editor(django_user_model):
    return make_staff(django_user_model, "lena", "Listing editors")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def decide(client, submission, **data):
    return client.post(reverse("admin:directory_submission_decide", args=[submission.pk]), data)


def test_list_your_center_is_linked_from_every_footer_and_from_a_search_with_no_results(client):
    url = reverse("directory:list_your_center")
    assert f'href="{url}"' in client.get(reverse("directory:home")).content.decode()
    empty = client.get(reverse("directory:center_list"), {"near": "59001", "treatment": "vns"}).content.decode()
    assert "No centers match this search" in empty
    no_results = empty[empty.index("No centers match this search") :]
    assert f'href="{url}"' in no_results


def test_the_page_says_listing_is_free_unpaid_checked_and_what_happens_next(client):
    html = client.get(reverse("directory:list_your_center")).content.decode()
    for words in ("Free", "No paid placement", "What we check", "What happens next", "not monitored for emergencies"):
        assert words in html
    assert 'href="tel:988"' in html


def test_a_submission_is_stored_for_review_and_not_public(client, caplog):
    caplog.set_level(logging.DEBUG)
    response = submit_listing(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:list_your_center_sent")
    submission = ListingSubmission.objects.get()
    assert submission.status == ListingSubmission.Status.PENDING
    assert submission.treatments[0] == {
        "slug": "tms",
        "prior_authorization_help": False,
        "tms_variant": "deep",
        "self_pay_price": "300",
        "price_unit": "per session",
    }
    assert not Center.objects.filter(name__icontains="North Shore").exists()
    listing = client.get(reverse("directory:center_list"), {"q": "North Shore"}).content.decode()
    assert "North Shore TMS" not in listing
    assert SUBMITTER_EMAIL not in caplog.text and "Quorrel" not in caplog.text


def test_a_submission_needs_an_address_with_a_real_zip_and_a_treatment(client):
    response = submit_listing(client, location_1_zip="00000", offers_tms=None, offers_esketamine=None)
    assert response.status_code == 200
    html = response.content.decode()
    assert "We could not find this ZIP code" in html
    assert "Choose at least one treatment" in html
    assert not ListingSubmission.objects.exists()


def test_too_many_submissions_from_one_address_are_refused(client, settings):
    settings.LISTING_SUBMISSION_RATE_LIMIT = "2/hour"
    assert submit_listing(client).status_code == 302
    assert submit_listing(client).status_code == 302
    third = submit_listing(client)
    assert third.status_code == 429
    assert "try again later" in third.content.decode()
    assert ListingSubmission.objects.count() == 2


def test_a_filled_honeypot_is_refused_and_nothing_is_kept(client):
    response = submit_listing(client, website_url="http://spam.example")
    assert response.status_code == 400
    assert not ListingSubmission.objects.exists()


def test_editor_approves_and_a_patient_finds_it_near_the_zip_with_its_details(client, editor_client):
    submit_listing(client)
    submission = ListingSubmission.objects.get()
    page = editor_client.get(reverse("admin:directory_listingsubmission_change", args=[submission.pk]))
    assert page.status_code == 200
    assert "Approve and publish" in page.content.decode()

    response = decide(editor_client, submission, decision="approve", method="phone")
    assert response.status_code == 302
    center = Center.objects.get(name="North Shore TMS and Spravato Clinic")
    assert center.status == Center.Status.PUBLISHED
    assert center.last_verified_on is not None

    public = client.get(reverse("directory:center_list"), {"near": "32207", "treatment": "tms"}).content.decode()
    assert "North Shore TMS and Spravato Clinic" in public
    detail = client.get(center.get_absolute_url()).content.decode()
    assert "Deep TMS (H-coil)" in detail
    assert "REMS-certified for Spravato" in detail
    assert "Self-pay $300 per session" in detail
    assert "Accepting new patients" in detail and "reported by the center" in detail
    assert "Medicare" in detail and "Spanish" in detail

    assert mail.outbox[-1].to == [SUBMITTER_EMAIL]
    assert "is now listed" in mail.outbox[-1].subject
    assert f"http://testserver{center.get_absolute_url()}" in mail.outbox[-1].body
    assert ListingAction.objects.filter(center=center, action="approved a listing", actor="staff lena").exists()


def test_the_editor_sees_likely_duplicates_and_merges_into_the_existing_center(client, editor_client):
    existing = make_center(name="Northshore TMS Clinic", phone="(904) 555-0142", treatments=("ect",))
    submit_listing(client)
    submission = ListingSubmission.objects.get()
    html = editor_client.get(reverse("admin:directory_listingsubmission_change", args=[submission.pk])).content.decode()
    duplicates = html[html.index("Likely duplicates") :]
    assert "Northshore TMS Clinic" in duplicates
    assert "same phone" in duplicates and "similar name within 5 miles" in duplicates

    decide(editor_client, submission, decision="merge", center=existing.pk)
    submission.refresh_from_db()
    assert submission.status == ListingSubmission.Status.MERGED and submission.center == existing
    assert Center.objects.count() == 1
    assert set(existing.treatments.values_list("slug", flat=True)) == {"ect", "tms", "esketamine"}
    assert existing.locations.count() == 2
    assert "already listed" in mail.outbox[-1].body


def test_a_rejection_tells_the_submitter_the_reason(client, editor_client):
    submit_listing(client)
    submission = ListingSubmission.objects.get()
    decide(editor_client, submission, decision="reject", reason="We could not reach the clinic at this number.")
    submission.refresh_from_db()
    assert submission.status == ListingSubmission.Status.REJECTED
    assert not Center.objects.exists()
    assert "We could not reach the clinic at this number." in mail.outbox[-1].body


def test_provider_text_is_escaped_on_the_public_page(client, editor_client):
    submit_listing(client, center_name="Clinic <script>alert(1)</script>", description="<b>Best</b> care")
    decide(editor_client, ListingSubmission.objects.get(), decision="approve", method="website")
    center = Center.objects.get()
    html = client.get(center.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "<b>Best</b>" not in html


def test_only_listing_editors_and_superusers_see_submissions(client, django_user_model):
    submit_listing(client)
    intake = make_staff(django_user_model, "ina", "Intake")
    client.force_login(intake)
    url = reverse("admin:directory_listingsubmission_changelist")
    assert client.get(url).status_code == 403
    submission = ListingSubmission.objects.get()
    assert decide(client, submission, decision="reject", reason="x").status_code in {302, 403}
    submission.refresh_from_db()
    assert submission.status == ListingSubmission.Status.PENDING


def test_bulk_reject_asks_for_a_reason_then_tells_each_submitter(client, editor_client):
    submit_listing(client)
    submit_listing(client, center_name="Second Clinic")
    ids = [str(pk) for pk in ListingSubmission.objects.values_list("pk", flat=True)]
    url = reverse("admin:directory_listingsubmission_changelist")
    ask = editor_client.post(url, {"action": "reject_selected", "_selected_action": ids})
    assert "Why are these submissions rejected?" in ask.content.decode()
    editor_client.post(
        url, {"action": "reject_selected", "_selected_action": ids, "apply": "1", "reason": "Not a treatment center."}
    )
    assert ListingSubmission.objects.filter(status=ListingSubmission.Status.REJECTED).count() == 2
    assert sum("Not a treatment center." in message.body for message in mail.outbox) == 2
