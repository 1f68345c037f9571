"""A representative proposes changes that an editor applies; checkups keep availability
fresh; the admin index counts the queues."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from directory.models import AccessLink, Center, ChangeProposal, ListingSubmission
from tests.directory.listing_helpers import link_in_mail, quick_forms, submit_listing  # noqa: F401
from tests.directory.outreach_helpers import hidden_value, listed_days_ago, make_staff
from tests.factories import make_center

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quick_forms")]

CLAIMANT = "jo.vantreese@harborclinic.example"


@pytest.fixture
def imported(db):
    center = make_center(name="Harbor Behavioral Health", website="https://harborclinic.example", phone="904-555-0110")
    return listed_days_ago(center)


@pytest.fixture
def representative_client(client, imported):
    url = reverse("directory:center_claim", args=[imported.slug])
    page = client.get(url).content.decode()
    client.post(url, {"name": "Jo", "role": "Manager", "email": CLAIMANT, "method": "email", "website_url": "",
                      "form_shown": hidden_value(page, "id", "form_shown")})  # fmt: skip
    client.post(link_in_mail("/for-centers/claims/confirm/"))
    return client


@pytest.fixture
def editor_client(django_user_model):
    from django.test import Client

    staff = Client()
    staff.force_login(make_staff(django_user_model, "lena", "Listing editors"))
    return staff


def propose(client, center: Center, **changes):
    url = reverse("directory:portal_propose", args=[center.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(changes)
    return client.post(url, data)


def test_propose_a_phone_change_approve_it_and_see_it_in_the_history(representative_client, editor_client, imported):
    response = propose(representative_client, imported, phone="904-555-0188")
    assert response.status_code == 302
    imported.refresh_from_db()
    assert imported.phone == "904-555-0110", "nothing changes before an editor approves"
    proposal = ChangeProposal.objects.get()
    assert proposal.changes == {"phone": "904-555-0188"}

    page = editor_client.get(reverse("admin:directory_changeproposal_change", args=[proposal.pk])).content.decode()
    diff = page[page.index("Proposed changes next to the listing") :]
    assert "904-555-0110" in diff and "904-555-0188" in diff
    editor_client.post(reverse("admin:directory_proposal_decide", args=[proposal.pk]), {"decision": "approve"})

    imported.refresh_from_db()
    assert imported.phone == "904-555-0188"
    public = representative_client.get(imported.get_absolute_url()).content.decode()
    assert "904-555-0188" in public
    log = public[public.index('id="change-log-heading"') :]
    assert "changed: phone" in log
    history = editor_client.get(reverse("admin:directory_center_history", args=[imported.pk])).content.decode()
    assert "Proposed by the center" in history
    assert "approved" in mail.outbox[-1].body and mail.outbox[-1].to == [CLAIMANT]


def test_a_name_change_waits_for_an_editor_who_may_reject_it_with_a_reason(
    representative_client, editor_client, imported
):
    propose(representative_client, imported, name="Harbor Brain Health")
    proposal = ChangeProposal.objects.get()
    editor_client.post(
        reverse("admin:directory_proposal_decide", args=[proposal.pk]),
        {"decision": "reject", "reason": "Your state license still shows the old name."},
    )
    imported.refresh_from_db()
    assert imported.name == "Harbor Behavioral Health"
    assert "Your state license still shows the old name." in mail.outbox[-1].body


def test_a_proposal_with_nothing_changed_is_refused(representative_client, imported):
    response = propose(representative_client, imported)
    assert response.status_code == 200 and "Nothing was changed." in response.content.decode()
    assert not ChangeProposal.objects.exists()


def test_checkups_go_to_claimed_centers_once_per_interval(representative_client, imported):
    make_center(name="Unclaimed Clinic")
    mail.outbox.clear()
    call_command("send_listing_checkups")
    assert [message.to for message in mail.outbox] == [[CLAIMANT]]
    body = mail.outbox[0].body
    assert "Still accepting new patients:" in body and "Something changed:" in body
    call_command("send_listing_checkups")
    assert len(mail.outbox) == 1


def test_the_still_accepting_link_dates_the_public_page_and_works_once(client, representative_client, imported):
    client.post(reverse("directory:portal_sign_out"))
    call_command("send_listing_checkups")
    link = link_in_mail("answer=accepting")
    assert client.get(link).status_code == 200
    imported.refresh_from_db()
    assert imported.accepting_new_patients == Center.Accepting.UNKNOWN, "opening the link changes nothing"
    path, _, query = link.partition("?")
    done = client.post(path, {"answer": "accepting"})
    assert done.status_code == 200
    public = client.get(imported.get_absolute_url()).content.decode()
    assert f'reported by the center on <time datetime="{timezone.localdate():%Y-%m-%d}">' in public
    assert client.post(path, {"answer": "not-accepting"}).status_code == 410
    imported.refresh_from_db()
    assert imported.accepting_new_patients == Center.Accepting.YES


def test_the_something_changed_link_signs_in_to_propose_changes(client, representative_client, imported):
    client.post(reverse("directory:portal_sign_out"))
    call_command("send_listing_checkups")
    path = link_in_mail("answer=changed").partition("?")[0]
    response = client.post(path, {"answer": "changed"})
    assert response["Location"] == reverse("directory:portal_propose", args=[imported.pk])
    assert client.get(response["Location"]).status_code == 200


def test_an_expired_checkup_link_says_what_to_do_next(client, representative_client, imported):
    call_command("send_listing_checkups")
    AccessLink.objects.filter(purpose="checkup").update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post(link_in_mail("answer=accepting").partition("?")[0], {"answer": "accepting"})
    assert response.status_code == 410
    assert "Sign in" in response.content.decode()


def test_the_admin_index_shows_listing_editors_the_open_counts(client, representative_client, editor_client, imported):
    make_center(name="Unclaimed Clinic")
    submit_listing(client)
    propose(representative_client, imported, phone="904-555-0188")
    html = editor_client.get(reverse("admin:index")).content.decode()
    queues = html[html.index('id="listing-queues"') :]
    assert "Listing submissions waiting</a></th><td>1<" in queues
    assert "Proposed changes waiting</a></th><td>1<" in queues
    assert "Published centers claimed by their center</th><td>1<" in queues
    assert "Published centers not claimed</th><td>1<" in queues
    assert ListingSubmission.objects.count() == 1


def test_the_admin_index_shows_no_counts_to_other_staff(client, django_user_model):
    client.force_login(make_staff(django_user_model, "gus", "Guide editors"))
    assert 'id="listing-queues"' not in client.get(reverse("admin:index")).content.decode()
