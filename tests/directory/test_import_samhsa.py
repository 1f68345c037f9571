"""`manage.py import_samhsa`: SAMHSA's national directory into our centers."""

import csv
import io
import uuid
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from directory.importers import writing
from directory.models import CareSetting, Center, Location, PaymentOption, Treatment
from tests.directory.import_helpers import facility_row, run_import, write_directory
from tests.factories import make_center

pytestmark = pytest.mark.django_db


def read_csv(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def slugs(manager) -> set[str]:
    return set(manager.values_list("slug", flat=True))


def test_every_mapped_code_lands_on_its_lookup_and_every_raw_code_is_kept(tmp_path):
    codes = (
        "MH * HI OP RES PHDT * TMS KIT ECT CBT DBT IPT TELE * MC MD PI MI SF VAF * SS PA * CHLD YAD ADLT SNR "
        "* SP AH NX FX * F4 F17 F19 F25 F28 F30 F31 F35 F36 F37 F42 F43 F47 F66 F67 F70 F81 F92 N24 N40 "
        "* WI CIT PEON PEOFF * SPS CM"
    )
    path = write_directory(
        tmp_path / "directory.csv", [facility_row(name1="Every Code Center", service_code_info=codes)]
    )
    run_import(path)
    center = Center.objects.get(name="Every Code Center")
    assert slugs(center.treatments) == {"tms", "ketamine", "ect", "cbt", "dbt"}  # IPT is not interpersonal therapy
    assert slugs(center.care_settings) == {
        "inpatient",
        "outpatient",
        "residential",
        "partial-hospitalization",
        "telehealth",
    }
    assert slugs(center.payment_options) == {
        "medicare",
        "medicaid",
        "private-insurance",
        "military-insurance",
        "self-pay",
        "va",
        "sliding-fee",
        "payment-assistance",
    }
    assert slugs(center.age_groups) == {"children", "young-adults", "adults", "seniors"}
    assert slugs(center.languages) == {
        "spanish",
        "asl",
        "native-american-languages",
        "other-languages",
        "arabic",
        "chinese",
        "haitian-creole",
        "farsi",
        "french",
        "german",
        "greek",
        "hebrew",
        "hindi",
        "hmong",
        "italian",
        "japanese",
        "korean",
        "polish",
        "portuguese",
        "russian",
        "tagalog",
        "vietnamese",
        "ojibwa",
        "yupik",
    }
    assert slugs(center.crisis_services) == {
        "walk-in",
        "crisis-intervention-team",
        "emergency-onsite",
        "mobile-crisis",
        "suicide-prevention",
    }
    assert center.source_codes == codes


def test_samhsa_ipt_individual_psychotherapy_is_not_interpersonal_therapy(tmp_path):
    path = write_directory(tmp_path / "d.csv", [facility_row(name1="Talk Clinic", service_code_info="MH * IPT")])
    run_import(path)
    center = Center.objects.get(name="Talk Clinic")
    assert not center.treatments.filter(slug="ipt").exists()
    assert "IPT" in center.source_codes


def test_imported_center_is_published_with_its_source_but_not_verified_and_has_a_public_page(client, tmp_path):
    row = facility_row(name1="Harbor Light Clinic", phone="904-555-0142", zip="32207")
    output = run_import(write_directory(tmp_path / "d.csv", [row]))
    assert "created 1, updated 0, unchanged 0, merged 0, rejected 0" in output
    center = Center.objects.get(name="Harbor Light Clinic")
    assert center.status == Center.Status.PUBLISHED
    assert center.source == "SAMHSA National Directory 2022"
    assert center.source_key == f"harbor light clinic||{row['street1'].lower()}|32207"
    assert center.last_verified_on is None and center.verification_method == "" and center.verified_by is None
    assert center.created_at is not None and center.accepting_new_patients == Center.Accepting.UNKNOWN
    assert isinstance(center.public_id, uuid.UUID) and center.public_id != make_center().public_id
    location = center.locations.get()
    assert (location.city, location.state, location.zip, location.city_slug) == (
        "Jacksonville",
        "FL",
        "32207",
        "jacksonville",
    )
    assert location.latitude == pytest.approx(30.29, abs=0.1) and location.longitude == pytest.approx(-81.64, abs=0.1)
    page = client.get(center.get_absolute_url())
    assert page.status_code == 200
    assert b"Harbor Light Clinic" in page.content and b"(904) 555-0142" in page.content
    assert client.get("/centers/fl/jacksonville/").content.count(b"Harbor Light Clinic") == 1


def test_rows_repeating_an_identity_merge_into_one_center_with_the_union_of_codes(tmp_path):
    first = facility_row(name1="Cedar Point Health", name2="Adult Services", street1="12 Oak Street", zip="32204")
    first["service_code_info"] = "MH * OP * TMS * ADLT"
    repeat = dict(first, name1="  CEDAR   point health ", name2="adult services ", street1="12  OAK STREET")
    repeat["service_code_info"] = "MH * HI * ECT * SNR"
    other = facility_row()
    output = run_import(write_directory(tmp_path / "d.csv", [first, repeat, other]))
    assert "created 2, updated 0, unchanged 0, merged 1, rejected 0" in output
    center = Center.objects.get(source_key="cedar point health|adult services|12 oak street|32204")
    assert center.name == "Cedar Point Health - Adult Services"
    assert slugs(center.treatments) == {"tms", "ect"}
    assert slugs(center.care_settings) == {"outpatient", "inpatient"}
    assert slugs(center.age_groups) == {"adults", "seniors"}
    assert "TMS" in center.source_codes and "ECT" in center.source_codes


def test_names_are_built_readably_from_name1_and_name2_whatever_their_spacing(tmp_path):
    rows = [
        facility_row(name1="  Bayview   Behavioral Health  ", name2=""),
        facility_row(name1="Northwood Health Systems", name2=" Weirton  Outpatient Clinic"),
        facility_row(name1="Personal Enrichment Through", name2="Mental Health Services"),
        facility_row(name1="Lakeside Clinic", name2="Lakeside Clinic"),
    ]
    run_import(write_directory(tmp_path / "d.csv", rows))
    assert set(Center.objects.values_list("name", flat=True)) == {
        "Bayview Behavioral Health",
        "Northwood Health Systems - Weirton Outpatient Clinic",
        "Personal Enrichment Through Mental Health Services",
        "Lakeside Clinic",
    }


def test_phones_are_normalized_and_extensions_kept(tmp_path):
    rows = [
        facility_row(name1="Extension Clinic", phone="904-555-0100 x123", intake1="904-555-0199 x7"),
        facility_row(name1="Plain Clinic", phone="9045550101", intake1="9045550101"),
        facility_row(name1="Vanity Clinic", phone="", intake1a="800-555HOPE"),
    ]
    run_import(write_directory(tmp_path / "d.csv", rows))
    extension = Center.objects.get(name="Extension Clinic")
    assert extension.phone == "(904) 555-0100 ext. 123"
    assert extension.intake_phone_list == ["(904) 555-0199 ext. 7"]
    plain = Center.objects.get(name="Plain Clinic")
    assert plain.phone == "(904) 555-0101" and plain.intake_phones == ""  # the intake line is the main number
    assert Center.objects.get(name="Vanity Clinic").phone == "(800) 555-4673"
    assert not Location.objects.exclude(phone="").exists()  # the directory has no phone of a location's own


def test_both_intake_lines_are_kept_once_each_whatever_their_spelling(tmp_path):
    row = facility_row(
        name1="Two Lines Clinic",
        phone="904-555-0100",
        intake1="844-555-4673",
        intake2="904-555-0177",
        intake1a="844-555HOPE",  # the first line again, in letters
        intake2a="904-555-0100",  # the main number again
    )
    run_import(write_directory(tmp_path / "d.csv", [row]))
    assert Center.objects.get().intake_phone_list == ["(844) 555-4673", "(904) 555-0177"]


@pytest.mark.parametrize(
    ("zip_code", "state", "latitude"),
    [("00901", "PR", 18.47), ("96910", "GU", 13.48), ("00802", "VI", 18.34), ("96799", "AS", -14.27)],
)
def test_a_territory_zip_is_geocoded_like_any_other(tmp_path, zip_code, state, latitude):
    row = facility_row(name1="Island Clinic", city="Somewhere", state=state, zip=zip_code)
    output = run_import(write_directory(tmp_path / "d.csv", [row]))
    assert "created 1" in output and "rejected 0" in output
    location = Center.objects.get(name="Island Clinic").locations.get()
    assert location.state == state
    assert location.latitude == pytest.approx(latitude, abs=0.05)


def test_a_zip_that_lost_its_leading_zero_in_a_spreadsheet_is_mended(tmp_path):
    run_import(write_directory(tmp_path / "d.csv", [facility_row(name1="Boston Clinic", state="MA", zip="2115")]))
    assert Center.objects.get(name="Boston Clinic").locations.get().zip == "02115"


def test_an_unknown_zip_in_a_known_city_is_placed_at_the_city_and_reported(tmp_path):
    row = facility_row(name1="Misprint Clinic", city="Jacksonville", state="FL", zip="00000")
    output = run_import(write_directory(tmp_path / "d.csv", [row]), report_dir=tmp_path / "report")
    assert "created 1, updated 0, unchanged 0, merged 0, rejected 0" in output
    location = Center.objects.get(name="Misprint Clinic").locations.get()
    assert location.city == "Jacksonville" and location.latitude == pytest.approx(30.3, abs=0.3)
    warnings = read_csv(tmp_path / "report" / "warnings.csv")
    assert warnings == [
        {
            "row": "2",
            "warning": "ZIP '00000' is not a known US ZIP: placed at the centre of Jacksonville, FL",
            "name": "Misprint Clinic",
        }
    ]


def test_a_street_of_dashes_is_no_address_and_the_card_shows_the_city_alone(client, tmp_path):
    # The 2022 directory has a facility whose street is "- - -": a card printed "- - -, New York, NY".
    rows = [facility_row(name1="Dashes Clinic", street1="- - -", street2="."), facility_row(name1="Street Clinic")]
    run_import(write_directory(tmp_path / "d.csv", rows), report_dir=tmp_path / "report")
    location = Center.objects.get(name="Dashes Clinic").locations.get()
    assert (location.street1, location.street2) == ("", "")
    assert Center.objects.get(name="Street Clinic").locations.get().street1 != ""
    warnings = read_csv(tmp_path / "report" / "warnings.csv")
    assert {"row": "2", "warning": "street1 '- - -' is no address", "name": "Dashes Clinic"} in warnings
    html = client.get("/centers/?near=32207&radius=25").content.decode()
    assert "Dashes Clinic" in html and "- - -" not in html
    assert '<p class="center-card-address">Jacksonville, FL 32204</p>' in html
    page = client.get(f"/centers/{Center.objects.get(name='Dashes Clinic').slug}/").content.decode()
    assert '<p class="center-page-address mb-2">Jacksonville, FL 32204' in page
    assert '<address class="mb-1">Jacksonville, FL 32204</address>' in page


def test_rows_that_cannot_be_placed_or_named_are_rejected_with_row_number_and_reason(tmp_path):
    rows = [
        facility_row(name1="Good Clinic"),
        facility_row(name1="Nowhere Clinic", city="Nowhereville", state="FL", zip="99999"),
        facility_row(name1="  ", name2=""),
        facility_row(name1="Another Good Clinic"),
    ]
    output = run_import(write_directory(tmp_path / "d.csv", rows), report_dir=tmp_path / "report")
    assert "created 2, updated 0, unchanged 0, merged 0, rejected 2" in output
    assert "rejected row 3: ZIP '99999' is not a known US ZIP and Nowhereville, FL is not a known city" in output
    assert "rejected row 4: empty name (name1 and name2 are blank)" in output
    rejects = read_csv(tmp_path / "report" / "rejects.csv")
    assert [(r["row"], r["name1"].strip(), r["zip"]) for r in rejects] == [
        ("3", "Nowhere Clinic", "99999"),
        ("4", "", "32204"),
    ]
    assert rejects[0]["reason"].startswith("ZIP '99999' is not a known US ZIP")
    assert set(Center.objects.values_list("name", flat=True)) == {"Good Clinic", "Another Good Clinic"}


def test_an_unknown_code_is_imported_kept_and_reported(tmp_path):
    row = facility_row(name1="New Code Clinic", service_code_info="MH * TMS ZZZ9 * ADLT")
    output = run_import(write_directory(tmp_path / "d.csv", [row]), report_dir=tmp_path / "report")
    assert "created 1, updated 0, unchanged 0, merged 0, rejected 0" in output
    center = Center.objects.get(name="New Code Clinic")
    assert "ZZZ9" in center.source_codes and slugs(center.treatments) == {"tms"}
    warnings = (tmp_path / "report" / "warnings.csv").read_text()
    assert "unknown service code(s) ZZZ9" in warnings


def test_a_rerun_of_the_same_file_creates_and_changes_nothing(tmp_path):
    path = write_directory(tmp_path / "d.csv", [facility_row(), facility_row(), facility_row(name2="Branch")])
    run_import(path)
    before = list(Center.objects.order_by("id").values("id", "slug", "updated_at", "public_id", "source_snapshot"))
    output = run_import(path)
    assert output.splitlines()[0] == "created 0, updated 0, unchanged 3, merged 0, rejected 0"
    assert (
        list(Center.objects.order_by("id").values("id", "slug", "updated_at", "public_id", "source_snapshot")) == before
    )


def test_a_newer_file_updates_a_changed_phone(tmp_path):
    row, other = facility_row(name1="Phone Change Clinic", phone="904-555-0100"), facility_row()
    run_import(write_directory(tmp_path / "2022.csv", [row, other]))
    output = run_import(write_directory(tmp_path / "2023.csv", [dict(row, phone="904-555-0177 x12"), other]))
    assert output.splitlines()[0] == "created 0, updated 1, unchanged 1, merged 0, rejected 0"
    assert "staff edits" not in output
    assert Center.objects.get(name="Phone Change Clinic").phone == "(904) 555-0177 ext. 12"


def test_a_staff_edit_survives_a_reimport_that_changes_the_same_field(tmp_path):
    row = facility_row(name1="Staff Edit Clinic", phone="904-555-0100", service_code_info="MH * TMS * ADLT")
    run_import(write_directory(tmp_path / "2022.csv", [row]))
    center = Center.objects.get(name="Staff Edit Clinic")
    center.phone = "(904) 555-0123"  # staff called and found the direct line
    center.save()
    center.treatments.add(Treatment.objects.get(slug="esketamine"))  # and learned of Spravato

    newer = dict(row, phone="904-555-0199", street2="Suite 5", service_code_info="MH * TMS KIT * ADLT")
    output = run_import(write_directory(tmp_path / "2023.csv", [newer]))
    assert "created 0, updated 1, unchanged 0, merged 0, rejected 0" in output
    assert "kept 2 staff edits" in output
    center.refresh_from_db()
    assert center.phone == "(904) 555-0123"
    assert center.locations.get().street2 == "Suite 5"  # the source's own change goes in
    assert slugs(center.treatments) == {"tms", "ketamine", "esketamine"}


def test_a_treatment_the_source_drops_is_removed_unless_staff_described_it(tmp_path):
    row = facility_row(name1="Dropping Clinic", service_code_info="MH * TMS ECT KIT")
    run_import(write_directory(tmp_path / "2022.csv", [row]))
    center = Center.objects.get(name="Dropping Clinic")
    center.treatment_details.filter(treatment__slug="tms").update(tms_variant="deep")
    run_import(write_directory(tmp_path / "2023.csv", [dict(row, service_code_info="MH * KIT")]))
    assert slugs(center.treatments) == {"ketamine", "tms"}  # ECT dropped; TMS kept for its staff-entered details


def test_lookups_staff_removed_stay_removed_through_every_reimport(tmp_path, admin_client, client):
    from django.urls import reverse

    from tests.directory.conftest import api_names
    from tests.directory.outreach_helpers import admin_form_data

    row = facility_row(name1="Edited Clinic", service_code_info="MH * OP TELE * TMS * MC MD * ADLT * SP")
    run_import(write_directory(tmp_path / "2022.csv", [row]))
    center = Center.objects.get(name="Edited Clinic")
    assert api_names(client, "payment=medicare") == ["Edited Clinic"]
    # Staff learn the clinic stopped taking Medicare, and has no Spanish-speaking staff or telehealth.
    url = reverse("admin:directory_center_change", args=[center.pk])
    data = admin_form_data(admin_client.get(url))
    data["payment_options"] = [str(PaymentOption.objects.get(slug="medicaid").pk)]
    data["languages"] = []
    data["care_settings"] = [str(CareSetting.objects.get(slug="outpatient").pk)]
    assert admin_client.post(url, data).status_code == 302

    removed = ["payment=medicare", "language=spanish", "setting=telehealth"]
    kept = ["payment=medicaid", "setting=outpatient", "age=adults", "treatment=tms"]
    for source, codes in [
        ("2022.csv", "MH * OP TELE * TMS * MC MD * ADLT * SP"),  # the same file again
        ("2023.csv", "MH * OP TELE * TMS ECT * MC MD SF * ADLT * SP"),  # a newer one, still listing them
    ]:
        run_import(write_directory(tmp_path / source, [dict(row, service_code_info=codes)]))
        for query in removed:
            assert api_names(client, query) == [], (source, query)
        for query in kept:
            assert api_names(client, query) == ["Edited Clinic"], (source, query)
    # What the newer file added, staff had not touched: it is listed.
    assert api_names(client, "payment=self-pay&treatment=ect") == ["Edited Clinic"]
    assert slugs(center.payment_options) == {"medicaid", "self-pay"} and slugs(center.languages) == set()


def test_a_facility_missing_from_a_newer_file_is_reported_and_kept(tmp_path):
    staying, leaving = facility_row(name1="Staying Clinic"), facility_row(name1="Leaving Clinic")
    run_import(write_directory(tmp_path / "2022.csv", [staying, leaving]))
    output = run_import(write_directory(tmp_path / "2023.csv", [staying]), report_dir=tmp_path / "report")
    assert "created 0, updated 0, unchanged 1, merged 0, rejected 0" in output
    leaving_center = Center.objects.get(name="Leaving Clinic")
    assert leaving_center.status == Center.Status.PUBLISHED
    assert "1 imported facilities are missing from this file (not deleted; review them in the admin)" in output
    assert leaving_center.slug in output
    missing = read_csv(tmp_path / "report" / "missing.csv")
    assert [m["name"] for m in missing] == ["Leaving Clinic"]


def test_the_missing_facilities_are_listed_by_name_with_their_status_and_key(tmp_path):
    rows = [facility_row(name1=name) for name in ("staying Clinic", "zeta Clinic", "Alpha Clinic", "beta Clinic")]
    run_import(write_directory(tmp_path / "2022.csv", rows))
    Center.objects.filter(name="zeta Clinic").update(status=Center.Status.CLOSED)
    run_import(write_directory(tmp_path / "2023.csv", rows[:1]), report_dir=tmp_path / "report")
    missing = read_csv(tmp_path / "report" / "missing.csv")
    expected = Center.objects.filter(name__in=["Alpha Clinic", "beta Clinic", "zeta Clinic"])
    by_name = {center.name: center for center in expected}
    assert [(m["name"], m["status"], m["source_key"]) for m in missing] == [
        (name, by_name[name].status, by_name[name].source_key)
        for name in ("Alpha Clinic", "beta Clinic", "zeta Clinic")
    ]
    assert by_name["zeta Clinic"].status == "closed"


def test_centers_entered_by_staff_are_never_reported_missing_or_touched(tmp_path):
    own = make_center(name="Our Own Listing")
    output = run_import(write_directory(tmp_path / "d.csv", [facility_row()]))
    assert "missing from this file" not in output
    own.refresh_from_db()
    assert own.name == "Our Own Listing" and own.source_snapshot == {}


def test_slugs_stay_stable_when_the_source_renames_a_facility(tmp_path):
    row = facility_row(name1="Stable Name Clinic", name2="Main")
    run_import(write_directory(tmp_path / "2022.csv", [row]))
    slug = Center.objects.get(name="Stable Name Clinic - Main").slug
    assert slug == "stable-name-clinic-main-jacksonville-fl"
    # The identity ignores case, so a respelled name is the same facility, renamed.
    output = run_import(write_directory(tmp_path / "2023.csv", [dict(row, name1="STABLE NAME CLINIC ")]))
    assert "updated 1" in output
    center = Center.objects.get(slug=slug)
    assert center.name == "STABLE NAME CLINIC - Main"


def test_slugs_of_two_facilities_with_one_name_in_one_city_differ(tmp_path):
    rows = [
        facility_row(name1="Twin Clinic", street1="1 A Street"),
        facility_row(name1="Twin Clinic", street1="2 B Street"),
    ]
    run_import(write_directory(tmp_path / "d.csv", rows))
    assert slugs(Center.objects.filter(name="Twin Clinic")) == {
        "twin-clinic-jacksonville-fl",
        "twin-clinic-jacksonville-fl-2",
    }


def test_dry_run_writes_nothing(tmp_path):
    path = write_directory(tmp_path / "d.csv", [facility_row(), facility_row(name1="", name2="")])
    output = run_import(path, "--dry-run", report_dir=tmp_path / "report")
    assert "created 1, updated 0, unchanged 0, merged 0, rejected 1" in output
    assert "Dry run: nothing was written." in output
    assert Center.objects.count() == 0
    assert not (tmp_path / "report").exists()


def test_an_interrupted_import_keeps_its_finished_batches_and_a_rerun_completes_it(tmp_path):
    path = write_directory(tmp_path / "d.csv", [facility_row() for _ in range(5)])
    real_write = writing.Sync._write
    calls = []

    def write_then_fail(self, plan):
        calls.append(plan)
        if len(calls) == 3:
            raise KeyboardInterrupt
        real_write(self, plan)

    with mock.patch.object(writing.Sync, "_write", write_then_fail), pytest.raises(KeyboardInterrupt):
        run_import(path, "--batch-size", "2")
    assert Center.objects.count() == 4
    output = run_import(path, "--batch-size", "2")
    assert "created 1, updated 0, unchanged 4, merged 0, rejected 0" in output
    assert Center.objects.count() == 5


def test_the_government_xlsx_is_read_like_the_csv(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Facilities List"
    row = facility_row(name1="Workbook Clinic", zip="32204")
    sheet.append(list(row))
    values = list(row.values())
    values[list(row).index("zip")] = 32204  # spreadsheets hold ZIPs as numbers
    sheet.append(values)
    workbook.save(tmp_path / "directory.xlsx")
    output = run_import(tmp_path / "directory.xlsx")
    assert "created 1, updated 0, unchanged 0, merged 0, rejected 0" in output
    assert Center.objects.get(name="Workbook Clinic").locations.get().zip == "32204"


def test_a_file_without_the_directory_columns_stops_with_a_clear_message(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("title,address\nSomething,Somewhere\n")
    with pytest.raises(CommandError, match="lacks the directory's column"):
        call_command("import_samhsa", str(path), "--dry-run")


def test_a_location_staff_replaced_is_left_alone_by_later_imports(tmp_path):
    row = facility_row(name1="Moved Clinic", street2="")
    run_import(write_directory(tmp_path / "2022.csv", [row]))
    center = Center.objects.get(name="Moved Clinic")
    imported = center.locations.get()
    Location.objects.create(
        center=center,
        street1="9 New Road",
        city="Jacksonville",
        state="FL",
        zip="32207",
        latitude=30.29,
        longitude=-81.63,
    )
    imported.delete()  # staff: the clinic moved
    Center.objects.filter(pk=center.pk).update(phone="(904) 555-0123")  # and has a new number
    for year in ("2023", "2024"):
        newer = dict(row, street2=f"Suite {year}", phone=f"904-555-{year}")
        output = run_import(write_directory(tmp_path / f"{year}.csv", [newer]))
        assert "kept 2 staff edits" in output  # the location and the phone
    assert list(center.locations.values_list("street1", "street2")) == [("9 New Road", "")]
    assert Center.objects.get(pk=center.pk).phone == "(904) 555-0123"


def test_a_center_left_without_any_location_gets_the_imported_one_back(tmp_path, client):
    row = facility_row(name1="Lost Location Clinic")
    path = write_directory(tmp_path / "d.csv", [row])
    run_import(path)
    center = Center.objects.get(name="Lost Location Clinic")
    center.locations.all().delete()
    assert "Lost Location Clinic" not in listed(client, treatment="tms")
    assert "updated 1" in run_import(path)
    assert center.locations.get().street1 == row["street1"]
    assert "Lost Location Clinic" in listed(client, treatment="tms")  # found near it again, by its treatments
    assert "unchanged 1" in run_import(path)


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_progress_bar_shows_on_a_terminal_and_not_when_output_is_redirected(tmp_path):
    path = write_directory(tmp_path / "d.csv", [facility_row(), facility_row()])
    redirected = io.StringIO()
    with mock.patch("sys.stderr", redirected):
        run_import(path, "--dry-run")
    assert redirected.getvalue() == ""
    terminal = FakeTerminal()
    with mock.patch("sys.stderr", terminal):
        run_import(path, "--dry-run")
    assert "/2 [" in terminal.getvalue() and "facilities/s" in terminal.getvalue()


def listed(client, **query) -> str:
    """The listing page /centers/ for these parameters (near Jacksonville's 32204 unless told)."""
    return client.get("/centers/", {"near": "32204", **query}).content.decode()


def test_a_newer_file_renames_a_locations_city_and_the_listing_follows(tmp_path, client):
    row = facility_row(name1="Sunrise Mood Clinic", city="Jacksonville", zip="32210")
    run_import(write_directory(tmp_path / "2022.csv", [row]))
    before = Center.objects.get(name="Sunrise Mood Clinic").updated_at
    assert "Sunrise Mood Clinic" not in listed(client, q="Ortega Park")
    output = run_import(write_directory(tmp_path / "2023.csv", [dict(row, city="Ortega Park")]))
    assert output.splitlines()[0] == "created 0, updated 1, unchanged 0, merged 0, rejected 0"
    assert "staff edits" not in output
    center = Center.objects.get(name="Sunrise Mood Clinic")
    assert center.locations.get().city == "Ortega Park"
    assert center.updated_at > before
    assert "Sunrise Mood Clinic" in listed(client, q="Ortega Park")
    assert "Sunrise Mood Clinic" in client.get("/centers/fl/ortega-park/").content.decode()  # the city's own page


def test_a_corrected_state_is_written_as_the_listing_writes_states(tmp_path):
    row = facility_row(name1="Border Clinic", state="GA")
    run_import(write_directory(tmp_path / "2022.csv", [row]))
    run_import(write_directory(tmp_path / "2023.csv", [dict(row, state="fl")]))
    assert Center.objects.get(name="Border Clinic").locations.get().state == "FL"


def test_each_staff_edit_the_source_would_overwrite_is_counted(tmp_path):
    row = facility_row(name1="Counted Clinic", phone="904-555-0100", intake1="904-555-0300")
    run_import(write_directory(tmp_path / "2022.csv", [row]))
    Center.objects.filter(name="Counted Clinic").update(phone="(904) 555-0123", intake_phones="(904) 555-0124")
    output = run_import(
        write_directory(tmp_path / "2023.csv", [dict(row, phone="904-555-0199", intake1="904-555-0301")])
    )
    assert "kept 2 staff edits" in output
    center = Center.objects.get(name="Counted Clinic")
    assert (center.phone, center.intake_phones) == ("(904) 555-0123", "(904) 555-0124")


def test_a_payment_the_source_drops_is_removed_and_nothing_else(tmp_path):
    row = facility_row(name1="Narrowing Clinic", service_code_info="MH * OP * TMS KIT * PI MD * ADLT * WI")
    run_import(write_directory(tmp_path / "2022.csv", [row]))
    newer = dict(row, service_code_info="MH * OP * TMS KIT * PI * ADLT")
    assert "updated 1" in run_import(write_directory(tmp_path / "2023.csv", [newer]))
    center = Center.objects.get(name="Narrowing Clinic")
    assert slugs(center.payment_options) == {"private-insurance"}
    assert slugs(center.crisis_services) == set()
    assert slugs(center.treatments) == {"tms", "ketamine"}


def test_lookups_the_source_adds_count_as_an_update_and_are_searchable(tmp_path, client):
    row = facility_row(name1="Growing Clinic", service_code_info="MH * OP * TMS * PI * ADLT")
    run_import(write_directory(tmp_path / "2022.csv", [row]))
    before = Center.objects.get(name="Growing Clinic").updated_at
    assert "Growing Clinic" in listed(client) and "Growing Clinic" not in listed(client, payment="medicaid")
    # A payment (a search facet) and a crisis service (not one, and later in the lists) at once.
    newer = dict(row, service_code_info="MH * OP * TMS * PI MD * ADLT * WI")
    assert run_import(write_directory(tmp_path / "2023.csv", [newer])).startswith("created 0, updated 1, unchanged 0")
    center = Center.objects.get(name="Growing Clinic")
    assert slugs(center.payment_options) == {"private-insurance", "medicaid"}
    assert slugs(center.crisis_services) == {"walk-in"}
    assert center.updated_at > before
    assert "Growing Clinic" in listed(client, payment="medicaid")


def test_a_source_change_that_meets_a_staff_edit_is_remembered_for_the_next_file(tmp_path):
    """The snapshot follows the source even when the listing does not change: staff typed the
    number the source then adopted, so the source's next change is its own and goes in."""
    row = facility_row(name1="Converging Clinic", phone="904-555-0100")
    run_import(write_directory(tmp_path / "2022.csv", [row]))
    Center.objects.filter(name="Converging Clinic").update(phone="(904) 555-0123")  # staff
    before = Center.objects.get(name="Converging Clinic").updated_at
    output = run_import(write_directory(tmp_path / "2023.csv", [dict(row, phone="904-555-0123")]))
    assert output.splitlines()[0] == "created 0, updated 0, unchanged 1, merged 0, rejected 0"
    assert Center.objects.get(name="Converging Clinic").updated_at == before  # nothing listed changed
    output = run_import(write_directory(tmp_path / "2024.csv", [dict(row, phone="904-555-0188")]))
    assert "staff edits" not in output
    assert Center.objects.get(name="Converging Clinic").phone == "(904) 555-0188"


def test_a_center_staff_listed_before_its_first_import_keeps_its_lookups_and_gains_the_sources(tmp_path):
    center = make_center(name="Early Clinic", source_key="", city="Jacksonville", zip_code="32204")
    center.payment_options.add(PaymentOption.objects.get(slug="self-pay"))
    row = facility_row(
        name1="Early Clinic",
        street1=center.locations.get().street1,
        street2="Suite 9",
        service_code_info="MH * TMS * MC",
    )
    run_import(write_directory(tmp_path / "2022.csv", [row]))
    key = Center.objects.exclude(pk=center.pk).get(name="Early Clinic").source_key
    Center.objects.exclude(pk=center.pk).delete()  # staff merge: their listing takes the source's key
    Center.objects.filter(pk=center.pk).update(source_key=key, source_snapshot={})
    location = center.locations.get()
    Location.objects.filter(pk=location.pk).update(phone="(904) 555-0111", zip="32207")  # what staff know
    output = run_import(write_directory(tmp_path / "2023.csv", [row]))
    assert "updated 1" in output and "staff edits" in output
    assert slugs(center.payment_options) == {"self-pay", "medicare"}
    # What staff typed stays; what they left empty, the source fills.
    assert list(center.locations.values_list("phone", "zip", "street2")) == [("(904) 555-0111", "32207", "Suite 9")]


def test_a_new_facility_named_like_a_center_already_listed_gets_a_slug_of_its_own(tmp_path):
    run_import(write_directory(tmp_path / "2022.csv", [facility_row(name1="Twin Clinic", street1="1 First Street")]))
    first = Center.objects.get(name="Twin Clinic")
    row = facility_row(name1="Twin Clinic", street1="2 Second Street")
    assert "created 1" in run_import(write_directory(tmp_path / "2023.csv", [row]))
    second = Center.objects.exclude(pk=first.pk).get(name="Twin Clinic")
    assert second.slug != first.slug


def test_a_key_two_centers_share_does_not_hide_the_centers_after_them(tmp_path):
    """Staff copied an imported listing, key and all: the older one stays the imported one,
    and centers listed after the copy are still recognised by the next import."""
    first, later = facility_row(name1="Original Clinic"), facility_row(name1="Later Clinic")
    run_import(write_directory(tmp_path / "2022.csv", [first]))
    original = Center.objects.get(name="Original Clinic")
    make_center(name="Copied Clinic", source_key=original.source_key)
    path = write_directory(tmp_path / "2023.csv", [first, later])
    assert run_import(path).startswith("created 1, updated 0, unchanged 1")
    assert run_import(path).startswith("created 0, updated 0, unchanged 2")
    assert Center.objects.filter(name="Later Clinic").count() == 1


def test_a_center_staff_listed_without_a_location_gets_the_sources_at_its_first_import(tmp_path):
    row = facility_row(name1="Placeless Clinic")
    run_import(write_directory(tmp_path / "2022.csv", [row]))
    imported = Center.objects.get(name="Placeless Clinic")
    key = imported.source_key
    imported.delete()
    center = make_center(name="Placeless Clinic")  # staff's own listing, then given the source's key
    center.locations.all().delete()
    Center.objects.filter(pk=center.pk).update(source_key=key, source_snapshot={})
    assert "updated 1" in run_import(write_directory(tmp_path / "2023.csv", [row]))
    assert list(center.locations.values_list("street1", "city")) == [(row["street1"], "Jacksonville")]
