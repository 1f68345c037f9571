"""Inquiries are deleted after the retention period; the privacy page says what we do."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from directory.models import Inquiry, InquiryView, ProblemReport
from tests.factories import make_center

pytestmark = pytest.mark.django_db


def inquiry_received(center, *, days_ago: float) -> Inquiry:
    return Inquiry.objects.create(
        center=center,
        name="Someone",
        email="someone@example.net",
        preferred_contact="email",
        message="A question",
        consent_given_at=timezone.now(),
        created_at=timezone.now() - timedelta(days=days_ago),
    )


def test_purge_deletes_only_expired_inquiries_and_their_view_records(center, superuser):
    expired = inquiry_received(center, days_ago=91)
    kept = inquiry_received(center, days_ago=89)
    for inquiry in (expired, kept):
        InquiryView.objects.create(inquiry=inquiry, viewed_by=superuser, viewed_by_username="root")

    call_command("purge_inquiries", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert list(Inquiry.objects.all()) == [kept]
    assert list(InquiryView.objects.values_list("inquiry_id", flat=True)) == [kept.pk]


def test_the_retention_period_is_a_setting(center, settings):
    settings.INQUIRY_RETENTION_DAYS = 30
    inquiry_received(center, days_ago=31)
    young = inquiry_received(center, days_ago=29)
    call_command("purge_inquiries", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(Inquiry.objects.all()) == [young]


def test_purge_forgets_old_report_contacts_but_keeps_the_reports(center):
    old = ProblemReport.objects.create(
        center=center,
        kind="phone",
        details="Wrong number",
        contact="me@example.net",
        created_at=timezone.now() - timedelta(days=120),
    )
    recent = ProblemReport.objects.create(center=center, kind="phone", details="Wrong", contact="you@example.net")
    call_command("purge_inquiries", stdout=open("/dev/null", "w"))  # noqa: SIM115
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.contact, old.details) == ("", "Wrong number")
    assert recent.contact == "you@example.net"


def test_an_unsent_expired_inquiry_is_purged_too(center):
    inquiry_received(center, days_ago=100)
    assert Inquiry.objects.unsent().exists()
    call_command("purge_inquiries", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not Inquiry.objects.exists()


def test_the_privacy_page_states_the_rules_in_plain_words(client, settings):
    settings.INQUIRY_RETENTION_DAYS = 60
    make_center()
    html = client.get("/privacy/").content.decode()
    for words in [
        "Deleted after 60 days",
        "our intake staff and our few site administrators",
        "the center's own representatives, who proved to us that they work there",
        "each time someone opens your message, we note who and when",
        "does not contain your name, your contact details or your message",
        "never written into our logs",
        "never shows who made a change",
        "scrambled form of your network address",
    ]:
        assert words in html, words
