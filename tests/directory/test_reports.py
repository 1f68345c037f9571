"""Readers report wrong listings; editors work the queue; the center page says when a report changed it."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from directory.models import Center, ProblemReport
from tests.directory.outreach_helpers import admin_form_data, filter_choices, listed_days_ago, make_staff, report_data
from tests.factories import make_center

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick_forms(settings):
    settings.FORM_MIN_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor(django_user_model):
    return make_staff(django_user_model, "lena", "Listing editors")


def send_report(client, center: Center, **overrides):
    """As a reader does: from the center page's link to the report page, then its form."""
    report_url = reverse("directory:center_report", args=[center.slug])
    assert f'href="{report_url}"' in client.get(center.get_absolute_url()).content.decode()
    page = client.get(report_url).content.decode()
    return client.post(report_url, report_data(page, **overrides))


def report_change_url(report: ProblemReport) -> str:
    return reverse("admin:directory_problemreport_change", args=[report.pk])


def test_every_center_page_links_to_its_report_form(client, center):
    report_url = reverse("directory:center_report", args=[center.slug])
    html = client.get(center.get_absolute_url()).content.decode()
    assert f'<a href="{report_url}">Report a problem with this listing</a>' in html
    html = client.get(report_url).content.decode()
    assert f'action="{report_url}"' in html
    for kind in ["The center has closed", "Phone number", "Address", "Treatments offered", "Insurance or payment"]:
        assert kind in html


def test_the_report_form_says_it_is_not_monitored_for_emergencies(client, center):
    """PRODUCT.md: contact forms say so, with the crisis numbers, above the form."""
    html = client.get(reverse("directory:center_report", args=[center.slug])).content.decode()
    section = html[html.index('id="report"') :].split("</section>")[0]
    notice = section.index("This form is not monitored for emergencies")
    assert notice < section.index("<form")
    assert 'href="tel:988"' in section and 'href="tel:911"' in section
    assert "Something wrong on this page?" not in html


def test_the_report_page_has_one_heading_above_its_form(client, center):
    """Issue 13: the page's h1, then the form; no second heading and no folded summary under it."""
    html = client.get(reverse("directory:center_report", args=[center.slug])).content.decode()
    main = html[html.index("<main") : html.index("<form", html.index('id="report"'))]
    assert re.findall(r"<h[1-6]\b", main) == ["<h1"]
    assert "<summary>Report a problem with this listing</summary>" not in main
    assert f"Report a problem with {center.name}</h1>" in main


def test_a_wrong_phone_report_is_fixed_by_an_editor_and_the_center_page_says_when(client, editor):
    center = listed_days_ago(make_center(name="Clear Path Clinic", phone="(904) 555-0100"))
    response = send_report(client, center)
    assert response.status_code == 302
    assert b"Thank you for your report" in client.get(response["Location"]).content
    report = ProblemReport.objects.get()
    assert (report.center, report.kind, report.status) == (center, "phone", "open")

    client.force_login(editor)
    queue = client.get(reverse("admin:directory_problemreport_changelist")).content.decode()
    assert "Clear Path Clinic" in queue  # open reports are what the queue shows first
    page = client.get(report_change_url(report))
    assert reverse("admin:directory_center_change", args=[center.pk]) in page.content.decode()

    # The editor corrects the phone number in the center's admin page...
    center_url = reverse("admin:directory_center_change", args=[center.pk])
    data = admin_form_data(client.get(center_url))
    data["phone"] = "(904) 555-0199"
    assert client.post(center_url, data).status_code == 302
    center.refresh_from_db()
    assert center.phone == "(904) 555-0199"

    # ...and resolves the report with a change.
    data = admin_form_data(client.get(report_change_url(report)))
    data.update(status="resolved", listing_changed="on", resolution_note="Called the clinic; number confirmed.")
    assert client.post(report_change_url(report), data).status_code == 302
    report.refresh_from_db()
    assert report.status == "resolved" and report.listing_changed
    assert report.resolved_by == editor and report.resolved_at is not None
    assert "open" not in {r.status for r in ProblemReport.objects.all()}

    client.logout()
    html = client.get(center.get_absolute_url()).content.decode()
    today = timezone.localdate()
    assert f'Updated <time datetime="{today:%Y-%m-%d}">' in html and "after a report" in html
    assert "Called the clinic" not in html  # the resolution note is for staff
    change_log = html[html.index("Changes to this listing") :]
    assert "changed: phone</li>" in change_log.split("</section>")[0]
    assert "lena" not in html


def test_a_rejected_report_leaves_no_update_line(client, editor):
    center = make_center()
    send_report(client, center, kind="other", details="I think they are rude.")
    report = ProblemReport.objects.get()
    client.force_login(editor)
    response = client.post(
        reverse("admin:directory_problemreport_changelist"),
        {"action": "reject_reports", "_selected_action": [report.pk]},
        follow=True,
    )
    assert b"Rejected 1 report" in response.content
    report.refresh_from_db()
    assert report.status == "rejected" and report.resolved_by == editor
    assert b"after a report" not in client.get(center.get_absolute_url()).content


def test_resolving_without_a_change_shows_no_update_line(client, editor):
    center = make_center()
    send_report(client, center)
    report = ProblemReport.objects.get()
    client.force_login(editor)
    data = admin_form_data(client.get(report_change_url(report)))
    data.update(status="resolved")
    data.pop("listing_changed", None)
    client.post(report_change_url(report), data)
    report.refresh_from_db()
    assert report.status == "resolved" and not report.listing_changed
    assert b"after a report" not in client.get(center.get_absolute_url()).content


def test_only_a_resolved_report_can_be_marked_as_having_changed_the_listing(client, editor):
    center = make_center()
    send_report(client, center)
    report = ProblemReport.objects.get()
    client.force_login(editor)
    data = admin_form_data(client.get(report_change_url(report)))
    data.update(status="rejected", listing_changed="on")
    response = client.post(report_change_url(report), data)
    assert response.status_code == 200
    assert b"Only a resolved report can have changed the listing" in response.content
    report.refresh_from_db()
    assert report.status == "open"


def test_the_queue_filters_by_status_and_kind_and_searches_text(client, editor):
    first = make_center(name="Lantern Mood Center")
    second = make_center(name="Summit Behavioral Health")
    send_report(client, first, kind="address", details="They moved to Oak Avenue.")
    send_report(client, second, kind="insurance", details="No longer takes Medicaid.")
    ProblemReport.objects.filter(center=second).update(status="resolved", resolved_at=timezone.now())
    client.force_login(editor)
    url = reverse("admin:directory_problemreport_changelist")
    open_queue = client.get(url).content.decode()
    assert "Lantern Mood Center" in open_queue and "Summit Behavioral Health" not in open_queue
    statuses = [(link, label) for link, label, _ in filter_choices(open_queue, "status")]
    assert statuses == [(f"?status={value}", label) for value, label in [*ProblemReport.Status.choices, ("all", "All")]]
    assert [label for _, label, selected in filter_choices(open_queue, "status") if selected] == ["Open"]
    everything = client.get(url, {"status": "all"}).content.decode()
    assert "Lantern Mood Center" in everything and "Summit Behavioral Health" in everything
    assert [label for _, label, selected in filter_choices(everything, "status") if selected] == ["All"]
    by_kind = client.get(url, {"status": "all", "kind__exact": "insurance"}).content.decode()
    assert "Summit Behavioral Health" in by_kind and "Lantern Mood Center" not in by_kind
    searched = client.get(url, {"status": "all", "q": "Oak Avenue"}).content.decode()
    assert "Lantern Mood Center" in searched and "Summit Behavioral Health" not in searched


def test_a_closed_center_still_takes_reports(client):
    closed = make_center(status=Center.Status.CLOSED)
    assert send_report(client, closed, kind="closed", details="It reopened last month.").status_code == 302
    assert ProblemReport.objects.filter(center=closed).exists()


def test_report_spam_checks_refuse_honeypot_and_floods(client, settings):
    settings.REPORT_RATE_LIMIT = "1/hour"
    center = make_center()
    assert send_report(client, center, website_url="spam").status_code == 400
    assert send_report(client, center).status_code == 302
    assert send_report(client, center).status_code == 429
    assert ProblemReport.objects.count() == 1


def test_a_report_needs_details(client):
    center = make_center()
    response = send_report(client, center, details="")
    assert response.status_code == 200
    assert not ProblemReport.objects.exists()
    assert b'id="report-form"' in response.content
