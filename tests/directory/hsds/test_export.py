"""`manage.py export_hsds` and /open-data/: our listings as an Open Referral HSDS 3 data package."""

import csv
import io
import json
import uuid
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from directory.models import Center, Language, PaymentOption
from tests.factories import make_center

pytestmark = pytest.mark.django_db

# Field names published by HSDS 3 (openreferral/specification, schema/compiled/tabular.json), per file,
# minus the fields the specification marks deprecated. Written out here so the test checks the export
# against the specification, not against the exporter's own list.
HSDS_FIELDS = {
    "organizations.csv": "id name alternate_name description email website year_incorporated legal_status logo uri "
    "parent_organization_id",
    "services.csv": "id organization_id program_id name alternate_name description url email status "
    "interpretation_services application_process fees_description accreditations eligibility_description "
    "minimum_age maximum_age assured_date assurer_email alert last_modified",
    "locations.csv": "id location_type url organization_id name alternate_name description transportation latitude "
    "longitude external_identifier external_identifier_type",
    "addresses.csv": "id location_id attention address_1 address_2 city region state_province postal_code country "
    "address_type",
    "service_at_location.csv": "id service_id location_id description",
    "phones.csv": "id location_id service_id organization_id contact_id service_at_location_id number extension type "
    "description",
    "taxonomies.csv": "id name description uri version",
    "taxonomy_terms.csv": "id code name description parent_id taxonomy language taxonomy_id term_uri",
    "attributes.csv": "id link_id taxonomy_term_id link_type link_entity value",
}
REQUIRED = {
    "organizations.csv": ["id", "name", "description"],
    "services.csv": ["id", "organization_id", "name", "status"],
    "locations.csv": ["id", "location_type"],
    "addresses.csv": ["id", "address_1", "city", "state_province", "postal_code", "country", "address_type"],
    "service_at_location.csv": ["id", "service_id", "location_id"],
    "phones.csv": ["id", "number"],
    "taxonomies.csv": ["id", "name", "description"],
    "taxonomy_terms.csv": ["id", "name", "description"],
    "attributes.csv": ["id", "link_id", "taxonomy_term_id", "link_entity"],
}


def read_package(folder) -> dict[str, list[dict]]:
    tables = {}
    for file in HSDS_FIELDS:
        with open(folder / file, encoding="utf-8", newline="") as handle:
            tables[file] = list(csv.DictReader(handle))
    return tables


def export(folder) -> str:
    out = StringIO()
    call_command("export_hsds", str(folder), stdout=out)
    return out.getvalue()


@pytest.fixture
def listed_center(db):
    center = make_center(name="Open Data Clinic", treatments=("tms", "ketamine"), phone="(904) 555-0100 ext. 12")
    center.payment_options.add(PaymentOption.objects.get(slug="medicare"))
    center.languages.add(Language.objects.get(slug="spanish"))
    location = center.locations.get()
    location.phone = "(904) 555-0199"
    location.save()
    return center


def test_the_export_writes_every_hsds_table_with_the_published_field_names(tmp_path, listed_center):
    make_center(name="Draft Clinic", status=Center.Status.DRAFT)
    output = export(tmp_path)
    assert "1 organizations" in output
    tables = read_package(tmp_path)
    for file, fields in HSDS_FIELDS.items():
        with open(tmp_path / file, encoding="utf-8") as handle:
            assert handle.readline().strip().split(",") == fields.split(), file
        for row in tables[file]:
            for name in REQUIRED[file]:
                assert row[name], f"{file} lacks required {name}"
    assert [org["name"] for org in tables["organizations.csv"]] == ["Open Data Clinic"]  # drafts stay out
    address = tables["addresses.csv"][0]
    assert (address["city"], address["state_province"], address["postal_code"], address["country"]) == (
        "Jacksonville",
        "FL",
        "32207",
        "US",
    )
    phones = {(p["number"], p["extension"], p["description"]) for p in tables["phones.csv"]}
    assert phones == {("(904) 555-0100", "12", "Main number"), ("(904) 555-0199", "", "Intake line")}
    codes = [term["code"] for term in tables["taxonomy_terms.csv"]]
    assert len(codes) == len(set(codes)) and {"tms", "ketamine", "medicare", "spanish"} <= set(codes)
    terms = {term["id"]: term["code"] for term in tables["taxonomy_terms.csv"]}
    service_id = tables["services.csv"][0]["id"]
    linked = {terms[a["taxonomy_term_id"]] for a in tables["attributes.csv"] if a["link_id"] == service_id}
    assert linked == {"tms", "ketamine", "medicare", "spanish"}

    package = json.loads((tmp_path / "datapackage.json").read_text())
    assert package["profile"] == "tabular-data-package"
    assert package["licenses"][0]["name"] == "CC0-1.0"
    resources = {
        resource["path"]: [field["name"] for field in resource["schema"]["fields"]] for resource in package["resources"]
    }
    assert resources == {file: fields.split() for file, fields in HSDS_FIELDS.items()}
    with zipfile.ZipFile(tmp_path / "depression-treatment-centers-hsds.zip") as archive:
        assert set(archive.namelist()) == {*HSDS_FIELDS, "datapackage.json"}


def test_ids_are_stable_across_exports_and_derived_from_the_center_public_id(tmp_path, listed_center):
    export(tmp_path / "first")
    listed_center.name = "Open Data Clinic (renamed)"
    listed_center.save()
    make_center(name="A Newer Clinic")
    export(tmp_path / "second")
    first, second = read_package(tmp_path / "first"), read_package(tmp_path / "second")

    organization = next(o for o in second["organizations.csv"] if o["name"] == "Open Data Clinic (renamed)")
    assert organization["id"] == str(listed_center.public_id)
    for file in ["organizations.csv", "services.csv", "locations.csv", "addresses.csv", "phones.csv", "attributes.csv"]:
        first_ids = {row["id"] for row in first[file]}
        assert first_ids <= {row["id"] for row in second[file]}, file
    service = next(s for s in second["services.csv"] if s["organization_id"] == organization["id"])
    assert service["id"] == str(uuid.uuid5(listed_center.public_id, "service"))
    assert {t["id"] for t in first["taxonomy_terms.csv"]} == {t["id"] for t in second["taxonomy_terms.csv"]}


def test_open_data_page_offers_the_latest_export_with_its_date_and_licence(client, settings, tmp_path, listed_center):
    settings.OPEN_DATA_ROOT = tmp_path / "open-data"
    page = client.get("/open-data/")
    assert page.status_code == 200 and b"No export has been published yet" in page.content
    assert client.get("/open-data/download/").status_code == 404

    call_command("export_hsds", stdout=StringIO())  # no folder: publishes into OPEN_DATA_ROOT
    page = client.get("/open-data/").content.decode()
    assert timezone.localdate().strftime("%B") in page and "1 centers" in page
    assert "CC0 1.0 Universal" in page and "public domain" in page
    assert 'href="/open-data/download/"' in page
    assert 'href="tel:988"' in page  # crisis help, as on every page

    download = client.get("/open-data/download/")
    assert download.status_code == 200
    assert f"depression-treatment-centers-hsds-{timezone.now():%Y-%m-%d}.zip" in download["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as archive:
        organizations = archive.read("organizations.csv").decode()
    assert "Open Data Clinic" in organizations


def test_every_page_links_to_open_data(client):
    assert b'href="/open-data/"' in client.get("/").content
