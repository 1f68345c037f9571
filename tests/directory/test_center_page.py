"""/centers/<slug>/: everything a patient needs before calling."""

import json
import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest

from directory.models import Center, CenterTreatment, Location, Treatment
from tests.directory.conftest import center_with
from tests.factories import make_center

pytestmark = pytest.mark.django_db


def json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    assert match, "no JSON-LD"
    return json.loads(match.group(1))


@pytest.fixture
def full_center(db):
    center = center_with(
        name="Riverbend Detail Center",
        treatments=(),
        settings_=("outpatient", "telehealth"),
        payments=("medicare", "self-pay"),
        ages=("adults", "seniors"),
        languages=("spanish",),
        phone="(904) 555-0101",
        website="https://riverbend.example.org/",
        description="A calm clinic by the river.",
        accepting_new_patients="yes",
        accepting_checked_on=date(2026, 3, 2),
        typical_wait="about 2 weeks",
        last_verified_on=date(2026, 2, 14),
        verification_method="website",
        source="Demo data (fictional)",
    )
    tms = Treatment.objects.get(slug="tms")
    CenterTreatment.objects.create(center=center, treatment=tms, tms_variant="accelerated",
                                   self_pay_price=Decimal("12000"), price_unit="full course",
                                   prior_authorization_help=True)  # fmt: skip
    CenterTreatment.objects.create(center=center, treatment=Treatment.objects.get(slug="esketamine"),
                                   spravato_rems_certified=True)  # fmt: skip
    location = center.locations.get()
    location.phone, location.hours, location.wheelchair_accessible = "(904) 555-0199", "Mon-Fri 8am-5pm", True
    location.save()
    center.crisis_services.set([])
    return center


def test_the_center_page_shows_treatments_details_access_contact_and_provenance(client, full_center):
    html = unescape(client.get(full_center.get_absolute_url()).content.decode())
    assert "<h1" in html and "Riverbend Detail Center" in html
    assert "Accelerated theta-burst" in html and "Self-pay $12,000 full course" in html
    assert "Helps with insurance prior authorization" in html and "REMS-certified for Spravato" in html
    assert "Outpatient" in html and "Telehealth" in html and "Medicare" in html and "Spanish" in html
    assert 'href="tel:+19045550101"' in html and 'href="tel:+19045550199"' in html
    assert "Hours: Mon-Fri 8am-5pm" in html and "Wheelchair accessible" in html
    assert "google.com/maps/dir/?api=1&destination=" in html
    assert "Accepting new patients" in html and "Mar 2, 2026" in html and "about 2 weeks" in html
    assert re.search(r"Last verified <time[^>]*>Feb 14, 2026</time> by website check · Source: Demo data", html)
    assert "Center page extensions" not in html  # the marker for other features is a template comment


def test_an_unverified_center_says_so(client):
    center = make_center()
    assert "Not yet verified" in client.get(center.get_absolute_url()).content.decode()


def test_json_ld_describes_the_clinic_with_its_address_and_parses(client, full_center):
    data = json_ld(client.get(full_center.get_absolute_url()).content.decode())
    assert data["@context"] == "https://schema.org" and data["@type"] == "MedicalClinic"
    assert data["name"] == "Riverbend Detail Center" and data["telephone"] == "(904) 555-0101"
    assert data["address"]["@type"] == "PostalAddress"
    assert data["address"]["addressLocality"] == "Jacksonville" and data["address"]["addressRegion"] == "FL"
    assert data["address"]["postalCode"] == "32207" and data["address"]["addressCountry"] == "US"
    assert data["url"] == "http://testserver" + full_center.get_absolute_url()
    assert {service["name"] for service in data["availableService"]} == {
        "Transcranial magnetic stimulation (TMS)", "Esketamine nasal spray (Spravato)",
    }  # fmt: skip


def test_json_ld_cannot_be_broken_out_of(client):
    center = make_center(name="</script><script>alert(1)</script> & Co")
    html = client.get(center.get_absolute_url()).content.decode()
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL).group(1)
    assert "<" not in script and ">" not in script and "&" not in script
    assert json.loads(script)["name"] == "</script><script>alert(1)</script> & Co"


def test_a_center_with_several_locations_lists_each_and_describes_each_address(client):
    center = make_center(name="Two Places")
    Location.objects.create(center=center, label="North office", street1="9 North Road", city="Orlando", state="FL",
                            zip="32803", latitude=28.55, longitude=-81.35, sort_order=1)  # fmt: skip
    html = client.get(center.get_absolute_url()).content.decode()
    assert "9 North Road" in html and "North office" in html and "Locations" in html
    assert [address["addressLocality"] for address in json_ld(html)["address"]] == ["Jacksonville", "Orlando"]


def test_a_closed_center_says_so_links_to_nearby_alternatives_and_offers_no_call_button(client):
    closed = make_center(name="Shut Clinic", status=Center.Status.CLOSED, treatments=("tms", "ketamine"))
    html = unescape(client.get(closed.get_absolute_url()).content.decode())
    assert "This center has closed." in html
    alternatives = re.search(r'href="([^"]+)">Find centers nearby offering the same treatments', html).group(1)
    assert alternatives == "/centers/?near=32207&treatment=tms&treatment=ketamine"
    assert "btn-call" not in html and 'content="noindex"' in html and "application/ld+json" not in html
    assert client.get(alternatives).status_code == 200


def test_a_draft_center_is_not_found(client):
    draft = make_center(status=Center.Status.DRAFT)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 404
    assert b'href="tel:988"' in response.content
    assert client.get(f"/api/centers/{draft.slug}/").status_code == 404


def test_the_center_page_leaves_a_marked_place_for_inquiry_report_and_change_log(settings):
    template = (settings.BASE_DIR / "templates/directory/center_detail.html").read_text()
    start = template.index("Center page extensions")
    assert template.index("End of center page extensions") > start
    assert template.index("{% endblock %}", start) > start
