"""The center page shows Medicare claims evidence: a line per treatment and year, the clinicians
with links to their NPI Registry pages, and what to do when there is no phone number."""

import html
import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import Center
from tests.directory.medicare_helpers import claim_row, organization_row, run_medicare, write_claims

pytestmark = pytest.mark.django_db

FILE_2023 = "MUP_PHY_R25_P05_V20_D23_Prov_Svc.csv"
FILE_2024 = "MUP_PHY_R26_P05_V20_D24_Prov_Svc.csv"


def text_of(response) -> str:
    """The page's visible text, tags stripped and spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def imported(tmp_path):
    """A practice billing TMS in 2023 and 2024 and esketamine in 2024: an organization and three clinicians."""
    marlowe = claim_row(Rndrng_Prvdr_Last_Org_Name="Marlowe", Rndrng_Prvdr_First_Name="Iris", Rndrng_Prvdr_MI="K")
    okafor = claim_row(
        Rndrng_Prvdr_Last_Org_Name="Okafor",
        Rndrng_Prvdr_First_Name="Chidi",
        Rndrng_Prvdr_MI="",
        Rndrng_Prvdr_Crdntls="PMHNP-BC",
    )
    practice = organization_row("Seabreeze Neuromodulation, P.A.", HCPCS_Cd="G2083")
    run_medicare(write_claims(tmp_path / FILE_2023, [marlowe]))
    later = [marlowe, okafor, claim_row(HCPCS_Cd="90869"), practice]
    run_medicare(write_claims(tmp_path / FILE_2024, later))
    return {"marlowe": marlowe, "okafor": okafor, "practice": practice}


def test_the_page_says_who_billed_medicare_for_each_treatment_each_year_with_npi_registry_links(client, imported):
    center = Center.objects.get()

    response = client.get(center.get_absolute_url())

    text = text_of(response)
    assert "Billed Medicare for TMS in 2024: 3 clinicians here." in text
    assert "Billed Medicare for TMS in 2023: 1 clinician here." in text
    assert "Billed Medicare for esketamine (Spravato) in 2024, under the practice's own NPI." in text
    assert text.index("TMS in 2024") < text.index("TMS in 2023")
    page = response.content.decode()
    marlowe = imported["marlowe"]["Rndrng_NPI"]
    link = f'<a href="https://npiregistry.cms.hhs.gov/provider-view/{marlowe}" rel="noopener noreferrer">'
    assert f"{link}Iris K. Marlowe, M.D.</a>" in page
    okafor = imported["okafor"]["Rndrng_NPI"]
    assert f'provider-view/{okafor}" rel="noopener noreferrer">Chidi Okafor, PMHNP-BC</a>' in page
    assert f'provider-view/{imported["practice"]["Rndrng_NPI"]}"' in page
    # The amounts and counts in CMS's file are never shown, let alone as prices.
    for column in ("Avg_Sbmtd_Chrg", "Avg_Mdcr_Alowd_Amt", "Avg_Mdcr_Pymt_Amt", "Tot_Srvcs"):
        assert imported["marlowe"][column] not in text
    assert "$" not in text.split("Evidence from Medicare claims")[1].split("Location")[0]


def test_a_center_without_a_phone_says_so_and_offers_the_npi_registry_and_is_this_your_center(client, imported):
    center = Center.objects.get()
    assert center.phone == ""

    response = client.get(center.get_absolute_url())

    text = text_of(response)
    assert "We have no phone number for this center." in text
    assert "Is this your center? Send us its phone number" in text
    page = response.content.decode()
    assert f'href="/centers/{center.slug}/report/"' in page
    contact = page.split('id="contact-heading"')[1].split("</section>")[0]
    assert "https://npiregistry.cms.hhs.gov/provider-view/" in contact


def test_a_center_with_a_phone_and_no_claims_shows_neither(client, center):
    response = client.get(center.get_absolute_url())

    text = text_of(response)
    assert "Call (904) 555-0100" in text
    assert "We have no phone number" not in text
    assert "Evidence from Medicare claims" not in text


def test_the_evidence_costs_the_same_queries_however_many_clinicians_billed(client, tmp_path):
    run_medicare(write_claims(tmp_path / FILE_2023, [claim_row()]))
    center = Center.objects.get()
    url = center.get_absolute_url()
    client.get(url)  # warm the caches the page keeps
    caches["fragments"].clear()  # but draw the page again: both counts are of a page drawn afresh
    with CaptureQueriesContext(connection) as few:
        client.get(url)

    run_medicare(
        write_claims(tmp_path / FILE_2024, [claim_row(HCPCS_Cd=code) for code in ("90867", "90870", "G2082") * 4])
    )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert "Billed Medicare for ECT in 2024: 4 clinicians here." in text_of(response)
    assert len(many) == len(few)


def test_the_spanish_page_gives_the_evidence_and_the_missing_phone_in_spanish(client, imported):
    center = Center.objects.get()

    response = client.get(f"/es{center.get_absolute_url()}")

    text = text_of(response)
    assert "Facturación a Medicare" in text
    assert "Facturaron a Medicare por EMT en 2024: 3 profesionales aquí." in text
    assert "Facturó a Medicare por EMT en 2023: 1 profesional aquí." in text
    assert "Se facturó a Medicare por esketamina (Spravato) en 2024 con el NPI del propio consultorio." in text
    assert "No tenemos un número de teléfono de este centro." in text
    assert "Billed Medicare" not in text
