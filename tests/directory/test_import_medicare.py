"""`manage.py import_medicare`: Medicare claims evidence (CMS's by Provider and Service file) into centers."""

import csv

import pytest
from django.core.management import CommandError

from directory.medicare.reading import COLUMNS
from directory.models import Center, ImportRun, MedicareBilling
from tests.directory.import_helpers import facility_row, run_import, write_directory
from tests.directory.medicare_helpers import claim_row, organization_row, run_medicare, write_claims

pytestmark = pytest.mark.django_db

FILE_2023 = "MUP_PHY_R25_P05_V20_D23_Prov_Svc.csv"
FILE_2024 = "MUP_PHY_R26_P05_V20_D24_Prov_Svc.csv"


def read_csv(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def treatments_of(center: Center) -> set[str]:
    return set(center.treatments.values_list("slug", flat=True))


def test_every_mapped_code_becomes_its_treatment_and_other_codes_are_skipped(tmp_path):
    street = {"Rndrng_Prvdr_St1": "12 Ortega Boulevard", "Rndrng_Prvdr_Zip5": "32210"}
    mapped = [claim_row(HCPCS_Cd=code, **street) for code in ("90867", "90868", "90869", "90870", "G2082", "G2083")]
    # Office visits, VNS programming (mostly epilepsy) and medication management are not evidence.
    unmapped = [claim_row(HCPCS_Cd=code, **street) for code in ("99214", "95976", "64568", "90863")]
    elsewhere = claim_row(HCPCS_Cd="99213", Rndrng_Prvdr_St1="1 Unrelated Way", Rndrng_Prvdr_Zip5="32207")
    path = write_claims(tmp_path / FILE_2023, [*unmapped[:2], *mapped, *unmapped[2:], elsewhere])

    output = run_medicare(path)

    assert "created 1, updated 0, unchanged 0" in output
    assert "kept 6 of 11 rows" in output
    center = Center.objects.get()
    assert treatments_of(center) == {"tms", "ect", "esketamine"}
    billings = MedicareBilling.objects.filter(center=center)
    assert {(b.treatment.slug, b.codes) for b in billings if b.npi == mapped[0]["Rndrng_NPI"]} == {("tms", "90867")}
    assert {b.codes for b in billings} == {"90867", "90868", "90869", "90870", "G2082", "G2083"}
    assert set(billings.values_list("year", flat=True)) == {2023}
    assert not Center.objects.filter(locations__zip="32207").exists()


def test_an_organization_and_its_clinicians_at_one_address_are_one_center_named_after_the_organization(tmp_path):
    address = {"Rndrng_Prvdr_Zip5": "32224", "Rndrng_Prvdr_Mdcr_Prtcptg_Ind": "N"}
    rows = [
        claim_row(Rndrng_Prvdr_St1="4400 San Pablo Road", Rndrng_Prvdr_Last_Org_Name="Okafor", **address),
        claim_row(
            Rndrng_Prvdr_St1="4400 SAN PABLO RD.",
            Rndrng_Prvdr_Last_Org_Name="Lindqvist",
            Rndrng_Prvdr_First_Name="Tove",
            Rndrng_Prvdr_MI="",
            Rndrng_Prvdr_Crdntls="D.O.",
            HCPCS_Cd="G2083",
            **address,
        ),
        organization_row(
            "Seabreeze Neuromodulation, P.A.",
            Rndrng_Prvdr_St1="4400 San Pablo Rd",
            Rndrng_Prvdr_St2="Suite 310",
            Rndrng_Prvdr_Mdcr_Prtcptg_Ind="Y",
            **{k: v for k, v in address.items() if k != "Rndrng_Prvdr_Mdcr_Prtcptg_Ind"},
        ),
    ]
    run_medicare(write_claims(tmp_path / FILE_2023, rows))

    center = Center.objects.get()
    assert center.name == "Seabreeze Neuromodulation, P.A."
    assert center.status == Center.Status.PUBLISHED
    assert center.source == "Medicare claims 2023"
    assert center.last_verified_on is None
    assert center.phone == ""
    assert set(center.payment_options.values_list("slug", flat=True)) == {"medicare"}  # one biller takes assignment
    assert set(center.medicare_billings.values_list("npi", flat=True)) == {row["Rndrng_NPI"] for row in rows}
    names = set(center.medicare_billings.values_list("name", "credentials"))
    assert ("Tove Lindqvist", "D.O.") in names
    assert ("Seabreeze Neuromodulation, P.A.", "") in names
    location = center.locations.get()
    assert (location.city, location.state, location.zip) == ("Jacksonville", "FL", "32224")
    assert location.latitude == pytest.approx(30.27, abs=0.1)  # geocoded by ZIP, offline
    assert location.longitude == pytest.approx(-81.4, abs=0.15)


def test_clinicians_alone_name_the_center_after_a_clinician_with_credentials_and_no_medicare_when_not_participating(
    tmp_path,
):
    rows = [
        claim_row(
            Rndrng_Prvdr_Last_Org_Name="Haddad",
            Rndrng_Prvdr_First_Name="Samir",
            Rndrng_Prvdr_MI="J",
            Rndrng_Prvdr_Crdntls="M.D., Ph.D.",
            Rndrng_Prvdr_Mdcr_Prtcptg_Ind="N",
        )
    ]
    run_medicare(write_claims(tmp_path / FILE_2023, rows))

    center = Center.objects.get()
    assert center.name == "Samir J. Haddad, M.D., Ph.D."
    assert not center.payment_options.exists()


def test_a_practice_at_a_samhsa_centers_address_adds_evidence_to_that_center_instead_of_a_duplicate(tmp_path):
    run_import(
        write_directory(
            tmp_path / "directory.csv",
            [facility_row(name1="Riverside Mood Clinic", street1="801 Riverside Avenue", zip="32204")],
        )
    )
    samhsa_center = Center.objects.get()
    rows = [
        claim_row(Rndrng_Prvdr_St1="801 RIVERSIDE AVE", Rndrng_Prvdr_Zip5="32204", HCPCS_Cd="G2082"),
        claim_row(Rndrng_Prvdr_St1="801 Riverside Ave.", Rndrng_Prvdr_Zip5="32204", HCPCS_Cd="90868"),
    ]

    output = run_medicare(write_claims(tmp_path / FILE_2023, rows))

    assert "created 0, updated 1, unchanged 0" in output
    assert "matched 1 existing centers listed from other sources" in output
    center = Center.objects.get()
    assert center.pk == samhsa_center.pk
    assert center.name == "Riverside Mood Clinic"
    assert center.source == "SAMHSA National Directory 2022"  # the listing's own provenance stays
    assert treatments_of(center) == {"tms", "cbt", "esketamine"}
    assert center.medicare_billings.count() == 2
    # A later SAMHSA import keeps what the claims added.
    run_import(tmp_path / "directory.csv")
    assert "esketamine" in treatments_of(Center.objects.get())


def test_an_organization_billing_at_another_street_of_its_city_matches_the_center_of_that_name(tmp_path):
    from tests.factories import make_center

    center = make_center(name="Harbor TMS Center LLC", city="Jacksonville", zip_code="32207", treatments=())
    rows = [organization_row("HARBOR TMS CENTER, L.L.C.", Rndrng_Prvdr_St1="9 Other Street", Rndrng_Prvdr_Zip5="32207")]

    run_medicare(write_claims(tmp_path / FILE_2023, rows))

    assert Center.objects.get().pk == center.pk
    assert treatments_of(center) == {"tms"}


def test_the_same_file_twice_changes_nothing(tmp_path):
    rows = [claim_row(), organization_row("Ponte Vedra Brain Health"), claim_row(Rndrng_Prvdr_St1="77 Beach Blvd")]
    path = write_claims(tmp_path / FILE_2023, rows)
    run_medicare(path)
    before = (
        list(Center.objects.values_list("id", "name", "slug", "updated_at")),
        list(MedicareBilling.objects.values_list("id", "center_id", "npi", "year")),
        list(Center.history.values_list("history_id")),
    )

    output = run_medicare(path)

    assert output.splitlines()[0] == "created 0, updated 0, unchanged 2, merged 1, rejected 0"
    after = (
        list(Center.objects.values_list("id", "name", "slug", "updated_at")),
        list(MedicareBilling.objects.values_list("id", "center_id", "npi", "year")),
        list(Center.history.values_list("history_id")),
    )
    assert after == before
    assert ImportRun.objects.filter(source="Medicare claims 2023").count() == 2


def test_a_newer_year_adds_its_evidence_keeps_earlier_years_and_reports_centers_no_longer_billing(tmp_path):
    stays = claim_row(Rndrng_Prvdr_St1="10 Stays Road")
    stops = claim_row(Rndrng_Prvdr_St1="20 Stops Road")
    run_medicare(write_claims(tmp_path / FILE_2023, [stays, stops]))
    newcomer = claim_row(Rndrng_Prvdr_St1="10 Stays Rd", HCPCS_Cd="90870")

    output = run_medicare(write_claims(tmp_path / FILE_2024, [{**stays}, newcomer]), report_dir=tmp_path / "r24")

    assert "created 0, updated 1, unchanged 0" in output
    assert Center.objects.count() == 2  # nothing deleted
    staying = Center.objects.get(locations__street1="10 Stays Road")
    assert set(staying.medicare_billings.values_list("year", "treatment__slug", "npi")) == {
        (2023, "tms", stays["Rndrng_NPI"]),
        (2024, "tms", stays["Rndrng_NPI"]),
        (2024, "ect", newcomer["Rndrng_NPI"]),
    }
    stopped = Center.objects.get(locations__street1="20 Stops Road")
    assert stopped.status == Center.Status.PUBLISHED
    assert stopped.medicare_billings.get().year == 2023
    assert "1 centers billed Medicare for these treatments before 2024 but not in this file" in output
    assert [row["slug"] for row in read_csv(tmp_path / "r24" / "missing.csv")] == [stopped.slug]


def test_staff_edits_are_kept_by_a_later_import(tmp_path):
    row = claim_row(Rndrng_Prvdr_St1="5 Edited Lane", HCPCS_Cd="G2082")
    run_medicare(write_claims(tmp_path / FILE_2023, [row, claim_row(Rndrng_Prvdr_St1="5 Edited Lane")]))
    center = Center.objects.get()
    center.name = "Edited Lane Psychiatry"
    center.phone = "(904) 555-0199"
    center.save()
    center.treatment_details.filter(treatment__slug="esketamine").delete()  # staff: they stopped offering it

    run_medicare(write_claims(tmp_path / FILE_2024, [row, claim_row(Rndrng_Prvdr_St1="5 Edited Ln")]))

    center.refresh_from_db()
    assert (center.name, center.phone) == ("Edited Lane Psychiatry", "(904) 555-0199")
    assert treatments_of(center) == {"tms"}
    assert center.medicare_billings.filter(year=2024, treatment__slug="esketamine").exists()  # the evidence is kept


def test_a_file_missing_documented_columns_is_refused_naming_them(tmp_path):
    columns = [c for c in COLUMNS if c not in ("HCPCS_Cd", "Rndrng_Prvdr_Zip5")]
    path = write_claims(tmp_path / FILE_2023, [claim_row()], columns=columns)

    with pytest.raises(CommandError) as refused:
        run_medicare(path)

    assert "Rndrng_Prvdr_Zip5, HCPCS_Cd" in str(refused.value)
    assert not Center.objects.exists()
    assert not ImportRun.objects.exists()


def test_a_bad_zip_is_rejected_with_its_row_number_and_the_rest_is_imported(tmp_path):
    rows = [
        claim_row(HCPCS_Cd="99213"),
        claim_row(Rndrng_Prvdr_St1="1 Good Street"),
        claim_row(Rndrng_Prvdr_St1="2 Bad Street", Rndrng_Prvdr_Zip5="3220"),
        claim_row(Rndrng_Prvdr_St1="3 Unknown Street", Rndrng_Prvdr_Zip5="00000"),
        claim_row(Rndrng_Prvdr_St1="4 Good Street", Rndrng_Prvdr_Ent_Cd="X"),
    ]

    output = run_medicare(write_claims(tmp_path / FILE_2023, rows), report_dir=tmp_path / "report")

    assert "created 1, updated 0, unchanged 0, merged 0, rejected 3" in output
    assert "rejected row 4: ZIP '3220' is not 5 digits" in output
    assert "rejected row 5: ZIP '00000' is not a known US ZIP" in output
    assert "rejected row 6: entity code 'X'" in output
    rejects = read_csv(tmp_path / "report" / "rejects.csv")
    assert [(r["row"], r["Rndrng_Prvdr_St1"]) for r in rejects] == [
        ("4", "2 Bad Street"),
        ("5", "3 Unknown Street"),
        ("6", "4 Good Street"),
    ]
    assert set(rejects[0]) == {"row", "reason", *COLUMNS}
    summary = (tmp_path / "report" / "summary.txt").read_text()
    assert summary.startswith(f"{FILE_2023}: created 1, updated 0")


def test_suppressed_or_blank_counts_do_not_stop_a_row_being_evidence(tmp_path):
    rows = [
        claim_row(Tot_Benes="", Tot_Srvcs="", Avg_Mdcr_Pymt_Amt=""),
        claim_row(Tot_Benes="*", Tot_Bene_Day_Srvcs="<11"),
    ]

    output = run_medicare(write_claims(tmp_path / FILE_2023, rows))

    assert "rejected 0" in output
    assert set(MedicareBilling.objects.values_list("npi", flat=True)) == {row["Rndrng_NPI"] for row in rows}


def test_quoted_fields_with_commas_are_read_whole(tmp_path):
    rows = [
        organization_row("Mind, Body & TMS, PLLC", Rndrng_Prvdr_St1="100 Main St, Building 2"),
        claim_row(Rndrng_Prvdr_St1="100 Main Street, Bldg 2", Rndrng_Prvdr_Crdntls="M.D., M.P.H."),
    ]
    path = write_claims(tmp_path / FILE_2023, rows)
    assert '"Mind, Body & TMS, PLLC"' in path.read_text()

    run_medicare(path)

    center = Center.objects.get()
    assert center.name == "Mind, Body & TMS, PLLC"
    assert center.locations.get().street1 == "100 Main St, Building 2"
    assert center.medicare_billings.get(is_organization=False).credentials == "M.D., M.P.H."


def test_the_year_comes_from_the_file_name_or_must_be_given(tmp_path):
    path = write_claims(tmp_path / "tms-claims.csv", [claim_row()])
    with pytest.raises(CommandError, match="--year"):
        run_medicare(path)

    run_medicare(path, "--year", "2022")

    assert Center.objects.get().source == "Medicare claims 2022"
    assert MedicareBilling.objects.get().year == 2022


def test_a_dry_run_writes_nothing(tmp_path):
    output = run_medicare(write_claims(tmp_path / FILE_2023, [claim_row()]), "--dry-run", report_dir=tmp_path / "dry")

    assert "created 1" in output
    assert "Dry run: nothing was written." in output
    assert not Center.objects.exists()
    assert not (tmp_path / "dry").exists()


def test_staff_find_the_evidence_in_the_admin_by_npi_and_cannot_edit_it(admin_client, tmp_path):
    row = claim_row(Rndrng_Prvdr_Last_Org_Name="Whitfield")
    other = claim_row(Rndrng_Prvdr_Last_Org_Name="Castillo", Rndrng_Prvdr_St1="1 Elsewhere Street")
    run_medicare(write_claims(tmp_path / FILE_2023, [row, other]))

    response = admin_client.get("/admin/directory/medicarebilling/", {"q": row["Rndrng_NPI"]})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Iris K. Whitfield" in page and "Castillo" not in page
    assert admin_client.get("/admin/directory/medicarebilling/add/").status_code == 403
