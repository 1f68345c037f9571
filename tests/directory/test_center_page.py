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
from tests.html import without_styles

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
    assert "Accepting new patients" in html and "March 2, 2026" in html and "about 2 weeks" in html
    assert re.search(r"Last verified <time[^>]*>February 14, 2026</time> by website check · Source: Demo data", html)
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
    html = without_styles(unescape(client.get(closed.get_absolute_url()).content.decode()))
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


def test_the_center_page_ends_with_the_question_form_the_change_log_and_the_problem_report(client):
    center = make_center(name="Extension Clinic")
    response = client.get(center.get_absolute_url())
    assert response.status_code == 200
    html = unescape(response.content.decode())
    sections = ["Ask Extension Clinic a question", "Changes to this listing", "Report a problem with this listing"]
    positions = [html.find(heading) for heading in sections]
    assert -1 not in positions, dict(zip(sections, positions, strict=True))
    assert positions == sorted(positions) and html.index('id="locations-heading"') < positions[0]
    assert "added to the directory" in html[positions[1] : positions[2]]
    # A closed center takes no questions, but its listing can still be reported.
    center.status = Center.Status.CLOSED
    center.save()
    html = unescape(client.get(center.get_absolute_url()).content.decode())
    assert "Ask Extension Clinic a question" not in html and "Report a problem with this listing" in html


def test_a_center_known_only_from_samhsa_shows_what_the_directory_says_and_no_empty_section(client, tmp_path):
    from tests.directory.import_helpers import facility_row, run_import, write_directory

    row = facility_row(
        name1="Lakeshore Psychiatric Hospital",
        phone="800-555-0140",
        intake1="904-555-0141",
        intake2="904-555-0142 x3",
        service_code_info=(
            "MH SA * HI OP TELE * PSY * ARIPI HALOP * ECT CBT GT IPT EMDR * WI PEOFF * STG * MC MD PI SS PA SI CMHG "
            "* VET PTSD * ADLT SNR * SP AH FX * F4 F17 F28 F30 F31 F35 F36 * SMON * CM PEER SPS"
        ),
    )
    run_import(write_directory(tmp_path / "d.csv", [row]))
    center = Center.objects.get()
    html = unescape(client.get(center.get_absolute_url()).content.decode())
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    # Provenance in plain words, no claim of a check we did not make.
    assert "Source: SAMHSA National Directory 2022. Not yet checked by us: confirm details when you call." in text
    assert "Last verified" not in html
    # The intake line is the call button; the other intake line and the main number are tappable too.
    assert 'class="btn btn-primary btn-lg w-100 btn-call" href="tel:+19045550141">Call (904) 555-0141' in html
    assert 'href="tel:+19045550142,3">(904) 555-0142 ext. 3</a>' in html
    assert 'Main number: <a href="tel:+18005550140">(800) 555-0140</a>' in html
    # At a glance: crisis services, telehealth, help paying.
    glance = re.search(r'<ul class="glance[^>]*>(.*?)</ul>', html, re.DOTALL).group(1)
    assert re.findall(r"<li>(.*?)</li>", glance) == [
        "Walk-in crisis care", "Mobile crisis team", "Telehealth visits", "Sliding fee scale",
        "Help paying (payment assistance)",
    ]  # fmt: skip
    # Treatments we map, then the directory's other therapies in plain words.
    assert "Electroconvulsive therapy (ECT)" in html and "Cognitive behavioral therapy (CBT)" in html
    assert "Also listed Substance use treatment · Group therapy · Individual psychotherapy · EMDR therapy" in text
    assert '<ul class="offer-details">' not in html  # no empty detail lists under treatments
    # The facts it has, a long list folded after six, and the codes that matter to a patient.
    assert (
        "<dt>Languages besides English</dt><dd>Spanish, American Sign Language (ASL), Arabic, Chinese, French, German"
        '<details class="facts-more"><summary>and 4 more</summary>Greek, Hebrew, Hindi, Other languages</details></dd>'
    ) in html
    assert "<dt>Type of facility</dt><dd>Psychiatric hospital, Run by a state government</dd>" in html
    assert "<dt>Programs for</dt><dd>Veterans, People with PTSD</dd>" in html
    assert "<dt>Other payment accepted</dt><dd>State health insurance plans other than Medicaid</dd>" in html
    assert "<dt>Medications listed</dt><dd>Aripiprazole</dd>" in html
    assert "Peer support and mentoring" in html
    # Nothing empty or unknown is shown as if it were information.
    for absent in ("Not listed", "None listed", "Hours:", "Typical wait", "Wheelchair", 'id="about-heading"',
                   "Haloperidol", "Smoking", "Block Grant"):  # fmt: skip
        assert absent not in html, absent


def test_a_section_with_nothing_in_it_is_left_out(client):
    bare = make_center(name="Bare Listing", treatments=())
    html = without_styles(unescape(client.get(bare.get_absolute_url()).content.decode()))
    assert "This listing names no treatments yet. Call the center to ask." in html
    assert 'id="care-heading"' not in html and 'id="facility-heading"' not in html and "glance" not in html
    assert 'id="locations-heading"' in html and "Call (904) 555-0100" in html  # positive control
