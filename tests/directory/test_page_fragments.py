"""The center, city and treatment-in-city pages are kept rendered (directory/fragments.py):
a kept page costs one query, and any change a visitor could see is shown on the next view."""

import html
import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from directory.models import CenterTreatment, Location, MedicareBilling, PaymentOption, ProblemReport, Treatment
from tests.directory.outreach_helpers import admin_form_data, make_staff
from tests.factories import make_center

pytestmark = pytest.mark.django_db

CITY = "/centers/fl/jacksonville/"


def text_of(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def center():
    return make_center(name="Harbor Light Clinic", treatments=("tms",), accepting_new_patients="yes")


def test_a_kept_center_page_takes_one_query_and_is_the_page_drawn_before(client, center, django_assert_num_queries):
    url = center.get_absolute_url()
    drawn = client.get(url)
    assert "Harbor Light Clinic" in text_of(drawn)
    with django_assert_num_queries(1):  # the center's row; the rest is kept
        kept = client.get(url)
    assert kept.content == drawn.content
    caches["fragments"].clear()
    with django_assert_num_queries(11):  # drawn afresh: the prefetches, the change log, the last report
        assert client.get(url).content == drawn.content


def test_a_center_saved_in_the_admin_shows_the_change_on_its_next_view(client, center, django_user_model):
    url = center.get_absolute_url()
    assert "(904) 555-0100" in text_of(client.get(url))
    staff = make_staff(django_user_model, "lena", "Listing editors")
    editor = client.__class__()
    editor.force_login(staff)
    admin_url = reverse("admin:directory_center_change", args=[center.pk])
    data = admin_form_data(editor.get(admin_url)) | {"phone": "(904) 555-0199", "name": "Harbor Light Center"}
    assert editor.post(admin_url, data).status_code == 302

    text = text_of(client.get(url))
    assert "Harbor Light Center" in text and "(904) 555-0199" in text
    assert "(904) 555-0100" not in text
    assert "Harbor Light Center" in client.get(url).content.decode().split("</title>")[0]


def test_changes_to_a_location_a_treatment_a_list_and_a_lookup_show_on_the_next_view(client, center):
    url = center.get_absolute_url()
    client.get(url)

    location = Location.objects.get(center=center)
    location.street1 = "77 River Road"
    location.save()
    assert "77 River Road" in text_of(client.get(url))

    CenterTreatment.objects.create(center=center, treatment=Treatment.objects.get(slug="ect"))
    assert "Electroconvulsive therapy" in text_of(client.get(url))

    payment = PaymentOption.objects.get(slug="medicare")
    center.payment_options.add(payment)
    assert payment.name in text_of(client.get(url))

    payment.name = "Medicare (Part B)"
    payment.save()
    assert "Medicare (Part B)" in text_of(client.get(url))

    report = ProblemReport.objects.create(center=center, kind="phone", details="The number is wrong.")
    assert "after a report from a reader" not in text_of(client.get(url))
    report.status, report.listing_changed, report.resolved_at = ProblemReport.Status.RESOLVED, True, timezone.now()
    report.save()
    assert "after a report from a reader" in text_of(client.get(url))


def test_medicare_evidence_written_for_a_center_shows_on_its_next_view(client, center):
    url = center.get_absolute_url()
    assert "Evidence from Medicare claims" not in text_of(client.get(url))
    MedicareBilling.objects.create(
        center=center,
        treatment=Treatment.objects.get(slug="tms"),
        year=2023,
        npi="1234567893",
        name="Ada Example",
        is_organization=False,
        codes="90867",
        location_key="x",
    )
    assert "Evidence from Medicare claims" in text_of(client.get(url))


def test_the_spanish_page_is_never_served_from_the_english_fragments(client, center):
    url = center.get_absolute_url()
    english = client.get(url)
    spanish = client.get("/es" + url)
    assert 'lang="es"' in spanish.content.decode()[:300]
    assert "Accepting new patients" in text_of(english)
    assert "Accepting new patients" not in text_of(spanish)
    assert "Acepta pacientes nuevos" in text_of(spanish)
    # And the other way round, once both are kept.
    assert "Accepting new patients" in text_of(client.get(url))
    assert "Accepting new patients" not in text_of(client.get("/es" + url))
    assert "Acepta pacientes nuevos" in text_of(client.get("/es" + CITY))
    assert "Acepta pacientes nuevos" not in text_of(client.get(CITY))


def test_what_only_one_person_sees_is_never_kept_for_others(client, center, django_user_model):
    """A signed-in staff member's page carries their messages and is private; the kept
    fragments it drew are the same for everyone and carry neither."""
    staff = make_staff(django_user_model, "lena", "Listing editors")
    editor = client.__class__()
    editor.force_login(staff)
    storage = CookieStorage(HttpRequest())
    carrier = HttpResponse()
    storage._store([Message(constants.SUCCESS, "Saved the listing for lena.")], carrier)
    editor.cookies[storage.cookie_name] = carrier.cookies[storage.cookie_name].value

    for url in (center.get_absolute_url(), CITY, "/treatments/tms/fl/jacksonville/"):
        seen_by_staff = editor.get(url)
        assert "Saved the listing for lena." in text_of(seen_by_staff)
        assert "public" not in seen_by_staff["Cache-Control"]
        editor.cookies[storage.cookie_name] = carrier.cookies[storage.cookie_name].value

        seen_by_anyone = client.get(url)
        assert "Saved the listing for lena." not in text_of(seen_by_anyone)
        assert "lena" not in seen_by_anyone.content.decode()
        assert "public" in seen_by_anyone["Cache-Control"] and not seen_by_anyone.cookies


def test_a_city_page_shows_a_center_added_or_closed_on_its_next_view(client, center, django_assert_num_queries):
    client.get(CITY)
    with django_assert_num_queries(1):
        client.get(CITY)
    added = make_center(name="Riverside Mood Clinic", treatments=("tms",))
    assert "Riverside Mood Clinic" in text_of(client.get(CITY))
    assert "Riverside Mood Clinic" in text_of(client.get("/treatments/tms/fl/jacksonville/"))

    added.status = added.Status.CLOSED
    added.save()
    assert "Riverside Mood Clinic" not in text_of(client.get(CITY))
    assert "Riverside Mood Clinic" not in text_of(client.get("/treatments/tms/fl/jacksonville/"))


def test_a_kept_city_page_keeps_the_address_it_was_asked_for(client, center):
    """Links in the pagination repeat the query: a page asked with another query is drawn for it."""
    for n in range(25):
        make_center(name=f"Clinic {n:02d}")
    first = client.get(CITY + "?page=2").content.decode()
    other = client.get(CITY + "?page=2&from=newsletter").content.decode()
    assert "from=newsletter" not in first
    assert "from=newsletter" in other
    assert client.get(CITY + "?page=2").content.decode() == first


def test_a_center_not_accepting_shows_the_nearest_that_are_as_they_change(client):
    full = make_center(name="Full Clinic", treatments=("tms",), accepting_new_patients="no")
    url = full.get_absolute_url()
    assert "Nearest centers accepting new patients" not in text_of(client.get(url))
    make_center(name="Open Door Clinic", treatments=("tms",), accepting_new_patients="yes")
    text = text_of(client.get(url))
    assert "Nearest centers accepting new patients" in text and "Open Door Clinic" in text


def test_a_past_the_end_city_page_is_still_not_found(client, center):
    assert client.get(CITY + "?page=9").status_code == 404
    assert client.get("/treatments/tms/fl/jacksonville/?page=9").status_code == 404
    assert client.get("/treatments/no-such-thing/fl/jacksonville/").status_code == 404
