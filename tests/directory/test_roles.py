"""Staff roles: each sees its own admin sections; only Intake opens inquiries, and each opening is recorded."""

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directory.models import Inquiry, InquiryView
from directory.outreach.admin import may_see_inquiries
from tests.directory.outreach_helpers import filter_choices, make_staff
from tests.factories import make_article, make_center

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


def make_inquiry(center) -> Inquiry:
    return Inquiry.objects.create(
        center=center,
        name="Quillonia",
        phone="904-555-0177",
        preferred_contact="phone",
        message="About the waiting list",
        consent_given_at=timezone.now(),
    )


@pytest.fixture
def rows(center):
    article = make_article()
    inquiry = make_inquiry(center)
    return {"center": center, "article": article, "inquiry": inquiry}


def admin_pages(rows) -> dict[str, list[str]]:
    """The admin pages of each area, by area."""
    center, article, inquiry = rows["center"], rows["article"], rows["inquiry"]
    return {
        "listings": [
            reverse("admin:directory_center_changelist"),
            reverse("admin:directory_center_change", args=[center.pk]),
            reverse("admin:directory_center_history", args=[center.pk]),
            reverse("admin:directory_location_changelist"),
            reverse("admin:directory_treatment_changelist"),
            reverse("admin:directory_problemreport_changelist"),
            reverse("admin:directory_verification_changelist"),
            reverse("admin:directory_verification_add"),
        ],
        "guide": [
            reverse("admin:articles_article_changelist"),
            reverse("admin:articles_article_change", args=[article.pk]),
            reverse("admin:articles_article_review_queue"),
            reverse("admin:articles_article_record_review", args=[article.pk]),
            reverse("admin:articles_topic_changelist"),
        ],
        "inquiries": [
            reverse("admin:directory_inquiry_changelist"),
            reverse("admin:directory_inquiry_change", args=[inquiry.pk]),
            reverse("admin:directory_inquiry_history", args=[inquiry.pk]),
        ],
    }


ROLE_AREAS = {"Listing editors": "listings", "Guide editors": "guide", "Intake": "inquiries"}


def test_the_data_migration_made_the_three_roles():
    perms = {
        group.name: set(group.permissions.values_list("codename", flat=True))
        for group in Group.objects.prefetch_related("permissions")
    }
    assert {"Listing editors", "Guide editors", "Intake"} <= set(perms)
    editors = perms["Listing editors"]
    assert {"change_center", "add_location", "change_problemreport", "add_verification", "import_centers"} <= editors
    assert "delete_center" not in editors
    assert not {p for p in editors if p.endswith("inquiry")}
    assert perms["Intake"] == {"view_inquiry", "change_inquiry"}
    assert {"add_article", "change_article", "change_faqitem"} <= perms["Guide editors"]
    assert not {p for p in perms["Guide editors"] if p.endswith(("center", "inquiry"))}


@pytest.mark.parametrize("role", list(ROLE_AREAS))
def test_each_role_sees_its_own_admin_sections_and_gets_403_on_the_others(client, django_user_model, rows, role):
    client.force_login(make_staff(django_user_model, "staffer", role))
    pages = admin_pages(rows)
    own = ROLE_AREAS[role]
    for area, urls in pages.items():
        for url in urls:
            status = client.get(url).status_code
            assert status == (200 if area == own else 403), f"{role} on {url}: {status}"
    index = client.get(reverse("admin:index")).content.decode()
    assert ("Inquiries" in index) == (own == "inquiries")
    assert ("Articles" in index) == (own == "guide")
    assert ("Problem reports" in index) == (own == "listings")


def test_an_inquiry_permission_given_by_hand_does_not_open_inquiries_outside_intake(client, django_user_model, rows):
    editor = make_staff(django_user_model, "lena", "Listing editors")
    editor.user_permissions.add(*Permission.objects.filter(codename__in=["view_inquiry", "change_inquiry"]))
    client.force_login(editor)
    url = reverse("admin:directory_inquiry_change", args=[rows["inquiry"].pk])
    assert client.get(url).status_code == 403
    assert not InquiryView.objects.exists()


def test_each_opening_of_an_inquiry_is_recorded_with_who_and_when(client, django_user_model, rows):
    inquiry = rows["inquiry"]
    intake = make_staff(django_user_model, "ines", "Intake")
    client.force_login(intake)
    assert b"Quillonia" not in client.get(reverse("admin:directory_inquiry_changelist")).content
    assert not InquiryView.objects.exists()  # the list shows no names, and records nothing

    url = reverse("admin:directory_inquiry_change", args=[inquiry.pk])
    first = client.get(url)
    assert b"Quillonia" in first.content and b"ines on " in first.content  # this opening, already noted
    client.get(url)
    views = list(InquiryView.objects.filter(inquiry=inquiry))
    assert [(view.viewed_by, view.viewed_by_username) for view in views] == [(intake, "ines"), (intake, "ines")]
    assert all(timezone.now() - view.viewed_at < timezone.timedelta(minutes=1) for view in views)


def test_only_superusers_read_the_audit_trail(client, django_user_model, rows, superuser):
    intake = make_staff(django_user_model, "ines", "Intake")
    client.force_login(intake)
    client.get(reverse("admin:directory_inquiry_change", args=[rows["inquiry"].pk]))
    audit = reverse("admin:directory_inquiryview_changelist")
    assert client.get(audit).status_code == 403
    client.force_login(superuser)
    response = client.get(audit)
    assert response.status_code == 200 and b"ines" in response.content


def test_intake_can_mark_an_inquiry_handled_but_not_rewrite_it(client, django_user_model, rows):
    inquiry = rows["inquiry"]
    client.force_login(make_staff(django_user_model, "ines", "Intake"))
    url = reverse("admin:directory_inquiry_change", args=[inquiry.pk])
    response = client.post(url, {"status": "closed", "message": "rewritten", "name": "someone else"})
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == "closed"
    assert inquiry.message == "About the waiting list" and inquiry.name == "Quillonia"
    assert client.post(reverse("admin:directory_inquiry_delete", args=[inquiry.pk]), {"post": "yes"}).status_code == 403


def login(client, username: str, password: str):
    return client.post(reverse("admin:login"), {"username": username, "password": password})


def test_the_admin_login_locks_after_repeated_failures_until_reset(client, django_user_model, settings):
    settings.AXES_FAILURE_LIMIT = 5
    make_staff(django_user_model, "ines", "Intake")
    for attempt in range(4):
        response = login(client, "ines", f"wrong-{attempt}")
        assert response.status_code == 200, attempt  # the login form again, with an error
    locked = login(client, "ines", "wrong-4")
    assert locked.status_code == 429
    assert b"Sign-in locked" in locked.content and b"axes_reset_username" in locked.content
    still_locked = login(client, "ines", PASSWORD)
    assert still_locked.status_code == 429
    assert "_auth_user_id" not in client.session

    call_command("axes_reset_username", "ines", stdout=open("/dev/null", "w"))  # noqa: SIM115
    unlocked = login(client, "ines", PASSWORD)
    assert unlocked.status_code == 302
    assert client.session["_auth_user_id"] == str(django_user_model.objects.get(username="ines").pk)


def test_failures_from_scattered_addresses_do_not_lock_the_account(client, django_user_model, settings):
    # Knowing a staff user name was enough to lock its owner out for an hour (issue 16, F-11).
    settings.AXES_FAILURE_LIMIT = 5
    make_staff(django_user_model, "ines", "Intake")
    for attempt in range(5):
        elsewhere = Client(REMOTE_ADDR=f"198.51.100.{attempt + 10}")
        assert login(elsewhere, "ines", f"wrong-{attempt}").status_code == 200, attempt
    assert login(Client(REMOTE_ADDR="198.51.100.10"), "ines", PASSWORD).status_code == 302
    assert login(client, "ines", PASSWORD).status_code == 302


def test_one_address_trying_many_names_is_refused_past_its_own_limit(client, django_user_model, settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.ADMIN_LOGIN_ADDRESS_FAILURE_LIMIT = 12
    make_staff(django_user_model, "lena", "Listing editors")
    for attempt in range(11):  # more than 5: one office address shared by several people
        assert login(client, f"guess-{attempt}", "wrong").status_code == 200, attempt
    assert login(client, "guess-11", "wrong").status_code == 429  # the 12th failure locks this address
    assert login(client, "lena", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    assert login(Client(REMOTE_ADDR="198.51.100.20"), "lena", PASSWORD).status_code == 302
    call_command("axes_reset_ip", "127.0.0.1", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert login(client, "lena", PASSWORD).status_code == 302


def test_sign_ins_leave_no_address_or_user_agent_behind(django_user_model, caplog):
    # axes kept every staff sign-in's address and user agent forever (issue 16, F-10).
    make_staff(django_user_model, "ines", "Intake")
    browser = Client(REMOTE_ADDR="203.0.113.77", HTTP_USER_AGENT="ProbeBrowser/9.1 (sign-in test)")
    with caplog.at_level(logging.DEBUG):
        assert login(browser, "ines", "wrong").status_code == 200
        assert AccessAttempt.objects.get().user_agent == ""  # the failure counts, its browser is not kept
        assert login(browser, "ines", PASSWORD).status_code == 302
    assert not AccessLog.objects.exists() and not AccessFailureLog.objects.exists()
    assert not AccessAttempt.objects.exists()
    assert "203.0.113.77" not in caplog.text and "ProbeBrowser" not in caplog.text


def test_the_daily_purge_deletes_expired_sign_in_records(django_user_model, settings):
    make_staff(django_user_model, "ines", "Intake")
    browser = Client(REMOTE_ADDR="203.0.113.78")
    login(browser, "ines", "wrong")
    login(Client(REMOTE_ADDR="203.0.113.79"), "ines", "wrong")
    past_cool_off = timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    AccessAttempt.objects.filter(ip_address="203.0.113.78").update(attempt_time=past_cool_off)
    old = timezone.now() - timedelta(days=settings.INQUIRY_RETENTION_DAYS + 1)
    for model in (AccessLog, AccessFailureLog):  # written by older releases, or if someone turns them on
        record = model.objects.create(username="ines", ip_address="203.0.113.80", user_agent="Old/1", http_accept="*/*")
        model.objects.filter(pk=record.pk).update(attempt_time=old)

    call_command("purge_inquiries", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.79"]  # still counting
    assert not AccessLog.objects.exists() and not AccessFailureLog.objects.exists()


def test_center_changelist_shows_the_stale_column_to_editors(client, django_user_model):
    make_center(name="Never Checked Clinic")
    make_center(name="Checked Clinic", last_verified_on=timezone.localdate())
    client.force_login(make_staff(django_user_model, "lena", "Listing editors"))
    html = client.get(reverse("admin:directory_center_changelist")).content.decode()
    never = html[html.index("Never Checked Clinic") :].split("</tr>")[0]
    checked = html[html.index("Checked Clinic</a>") :].split("</tr>")[0]
    assert "Stale" in never and "Current" in checked


@pytest.mark.parametrize("unsafe_next", ["https://evil.example/", "//evil.example/admin/", ""])
def test_signing_in_with_an_unsafe_or_empty_next_lands_on_the_admin_index(client, django_user_model, unsafe_next):
    make_staff(django_user_model, "ines", "Intake")
    response = client.post(reverse("admin:login"), {"username": "ines", "password": PASSWORD, "next": unsafe_next})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")  # not /accounts/profile/, which is a 404
    assert client.get(response["Location"]).status_code == 200


# Issue 16, F-03: the inquiry list allows only its own filters, and every showing of an inquiry is recorded.


@pytest.mark.parametrize(
    "query",
    [
        "?id={pk}&message__startswith=About",
        "?message__startswith=About",
        "?name__icontains=quill",
        "?email__isnull=True",
        "?center__name__startswith=Harbor",
        "?views__viewed_by_username=ines",
        "?status__exact=new&message__contains=wait",
    ],
)
def test_the_inquiry_list_refuses_lookups_its_filters_do_not_make(client, django_user_model, rows, query):
    client.force_login(make_staff(django_user_model, "ines", "Intake"))
    url = reverse("admin:directory_inquiry_changelist") + query.format(pk=rows["inquiry"].pk)
    response = client.get(url)
    assert response.status_code == 400
    assert b"Quillonia" not in response.content and b"About the waiting list" not in response.content


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?status__exact=new",
        "?notified=no",
        "?created_at__gte=2026-01-01T00:00:00%2B00:00&created_at__lt=2099-01-01T00:00:00%2B00:00",
        "?created_at__year=2026",
        "?created_at__year=2026&created_at__month=11&created_at__day=29",
        "?q=Harbor",
        "?o=2&p=1",
    ],
)
def test_the_inquiry_list_filters_still_work(client, django_user_model, rows, query):
    client.force_login(make_staff(django_user_model, "ines", "Intake"))
    response = client.get(reverse("admin:directory_inquiry_changelist") + query)
    assert response.status_code == 200
    assert not InquiryView.objects.exists()


def test_an_inquiry_shown_again_after_an_invalid_post_is_recorded(client, django_user_model, rows):
    inquiry = rows["inquiry"]
    intake = make_staff(django_user_model, "ines", "Intake")
    client.force_login(intake)
    url = reverse("admin:directory_inquiry_change", args=[inquiry.pk])
    response = client.post(url, {"status": "not-a-status"})
    assert response.status_code == 200 and b"Quillonia" in response.content  # the whole inquiry, shown again
    assert [view.viewed_by for view in InquiryView.objects.filter(inquiry=inquiry)] == [intake]
    # A valid post shows nothing (a redirect) and records nothing by itself.
    assert client.post(url, {"status": "closed"}).status_code == 302
    assert InquiryView.objects.filter(inquiry=inquiry).count() == 1


# Issue 16, F-04: the center list does not filter through inquiries, or reports for those who may not see them.


@pytest.mark.parametrize("query", ["?inquiries__isnull=False", "?inquiries__id={inquiry}", "?inquiries__status=new"])
@pytest.mark.parametrize("who", ["Listing editors", "superuser"])
def test_the_center_list_refuses_lookups_through_inquiries_for_everyone(client, django_user_model, rows, query, who):
    if who == "superuser":
        user = django_user_model.objects.create_superuser("root", "root@example.org", PASSWORD)
    else:
        user = make_staff(django_user_model, "lena", who)
    client.force_login(user)
    url = reverse("admin:directory_center_changelist") + query.format(inquiry=rows["inquiry"].pk)
    assert client.get(url).status_code == 400


def test_the_center_list_filters_through_reports_only_for_those_who_may_see_them(client, django_user_model, rows):
    from directory.models import ProblemReport

    ProblemReport.objects.create(center=rows["center"], kind="phone", details="Wrong number")
    url = reverse("admin:directory_center_changelist") + "?problem_reports__isnull=False"
    viewer = make_staff(django_user_model, "vic")
    viewer.user_permissions.add(*Permission.objects.filter(codename__in=["view_center", "change_center"]))
    client.force_login(viewer)
    assert client.get(reverse("admin:directory_center_changelist")).status_code == 200
    assert client.get(url).status_code == 400
    client.force_login(make_staff(django_user_model, "lena", "Listing editors"))  # editors work the report queue
    response = client.get(url)
    assert response.status_code == 200 and b"Harbor Test Clinic" in response.content
    # The list's own filters still work.
    assert (
        client.get(reverse("admin:directory_center_changelist") + "?status__exact=published&state=FL").status_code
        == 200
    )


def result_rows(html: str) -> str:
    return html.split('id="result_list"', 1)[1].split("</table>")[0] if 'id="result_list"' in html else ""


def test_intake_filters_inquiries_by_whether_their_notification_went_out(client, django_user_model, center):
    sent, waiting = make_inquiry(center), make_inquiry(center)
    Inquiry.objects.filter(pk=sent.pk).update(notified_at=timezone.now())
    client.force_login(make_staff(django_user_model, "ines", "Intake"))
    url = reverse("admin:directory_inquiry_changelist")
    html = client.get(url).content.decode()
    assert filter_choices(html, "notification") == [
        ("?", "All", True),
        ("?notified=yes", "Sent", False),
        ("?notified=no", "Not sent yet", False),
    ]
    for query, shown, hidden in [("?notified=yes", sent, waiting), ("?notified=no", waiting, sent)]:
        rows = result_rows(client.get(url + query).content.decode())
        assert f">#{shown.pk}<" in rows and f">#{hidden.pk}<" not in rows


def test_the_inquiry_list_asks_once_whether_its_reader_is_in_intake(client, django_user_model, center):
    """Every permission check of a page asks whether the user may see inquiries: the answer is kept per request."""
    for _ in range(3):
        make_inquiry(center)
    client.force_login(make_staff(django_user_model, "ines", "Intake"))
    url = reverse("admin:directory_inquiry_changelist")
    client.get(url)  # the session and the site's caches warm
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    asked = [query["sql"] for query in queries if '"auth_group"."name" = \'Intake\'' in query["sql"]]
    assert len(asked) == 1, asked


def test_nobody_adds_or_deletes_inquiries_or_their_audit_trail_in_the_admin(client, rows, superuser):
    client.force_login(superuser)
    inquiry = rows["inquiry"]
    client.get(reverse("admin:directory_inquiry_change", args=[inquiry.pk]))
    view = InquiryView.objects.get()
    assert client.get(reverse("admin:directory_inquiry_add")).status_code == 403
    assert client.get(reverse("admin:directory_inquiryview_add")).status_code == 403
    assert client.get(reverse("admin:directory_inquiryview_delete", args=[view.pk])).status_code == 403
    audit = client.get(reverse("admin:directory_inquiryview_changelist")).content.decode()
    assert "ines" not in audit and "root" in audit  # the positive control: the trail itself is readable
    assert reverse("admin:directory_inquiry_add") not in client.get(reverse("admin:index")).content.decode()


def test_the_inquiry_page_posts_back_to_itself(client, django_user_model, rows):
    client.force_login(make_staff(django_user_model, "ines", "Intake"))
    html = client.get(reverse("admin:directory_inquiry_change", args=[rows["inquiry"].pk])).content.decode()
    assert '<form method="post" id="inquiry_form" novalidate>' in html


@pytest.mark.parametrize("fields", [{"is_active": False}, {"is_staff": False}], ids=["deactivated", "not staff"])
def test_an_intake_member_who_is_no_longer_active_staff_may_not_see_inquiries(django_user_model, fields):
    """The admin site already turns such accounts away; the inquiry rule does not rely on it."""
    member = make_staff(django_user_model, "ines", "Intake")
    assert may_see_inquiries(member)  # the positive control
    django_user_model.objects.filter(pk=member.pk).update(**fields)
    assert not may_see_inquiries(django_user_model.objects.get(pk=member.pk))
