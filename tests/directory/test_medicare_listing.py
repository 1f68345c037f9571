"""The listing, its filter `evidence=medicare` and the JSON API carry the Medicare claims evidence."""

import csv
import html
import re
from io import StringIO

import pytest

from directory.models import Center
from tests.directory.medicare_helpers import claim_row, organization_row, run_medicare, write_claims
from tests.factories import make_center

pytestmark = pytest.mark.django_db

FILE_2023 = "MUP_PHY_R25_P05_V20_D23_Prov_Svc.csv"
FILE_2024 = "MUP_PHY_R26_P05_V20_D24_Prov_Svc.csv"


def text_of(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def billed(tmp_path):
    """An esketamine and TMS practice in Jacksonville (2023 and 2024), next to a center with no claims."""
    rows = [
        organization_row("Seabreeze Neuromodulation", HCPCS_Cd="G2082"),
        claim_row(HCPCS_Cd="G2083"),
        claim_row(HCPCS_Cd="90868"),
    ]
    run_medicare(write_claims(tmp_path / FILE_2023, rows[:2]))
    run_medicare(write_claims(tmp_path / FILE_2024, rows))
    plain = make_center(name="Plain Jacksonville Clinic", zip_code="32224", treatments=("tms", "esketamine"))
    return Center.objects.get(source__startswith="Medicare"), plain


def test_a_search_near_a_city_finds_the_practice_with_its_evidence_line(client, billed):
    practice, plain = billed

    response = client.get("/centers/", {"near": "Jacksonville, FL", "treatment": "esketamine"})

    text = text_of(response)
    assert practice.name in text and plain.name in text
    card = text.split(practice.name)[1]
    assert "Billed Medicare for esketamine (Spravato) in 2024: 1 clinician here." in card
    assert "Billed Medicare for TMS in 2024: 1 clinician here." in card
    assert "in 2023" not in card  # a card shows each treatment's newest year; the page shows them all


def test_the_evidence_filter_keeps_only_centers_with_medicare_claims(client, billed):
    practice, plain = billed

    for params in (
        {"evidence": "medicare", "near": "32224"},
        {"evidence": "medicare", "near": "32224", "treatment": "tms"},
    ):
        response = client.get("/centers/", params)
        text = text_of(response)
        assert practice.name in text, params
        assert plain.name not in text, params
        assert "Billed Medicare for TMS, ECT or esketamine" in text  # the chip that removes the filter

    assert 'name="evidence" value="medicare" id="search-evidence" checked' in response.content.decode()


def test_an_unknown_evidence_value_is_reported_and_ignored(client, billed):
    practice, plain = billed

    response = client.get("/centers/", {"evidence": "rumour", "near": "32224"})

    assert response.status_code == 200
    text = text_of(response)
    assert "use evidence=medicare" in text
    assert practice.name in text and plain.name in text


def test_the_api_carries_the_evidence_and_filters_by_it(client, billed):
    practice, _plain = billed

    data = client.get("/api/centers/", {"evidence": "medicare"}).json()

    assert [result["slug"] for result in data["results"]] == [practice.slug]
    assert data["results"][0]["medicare_evidence"] == [
        {"treatment": "tms", "year": 2024, "clinicians": 1, "practices": 0},
        {"treatment": "esketamine", "year": 2024, "clinicians": 1, "practices": 1},
        {"treatment": "esketamine", "year": 2023, "clinicians": 1, "practices": 1},
    ]
    detail = client.get(f"/api/centers/{practice.slug}/").json()
    assert detail["medicare_evidence"] == data["results"][0]["medicare_evidence"]
    assert client.get("/api/centers/", {"evidence": "yes"}).status_code == 400


def test_hsds_carries_the_evidence_as_attributes_of_the_service(client, billed, tmp_path):
    import frictionless
    from django.core.management import call_command

    from tests.directory.hsds.schemas import assert_valid

    practice, _plain = billed
    listed = client.get("/api/hsds/services", {"search": "Seabreeze"}).json()["contents"]
    service = client.get(f"/api/hsds/services/{listed[0]['id']}").json()
    assert_valid(service, "compiled/service.json")
    evidence = sorted(
        (attribute["taxonomy_term"]["code"], attribute["value"])
        for attribute in service["attributes"]
        if attribute.get("link_type") == "medicare_claims_evidence"
    )
    assert evidence == [
        (
            "esketamine",
            "Billed Medicare for esketamine (Spravato) in 2023: 1 clinician here. "
            "Source: CMS, Medicare Physician & Other Practitioners: by Provider and Service, 2023.",
        ),
        (
            "esketamine",
            "Billed Medicare for esketamine (Spravato) in 2024: 1 clinician here. "
            "Source: CMS, Medicare Physician & Other Practitioners: by Provider and Service, 2024.",
        ),
        (
            "tms",
            "Billed Medicare for TMS in 2024: 1 clinician here. "
            "Source: CMS, Medicare Physician & Other Practitioners: by Provider and Service, 2024.",
        ),
    ]

    call_command("export_hsds", str(tmp_path / "hsds"), stdout=StringIO())
    report = frictionless.validate(str(tmp_path / "hsds" / "datapackage.json"))
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])
    with open(tmp_path / "hsds" / "attributes.csv", encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["link_type"] == "medicare_claims_evidence"]
    assert len(rows) == 3
