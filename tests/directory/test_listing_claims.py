"""An imported center is claimed, proven by e-mail or by phone; its representative signs
in with e-mailed links, confirms availability in one click and reads its inquiries."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from directory.models import AccessLink, Center, CenterClaim, Inquiry, InquiryView, ListingAction, Representation
from tests.directory.listing_helpers import link_in_mail, quick_forms  # noqa: F401
from tests.directory.outreach_helpers import hidden_value, make_staff
from tests.factories import make_center

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quick_forms")]

CLAIMANT = "jo.vantreese@harborclinic.example"


@pytest.fixture
def imported(db):
    return make_center(
        name="Harbor Behavioral Health",
        website="https://www.harborclinic.example/",
        phone="(904) 555-0110",
        source="SAMHSA National Directory 2022",
    )


def claim(client, center: Center, **overrides):
    url = reverse("directory:center_claim", args=[center.slug])
    page = client.get(url).content.decode()
    data = {
        "name": "Jo Vantreese",
        "role": "Intake coordinator",
        "email": CLAIMANT,
        "method": "email",
        "website_url": "",
        "form_shown": hidden_value(page, "id", "form_shown"),
    }
    data.update(overrides)
    return client.post(url, data)


def claimed_by_email(client, center: Center) -> None:
    claim(client, center)
    client.post(link_in_mail("/for-centers/claims/confirm/"))


def test_every_center_page_has_a_discreet_claim_link(client, imported):
    html = client.get(imported.get_absolute_url()).content.decode()
    assert f'href="{reverse("directory:center_claim", args=[imported.slug])}"' in html
    assert "Is this your center?" in html


def test_claim_an_imported_center_by_e_mail_link(client, imported):
    response = claim(client, imported)
    assert response.status_code == 302
    assert not Representation.objects.exists(), "nothing changes until control is proven"
    link = link_in_mail("/for-centers/claims/confirm/", to=CLAIMANT)

    page = client.get(link)
    assert page.status_code == 200 and "Confirm and sign in" in page.content.decode()
    assert not Representation.objects.exists(), "opening the link (as mail scanners do) uses nothing"

    confirmed = client.post(link)
    assert confirmed["Location"] == reverse("directory:portal_center", args=[imported.pk])
    representation = Representation.objects.get()
    assert representation.center == imported and representation.representative.email == CLAIMANT
    imported.refresh_from_db()
    assert imported.inquiry_email == CLAIMANT
    assert "Harbor Behavioral Health" in client.get(confirmed["Location"]).content.decode()
    assert ListingAction.objects.filter(center=imported, action="proved control of the listing (email)").exists()


def test_a_reused_link_is_refused_with_a_plain_page(client, imported):
    claim(client, imported)
    link = link_in_mail("/for-centers/claims/confirm/")
    client.post(link)
    again = client.post(link)
    assert again.status_code == 410
    assert "already used" in again.content.decode() and "What to do next" in again.content.decode()


def test_an_expired_link_is_refused(client, imported):
    claim(client, imported)
    AccessLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.post(link_in_mail("/for-centers/claims/confirm/"))
    assert response.status_code == 410 and "expired" in response.content.decode()
    assert not Representation.objects.exists()


def test_a_tampered_link_is_refused(client, imported):
    claim(client, imported)
    link = link_in_mail("/for-centers/claims/confirm/")
    token = link.rstrip("/").rsplit("/", 1)[1]
    swapped = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    response = client.post(link.replace(token, swapped))
    assert response.status_code == 410 and "does not work" in response.content.decode()
    # A claim link does not open the sign-in door either.
    assert client.post(reverse("directory:representative_link", args=[token])).status_code == 410
    assert not Representation.objects.exists()


@pytest.mark.parametrize("address", ["jo.vantreese@gmail.com", "jo@outlook.com", "jo@harborclinic.example.net"])
def test_a_free_mail_or_other_domain_is_not_proof(client, imported, address):
    response = claim(client, imported, email=address)
    assert response.status_code == 200
    assert "website domain" in response.content.decode()
    assert not CenterClaim.objects.exists() and not mail.outbox


def test_claim_by_phone_shows_a_call_task_and_the_code_read_out_signs_in(client, imported, django_user_model):
    claim(client, imported, method="phone")
    claim_row = CenterClaim.objects.get()
    assert claim_row.status == CenterClaim.Status.CALL_NEEDED and len(claim_row.phone_code) == 6
    code_link = link_in_mail("/for-centers/claims/code/", to=CLAIMANT)
    assert claim_row.phone_code not in mail.outbox[-1].body, "the code comes only by phone"

    editor = make_staff(django_user_model, "lena", "Listing editors")
    staff = client.__class__()
    staff.force_login(editor)
    tasks = staff.get(reverse("admin:directory_centerclaim_changelist"), {"call": "todo"}).content.decode()
    assert "(904) 555-0110" in tasks and claim_row.phone_code in tasks

    wrong = client.post(code_link, {"code": "000000" if claim_row.phone_code != "000000" else "111111"})
    assert "not the code" in wrong.content.decode()
    assert not Representation.objects.exists()
    right = client.post(code_link, {"code": claim_row.phone_code})
    assert right["Location"] == reverse("directory:portal_center", args=[imported.pk])
    assert Representation.objects.get().proof == "phone"


def test_guessing_the_phone_code_stops_after_five_tries(client, imported):
    claim(client, imported, method="phone")
    code_link = link_in_mail("/for-centers/claims/code/")
    right = CenterClaim.objects.get().phone_code
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        client.post(code_link, {"code": wrong})
    blocked = client.post(code_link, {"code": right})
    assert blocked.status_code == 429
    assert not Representation.objects.exists()


def test_confirm_accepting_in_one_click_shows_the_dated_line_publicly(client, imported):
    claimed_by_email(client, imported)
    response = client.post(
        reverse("directory:portal_availability", args=[imported.pk]),
        {"accepting_new_patients": "yes", "typical_wait": "about 10 days"},
    )
    assert response.status_code == 302
    public = client.get(imported.get_absolute_url()).content.decode()
    today = timezone.localdate()
    assert "Accepting new patients" in public
    assert f'reported by the center on <time datetime="{today:%Y-%m-%d}">' in public
    assert "about 10 days" in public
    assert ListingAction.objects.filter(center=imported, action="still accepting").exists()


def test_a_center_unconfirmed_for_too_long_says_since_when(client, imported, settings):
    long_ago = timezone.localdate() - timedelta(days=settings.CENTER_CONFIRMATION_DAYS + 5)
    Center.objects.filter(pk=imported.pk).update(center_confirmed_on=long_ago)
    html = client.get(imported.get_absolute_url()).content.decode()
    # In the one date format of the public pages ("November 29, 2026"), not "Nov 29, 2026".
    long_ago_text = f"{long_ago:%B} {long_ago.day}, {long_ago.year}"
    assert f'Not confirmed by the center since <time datetime="{long_ago:%Y-%m-%d}">{long_ago_text}</time>' in html


def test_another_centers_id_in_a_representative_url_is_not_found(client, imported):
    other = make_center(name="Someone Else's Clinic")
    inquiry = Inquiry.objects.create(
        center=other, name="Ana", phone="904-555-0199", preferred_contact="phone", message="Hi",
        consent_given_at=timezone.now(),
    )  # fmt: skip
    claimed_by_email(client, imported)
    assert client.get(reverse("directory:portal_center", args=[other.pk])).status_code == 404
    post = client.post(reverse("directory:portal_availability", args=[other.pk]), {"accepting_new_patients": "no"})
    assert post.status_code == 404
    assert client.get(reverse("directory:portal_inquiry", args=[other.pk, inquiry.pk])).status_code == 404
    assert client.get(reverse("directory:portal_inquiry", args=[imported.pk, inquiry.pk])).status_code == 404
    other.refresh_from_db()
    assert other.accepting_new_patients == Center.Accepting.UNKNOWN


def test_a_representative_never_reaches_the_admin(client, imported):
    claimed_by_email(client, imported)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_a_representative_reads_and_marks_their_centers_inquiry(client, imported):
    claimed_by_email(client, imported)
    inquiry = Inquiry.objects.create(
        center=imported, name="Quillonia", phone="904-555-0177", preferred_contact="phone",
        message="Do you take Medicare for TMS?", consent_given_at=timezone.now(),
    )  # fmt: skip
    dashboard = client.get(reverse("directory:portal_center", args=[imported.pk])).content.decode()
    url = reverse("directory:portal_inquiry", args=[imported.pk, inquiry.pk])
    assert url in dashboard
    page = client.get(url).content.decode()
    assert "Do you take Medicare for TMS?" in page and "904-555-0177" in page
    assert InquiryView.objects.get(inquiry=inquiry).viewed_by_username.startswith("representative #")
    client.post(url, {"status": "closed"})
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.CLOSED


def test_the_inquiry_e_mail_links_to_the_representatives_page(client, imported):
    claimed_by_email(client, imported)
    page = client.get(reverse("directory:center_ask", args=[imported.slug])).content.decode()
    from tests.directory.outreach_helpers import inquiry_data

    client.post(reverse("directory:center_ask", args=[imported.slug]), inquiry_data(page))
    inquiry = Inquiry.objects.get()
    notification = mail.outbox[-1]
    assert notification.to == [CLAIMANT]
    assert reverse("directory:portal_inquiry", args=[imported.pk, inquiry.pk]) in notification.body
    assert "Medicare" not in notification.body


def test_sign_in_answers_the_same_whether_or_not_the_address_is_known(client, imported):
    claimed_by_email(client, imported)
    client.post(reverse("directory:portal_sign_out"))
    mail.outbox.clear()
    url = reverse("directory:representative_sign_in")

    def ask(address):
        page = client.get(url).content.decode()
        return client.post(
            url, {"email": address, "website_url": "", "form_shown": hidden_value(page, "id", "form_shown")}
        )

    known, unknown = ask(CLAIMANT), ask("nobody@harborclinic.example")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert client.get(known["Location"]).content == client.get(unknown["Location"]).content
    assert [message.to for message in mail.outbox] == [[CLAIMANT]]

    link = link_in_mail("/for-centers/sign-in/", to=CLAIMANT)
    assert client.get(reverse("directory:portal")).status_code == 302
    assert client.post(link)["Location"] == reverse("directory:portal")
    assert client.post(link).status_code == 410


def test_a_claim_answers_the_same_for_a_claimed_and_an_unclaimed_center(client, imported):
    claimed_by_email(client, imported)
    client.post(reverse("directory:portal_sign_out"))
    first = claim(client, imported)
    unclaimed = make_center(name="Unclaimed Clinic", website="https://www.harborclinic.example")
    second = claim(client, unclaimed)
    assert first.status_code == second.status_code == 302
    first_page = client.get(first["Location"]).content.decode().replace(imported.name, "X")
    second_page = client.get(second["Location"]).content.decode().replace(unclaimed.name, "X")
    assert first_page.replace(imported.slug, "S") == second_page.replace(unclaimed.slug, "S")


def test_staff_revoke_a_representative_at_once(client, imported, django_user_model):
    claimed_by_email(client, imported)
    editor = make_staff(django_user_model, "lena", "Listing editors")
    staff = client.__class__()
    staff.force_login(editor)
    representation = Representation.objects.get()
    staff.post(
        reverse("admin:directory_representation_changelist"),
        {"action": "revoke", "_selected_action": [representation.pk]},
    )
    representation.refresh_from_db()
    assert representation.revoked_at is not None
    assert client.get(reverse("directory:portal_center", args=[imported.pk])).status_code == 404
    assert ListingAction.objects.filter(action="revoked a representative", actor="staff lena").exists()


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_representatives_page_reads_as_many_queries_for_five_inquiries_as_for_one(client, imported):
    claimed_by_email(client, imported)

    def inquiry():
        Inquiry.objects.create(
            center=imported, name="A", phone="904-555-0101", preferred_contact="phone", message="Hello",
            consent_given_at=timezone.now(),
        )  # fmt: skip

    url = reverse("directory:portal_center", args=[imported.pk])
    inquiry()
    one = _queries(client, url)
    for _ in range(4):
        inquiry()
    assert _queries(client, url) == one


def test_the_claims_queue_reads_as_many_queries_for_five_claims_as_for_one(client, imported, django_user_model):
    claim(client, imported, method="phone")
    staff = client.__class__()
    staff.force_login(make_staff(django_user_model, "lena", "Listing editors"))
    url = reverse("admin:directory_centerclaim_changelist")
    one = _queries(staff, url)
    for _ in range(4):
        claim(client, make_center(phone="904-555-0123"), method="phone")
    assert _queries(staff, url) == one


def test_the_spanish_center_page_has_the_claim_link_and_the_center_reported_date_in_spanish(client, imported):
    claimed_by_email(client, imported)
    client.post(reverse("directory:portal_availability", args=[imported.pk]), {"accepting_new_patients": "yes"})
    html = client.get("/es" + imported.get_absolute_url()).content.decode()
    assert "¿Es su centro?" in html and "informado por el centro el" in html
    assert "Is this your center?" not in html and "reported by the center" not in html
