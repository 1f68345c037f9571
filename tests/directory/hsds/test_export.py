"""`manage.py export_hsds` and /open-data/: our listings as an Open Referral HSDS 3.0 data package."""

import csv
import io
import json
import uuid
import zipfile
from io import StringIO

import frictionless
import pytest
from django.core.management import call_command
from django.utils import timezone

from directory.hsds.spec import spec_json
from directory.models import Center, CrisisService, Language, Location, PaymentOption
from tests.factories import make_center

pytestmark = pytest.mark.django_db

FILES = {
    "organization": "organizations.csv", "service": "services.csv", "attribute": "attributes.csv",
    "service_at_location": "service_at_location.csv", "location": "locations.csv", "phone": "phones.csv",
    "address": "addresses.csv", "schedule": "schedules.csv", "taxonomy_term": "taxonomy_terms.csv",
    "taxonomy": "taxonomies.csv",
}  # fmt: skip


def read_package(folder) -> dict[str, list[dict]]:
    tables = {}
    for table, file in FILES.items():
        with open(folder / file, encoding="utf-8", newline="") as handle:
            tables[table] = list(csv.DictReader(handle))
    return tables


def export(folder) -> str:
    out = StringIO()
    call_command("export_hsds", str(folder), stdout=out)
    return out.getvalue()


def official_resources() -> dict[str, dict]:
    return {resource["name"]: resource for resource in spec_json("datapackage.json")["resources"]}


@pytest.fixture
def listed_center(db):
    center = make_center(
        name="Open Data Clinic",
        treatments=("tms", "ketamine"),
        phone="(904) 555-0100 ext. 12",
        intake_phones="(904) 555-0111, (904) 555-0122 ext. 05",
    )
    center.payment_options.add(PaymentOption.objects.get(slug="medicare"))
    center.languages.add(Language.objects.get(slug="spanish"))
    center.crisis_services.add(CrisisService.objects.first())
    location = center.locations.get()
    location.phone = "(904) 555-0199"
    location.hours = "Mon-Fri 8am-5pm, Sat 9am-1pm"
    location.save()
    return center


def test_every_table_has_every_column_of_the_official_schema_in_order(tmp_path, listed_center):
    export(tmp_path)
    official = official_resources()
    for table, file in FILES.items():
        with open(tmp_path / file, encoding="utf-8") as handle:
            header = handle.readline().strip().split(",")
        assert header == [field["name"] for field in official[table]["schema"]["fields"]], file
    # The columns whose absence shifted every later one (the check that found 418 errors):
    services = (tmp_path / "services.csv").read_text().splitlines()[0].split(",")
    assert services[11:14] == ["fees_description", "wait_time", "fees"] and services[20] == "licenses"
    organizations = (tmp_path / "organizations.csv").read_text().splitlines()[0].split(",")
    assert organizations[6:8] == ["tax_status", "tax_id"]
    for service in read_package(tmp_path)["service"]:
        assert service["wait_time"] == service["fees"] == service["licenses"] == ""  # deprecated: left empty


def test_the_package_validates_by_position_against_the_official_descriptor(tmp_path, listed_center):
    second = make_center(name="Two Sites Clinic", treatments=("ect",))
    Location.objects.create(
        center=second, street1="9 Bay Street", city="Jacksonville", state="FL", zip="32202", latitude=30.33,
        longitude=-81.66, hours="by appointment",
    )  # fmt: skip
    make_center(name="Closed Clinic", status=Center.Status.CLOSED)
    export(tmp_path)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])
    assert {task.name: task.stats["rows"] for task in report.tasks}["location"] == 4

    # The check reads columns by position: a package without the deprecated columns fails it.
    with open(tmp_path / "services.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    with open(tmp_path / "services.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([row[:12] + row[14:20] + row[21:] for row in rows])
    broken = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert not broken.valid
    assert {"missing-label", "incorrect-label"} <= {error.type for task in broken.tasks for error in task.errors}


def test_the_descriptor_is_the_official_one_restricted_to_our_tables(tmp_path, listed_center):
    export(tmp_path)
    package = json.loads((tmp_path / "datapackage.json").read_text())
    assert package["version"] == "3.0.0" and package["profile"] == "tabular-data-package"
    assert package["licenses"][0]["name"] == "CC0-1.0"
    assert "CC BY-SA 4.0" in package["description"]  # the table schemas are HSDS's, with attribution
    assert [resource["path"] for resource in package["resources"]] == [
        file for table, file in sorted(FILES.items(), key=lambda item: list(official_resources()).index(item[0]))
    ]
    declared = 0
    for resource in package["resources"]:
        official = official_resources()[resource["name"]]
        assert resource["count"] >= 1
        keys = resource["schema"].pop("foreignKeys", [])
        assert resource["schema"] == {k: v for k, v in official["schema"].items() if k != "foreignKeys"}
        assert {k: v for k, v in resource.items() if k not in ("schema", "count")} == {
            k: v for k, v in official.items() if k != "schema"
        }
        official_keys = official["schema"].get("foreignKeys", [])
        assert keys == [key for key in official_keys if key["reference"]["resource"] in FILES]
        declared += len(keys)
    assert declared == 14  # the 11 foreign keys between our first nine tables, and the 3 of schedules


def test_the_rows_carry_the_listing(tmp_path, listed_center):
    make_center(name="Draft Clinic", status=Center.Status.DRAFT)
    make_center(name="Closed Clinic", status=Center.Status.CLOSED)
    output = export(tmp_path)
    assert "2 organization" in output
    tables = read_package(tmp_path)
    statuses = {service["name"]: service["status"] for service in tables["service"]}
    assert statuses == {"Open Data Clinic": "active", "Closed Clinic": "defunct"}  # drafts stay out
    address = next(a for a in tables["address"] if a["address_1"].endswith("Main Street"))
    assert (address["city"], address["state_province"], address["postal_code"], address["country"]) == (
        "Jacksonville",
        "FL",
        "32207",
        "US",
    )
    phones = {(p["number"], p["extension"], p["description"]) for p in tables["phone"]}
    assert {
        ("(904) 555-0100", "12", "Main number"),
        ("(904) 555-0111", "", "Intake line for new patients"),
        ("(904) 555-0122 ext. 05", "", "Intake line for new patients"),  # a number field would lose the 0
        ("(904) 555-0199", "", "Phone at this location"),
    } <= phones
    intake = [p for p in tables["phone"] if p["description"].startswith("Intake")]
    assert {p["service_id"] for p in intake} == {s["id"] for s in tables["service"] if s["name"] == "Open Data Clinic"}
    schedules = [(s["byday"], s["opens_at"], s["closes_at"], s["freq"]) for s in tables["schedule"]]
    assert schedules == [("MO,TU,WE,TH,FR", "08:00:00", "17:00:00", "WEEKLY"), ("SA", "09:00:00", "13:00:00", "WEEKLY")]
    codes = [term["code"] for term in tables["taxonomy_term"]]
    assert len(codes) == len(set(codes)) and {"tms", "ketamine", "medicare", "spanish"} <= set(codes)
    terms = {term["id"]: term["code"] for term in tables["taxonomy_term"]}
    service_id = next(s["id"] for s in tables["service"] if s["name"] == "Open Data Clinic")
    linked = {terms[a["taxonomy_term_id"]] for a in tables["attribute"] if a["link_id"] == service_id}
    assert {"tms", "ketamine", "medicare", "spanish"} <= linked and len(linked) == 5  # and a crisis service
    with zipfile.ZipFile(tmp_path / "depression-treatment-centers-hsds.zip") as archive:
        assert set(archive.namelist()) == {*FILES.values(), "datapackage.json"}


def test_ids_are_stable_across_exports_and_derived_from_the_center_public_id(tmp_path, listed_center):
    export(tmp_path / "first")
    listed_center.name = "Open Data Clinic (renamed)"
    listed_center.save()
    make_center(name="A Newer Clinic")
    export(tmp_path / "second")
    first, second = read_package(tmp_path / "first"), read_package(tmp_path / "second")

    organization = next(o for o in second["organization"] if o["name"] == "Open Data Clinic (renamed)")
    assert organization["id"] == str(listed_center.public_id)
    for table in FILES:
        assert {row["id"] for row in first[table]} <= {row["id"] for row in second[table]}, table
    # A center's service keeps its id when the center is renamed, and no other center shares it.
    services = [[s["id"] for s in package["service"] if s["organization_id"] == organization["id"]]
                for package in (first, second)]  # fmt: skip
    assert len(services[0]) == 1 and services[0] == services[1]
    assert [s["organization_id"] for s in second["service"] if s["id"] == services[0][0]] == [organization["id"]]


def test_a_center_with_two_locations_exports_distinct_stable_location_ids_and_every_id_is_unique(
    tmp_path, listed_center
):
    Location.objects.create(
        center=listed_center, street1="9 Bay Street", city="Jacksonville", state="FL", zip="32202", latitude=30.33,
        longitude=-81.66, phone="(904) 555-0142", hours="Mon-Fri 9am-5pm",
    )  # fmt: skip
    make_center(name="Another Clinic", treatments=("tms", "ketamine"))
    export(tmp_path / "first")
    export(tmp_path / "second")
    first, second = read_package(tmp_path / "first"), read_package(tmp_path / "second")
    organization = str(listed_center.public_id)
    locations = [row["id"] for row in first["location"] if row["organization_id"] == organization]
    assert len(locations) == 2 and len(set(locations)) == 2
    assert locations == [row["id"] for row in second["location"] if row["organization_id"] == organization]
    places = {row["location_id"] for row in first["service_at_location"] if row["location_id"] in locations}
    assert places == set(locations)
    every_id = []
    for table, rows in first.items():
        ids = [row["id"] for row in rows]
        assert len(ids) == len(set(ids)), f"{table} repeats an id"
        assert all(uuid.UUID(value) for value in ids)
        every_id += ids
    assert len(every_id) == len(set(every_id)), "an id is used in two tables"


def test_open_data_page_offers_the_latest_export_with_its_date_and_licence(client, settings, tmp_path, listed_center):
    settings.OPEN_DATA_ROOT = tmp_path / "open-data"
    page = client.get("/open-data/")
    assert page.status_code == 200 and b"No export has been published yet" in page.content
    assert client.get("/open-data/download/").status_code == 404

    call_command("export_hsds", stdout=StringIO())  # no folder: publishes into OPEN_DATA_ROOT
    page = client.get("/open-data/").content.decode()
    assert timezone.localdate().strftime("%B") in page
    assert "1 center, 1 location." in page and "1 centers" not in page
    assert "CC0 1.0 Universal" in page and "public domain" in page
    assert 'href="/open-data/download/"' in page and 'href="/api/hsds/"' in page
    assert 'href="tel:988"' in page  # crisis help, as on every page

    download = client.get("/open-data/download/")
    assert download.status_code == 200
    assert f"depression-treatment-centers-hsds-{timezone.now():%Y-%m-%d}.zip" in download["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as archive:
        organizations = archive.read("organizations.csv").decode()
    assert "Open Data Clinic" in organizations


def test_the_open_data_page_is_in_spanish_under_es(client, settings, tmp_path, listed_center):
    settings.OPEN_DATA_ROOT = tmp_path / "open-data"
    page = client.get("/es/open-data/").content.decode()
    assert "Todavía no se ha publicado ninguna exportación" in page
    call_command("export_hsds", stdout=StringIO())
    make_center(name="Second Open Data Clinic")
    call_command("export_hsds", stdout=StringIO())
    page = client.get("/es/open-data/").content.decode()
    assert '<html lang="es">' in page and '<h1 class="h2">Datos abiertos</h1>' in page
    assert "2 centros, 2 ubicaciones." in page and 'href="/es/open-data/download/"' in page
    assert "Every published listing" not in page and "What is in it" not in page
    assert "2 centers, 2 locations." in client.get("/open-data/").content.decode()


def test_every_page_links_to_open_data(client):
    assert b'href="/open-data/"' in client.get("/").content
