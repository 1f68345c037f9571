"""/api/hsds/: HSDS 3.0 over HTTP, validated against the official compiled JSON schemas."""

import csv
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from directory.models import AgeGroup, Center, CrisisService, Location, PaymentOption
from directory.search.index import centers_refresh_search
from tests.directory.conftest import JAX, point_at
from tests.directory.hsds.schemas import assert_valid
from tests.factories import make_center

pytestmark = pytest.mark.django_db

NO_ID = "00000000-0000-4000-8000-000000000000"
PAGE_KEYS = ["total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"]


def get(client, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, (url, response.content[:500])
    assert response["Content-Type"] == "application/json"
    return response.json()


def assert_page(data: dict, **expected) -> None:
    assert list(data) == PAGE_KEYS
    assert {key: data[key] for key in expected} == expected


@pytest.fixture
def directory(db):
    """Twelve centers, one with everything a service can carry."""
    for n in range(11):
        make_center(name=f"Center {n:02d}", treatments=("ect",) if n % 3 else ("tms", "cbt"))
    full = make_center(
        name="Harbor Full Clinic",
        treatments=("tms", "esketamine"),
        phone="(904) 555-0100 ext. 7",
        intake_phones="(904) 555-0111",
    )
    full.payment_options.add(PaymentOption.objects.get(slug="medicare"))
    full.age_groups.add(AgeGroup.objects.get(slug="adults"))
    full.crisis_services.add(CrisisService.objects.first())
    Center.objects.filter(pk=full.pk).update(
        website="https://harbor.example.org/", email="info@example.org", last_verified_on=timezone.localdate()
    )
    location = full.locations.get()
    location.phone, location.hours = "(904) 555-0199", "Mon-Fri 8am-5pm"
    location.save()
    Location.objects.create(
        center=full, label="Beach office", street1="9 Ocean Drive", city="Jacksonville Beach", state="FL", zip="32250",
        latitude=30.29, longitude=-81.39, hours="by appointment",
    )  # fmt: skip
    centers_refresh_search(center_ids=[full.pk])
    return full


def test_the_root_gives_the_hsds_version_a_profile_and_the_openapi_url(client):
    data = get(client, "/api/hsds/")
    assert data == {
        "version": "3.0",
        "profile": "https://docs.openreferral.org/en/v3.0/",
        "openapi_url": "http://testserver/api/hsds/openapi.json",
    }
    assert client.get("/api/hsds/")["Access-Control-Allow-Origin"] == "*"


def test_a_page_of_services_validates_against_the_official_list_schema(client, directory):
    data = get(client, "/api/hsds/services?page=2&size=5")
    assert_page(data, total_items=12, total_pages=3, page_number=2, size=5, first_page=False, last_page=False)
    assert [service["name"] for service in data["contents"]] == [f"Center {n:02d}" for n in range(5, 10)]
    for service in data["contents"]:
        assert_valid(service, "compiled/service_list.json")
        assert service["status"] == "active" and service["organization"]["id"] == service["organization_id"]
    full = get(client, "/api/hsds/services?page=2&per_page=5&full=true")
    assert [service["id"] for service in full["contents"]] == [service["id"] for service in data["contents"]]
    for service in full["contents"]:
        assert_valid(service, "compiled/service.json")


def test_one_service_validates_against_the_official_service_schema_with_everything_nested(client, directory):
    listed = get(client, "/api/hsds/services?search=Harbor")["contents"]
    service = get(client, f"/api/hsds/services/{listed[0]['id']}")
    assert_valid(service, "compiled/service.json")
    assert service["organization"]["name"] == "Harbor Full Clinic"
    assert service["phones"] == [
        {
            "id": service["phones"][0]["id"],
            "number": "(904) 555-0100",
            "extension": 7,
            "type": "voice",
            "description": "Main number",
            "organization_id": service["organization_id"],
            "service_id": service["id"],
        },
        {
            "id": service["phones"][1]["id"],
            "number": "(904) 555-0111",
            "type": "voice",
            "description": "Intake line for new patients",
            "service_id": service["id"],
        },
    ]
    locations = [place["location"] for place in service["service_at_locations"]]
    assert [location["name"] for location in locations] == ["Harbor Full Clinic", "Beach office"]
    assert [location["addresses"][0]["postal_code"] for location in locations] == ["32207", "32250"]
    assert [phone["number"] for phone in locations[0]["phones"]] == ["(904) 555-0199"]
    assert [(s["byday"], s["opens_at"], s["closes_at"]) for s in locations[0]["schedules"]] == [
        ("MO,TU,WE,TH,FR", "08:00:00", "17:00:00")
    ]
    assert [s["description"] for s in locations[1]["schedules"]] == ["by appointment"]
    codes = {attribute["taxonomy_term"]["code"] for attribute in service["attributes"]}
    assert {"tms", "esketamine", "medicare", "adults"} <= codes and len(codes) == 5


def test_organizations_validate_against_the_official_schemas(client, directory):
    data = get(client, "/api/hsds/organizations?per_page=3")
    assert_page(data, total_items=12, total_pages=4, page_number=1, size=3, first_page=True, last_page=False)
    for organization in data["contents"]:
        assert_valid(organization, "compiled/organization_list.json")
    organization = get(client, f"/api/hsds/organizations/{directory.public_id}")
    assert_valid(organization, "compiled/organization.json")
    assert [service["name"] for service in organization["services"]] == ["Harbor Full Clinic"]
    assert "service_at_locations" not in organization["services"][0]
    assert len(organization["locations"]) == 2
    full = get(client, f"/api/hsds/organizations/{directory.public_id}?full_service=true")
    assert_valid(full, "compiled/organization.json")
    assert len(full["services"][0]["service_at_locations"]) == 2
    for organization in get(client, "/api/hsds/organizations?full=true&full_service=true&size=2")["contents"]:
        assert_valid(organization, "compiled/organization.json")


def test_taxonomies_and_terms_validate_against_the_official_schemas(client, directory):
    taxonomies = get(client, "/api/hsds/taxonomies")
    assert_page(taxonomies, total_items=1, total_pages=1, first_page=True, last_page=True, empty=False)
    taxonomy = taxonomies["contents"][0]
    assert_valid(taxonomy, "taxonomy.json")
    assert get(client, f"/api/hsds/taxonomies/{taxonomy['id']}") == taxonomy
    terms = get(client, "/api/hsds/taxonomy_terms?per_page=100")["contents"]
    for term in terms:
        assert_valid(term, "taxonomy_term.json")
    assert get(client, f"/api/hsds/taxonomy_terms/{terms[1]['id']}") == terms[1]
    vocabularies = get(client, "/api/hsds/taxonomy_terms?top_only=true")["contents"]
    assert [term["name"] for term in vocabularies] == [
        "Treatments", "Care settings", "Payment options", "Age groups", "Languages", "Crisis services",
    ]  # fmt: skip
    treatments = get(client, f"/api/hsds/taxonomy_terms?parent_id={vocabularies[0]['id']}")["contents"]
    assert [term["code"] for term in treatments][:3] == ["tms", "ketamine", "esketamine"]
    found = get(client, f"/api/hsds/taxonomy_terms?search=spanish&taxonomy_id={taxonomy['id']}")["contents"]
    assert [term["code"] for term in found] == ["spanish"]


def test_the_api_ids_are_the_export_ids(client, directory, tmp_path):
    make_center(name="Closed Clinic", status=Center.Status.CLOSED)
    call_command("export_hsds", str(tmp_path), stdout=StringIO())

    def column(file: str, name: str = "id") -> set[str]:
        with open(tmp_path / file, encoding="utf-8", newline="") as handle:
            return {row[name] for row in csv.DictReader(handle)}

    services = get(client, "/api/hsds/services?per_page=100&full=true")["contents"]
    assert {s["id"] for s in services} == column("services.csv")
    assert {s["organization"]["id"] for s in services} == column("organizations.csv")
    places = [place for s in services for place in s["service_at_locations"]]
    assert {place["id"] for place in places} == column("service_at_location.csv")
    assert {place["location"]["id"] for place in places} == column("locations.csv")
    assert {a["id"] for place in places for a in place["location"]["addresses"]} == column("addresses.csv")
    assert {sc["id"] for place in places for sc in place["location"]["schedules"]} == column("schedules.csv")
    phones = [p for s in services for p in s["phones"]] + [p for pl in places for p in pl["location"]["phones"]]
    assert {phone["id"] for phone in phones} == column("phones.csv")
    assert {a["id"] for s in services for a in s["attributes"]} == column("attributes.csv")
    terms = get(client, "/api/hsds/taxonomy_terms?per_page=100")["contents"]
    assert {term["id"] for term in terms} == column("taxonomy_terms.csv")
    assert {s["status"] for s in services if s["name"] == "Closed Clinic"} == {"defunct"}


def test_paging_is_correct_at_the_edges(client, directory):
    assert_page(
        get(client, "/api/hsds/services?per_page=4&page=3"),
        total_items=12, total_pages=3, page_number=3, size=4, first_page=False, last_page=True, empty=False,
    )  # fmt: skip
    past = get(client, "/api/hsds/services?per_page=4&page=4")
    assert_page(past, total_pages=3, page_number=4, last_page=True, empty=True, contents=[])
    last = get(client, "/api/hsds/services?per_page=5&page=3")
    assert [service["name"] for service in last["contents"]] == ["Center 10", "Harbor Full Clinic"]
    one = get(client, "/api/hsds/services?per_page=12")
    assert_page(one, total_pages=1, first_page=True, last_page=True)
    assert len(one["contents"]) == 12
    default = get(client, "/api/hsds/services")
    assert_page(default, size=20, total_pages=1)
    assert len(get(client, "/api/hsds/services?per_page=100")["contents"]) == 12
    nothing = get(client, "/api/hsds/services?search=nowhere")
    assert_page(nothing, total_items=0, total_pages=0, page_number=1, first_page=True, last_page=True, empty=True)
    all_names = [s["name"] for s in default["contents"]]
    paged = [s["name"] for n in (1, 2, 3) for s in get(client, f"/api/hsds/services?per_page=5&page={n}")["contents"]]
    assert paged == all_names  # every service once, in the same order
    assert get(client, "/api/hsds/taxonomy_terms?per_page=1&page=2")["contents"][0]["code"] == "tms"


def test_a_page_reads_the_same_number_of_queries_whatever_its_size(client, directory, django_assert_num_queries):
    with django_assert_num_queries(5):  # count, the page, centers, locations, their links
        client.get("/api/hsds/services?per_page=2&full=true")
    with django_assert_num_queries(5):
        client.get("/api/hsds/services?per_page=12&full=true")


@pytest.mark.parametrize(
    ("url", "names"),
    [
        ("/api/hsds/services?colour=blue", {"colour"}),
        ("/api/hsds/services?q=tms", {"q"}),
        ("/api/hsds/services?minimal=true&taxonomy_id=x", {"minimal", "taxonomy_id"}),
        ("/api/hsds/services?page=0&per_page=101", {"page", "per_page"}),
        ("/api/hsds/services?page=first&size=0", {"page", "size"}),
        ("/api/hsds/services?per_page=5&size=10", {"size"}),
        ("/api/hsds/services?page=1&page=2", {"page"}),
        ("/api/hsds/services?format=ndjson&full=yes", {"format", "full"}),
        ("/api/hsds/services?taxonomy_term_id=tms", {"taxonomy_term_id"}),
        (f"/api/hsds/services?taxonomy_term_id={NO_ID}", {"taxonomy_term_id"}),
        ("/api/hsds/services?postcode=99999&proximity=far", {"postcode", "proximity"}),
        ("/api/hsds/services?proximity=1000", {"proximity"}),
        ("/api/hsds/services?proximity=900000&postcode=32207", {"proximity"}),
        ("/api/hsds/services?organization_id=42&modified_after=yesterday", {"organization_id", "modified_after"}),
        ("/api/hsds/services?modified_after=2026-13-01T00:00:00&page=2.0", {"modified_after", "page"}),
        ("/api/hsds/services?modified_after=0001-01-01T00:00%2B01:00&postcode=3220", {"modified_after", "postcode"}),
        ("/api/hsds/services?modified_after=2026-01-01&search=", {"modified_after", "search"}),
        ("/api/hsds/services?accepting=yes&search=" + "x" * 201, {"accepting", "search"}),
        ("/api/hsds/services/?page=1", None),  # a trailing slash is another address: 404
        ("/api/hsds/organizations?taxonomy_term_id=x&full_service=maybe", {"taxonomy_term_id", "full_service"}),
        (f"/api/hsds/organizations/{NO_ID}?full=true", {"full"}),
        ("/api/hsds/taxonomies?full=true", {"full"}),
        (f"/api/hsds/taxonomy_terms?parent_id={NO_ID}&top_only=1", {"parent_id", "top_only"}),
        (f"/api/hsds/taxonomy_terms?taxonomy_id={NO_ID}", {"taxonomy_id"}),
        ("/api/hsds/?version=3", {"version"}),
        ("/api/hsds/openapi.json?format=yaml", {"format"}),
        (f"/api/hsds/services/{NO_ID}?full=true", {"full"}),
    ],
)
def test_unknown_and_unusable_parameters_are_refused_with_400_naming_each(client, directory, url, names):
    if names is None:
        assert client.get(url).status_code == 404
        return
    errors = get(client, url, status=400)["errors"]
    assert set(errors) == names
    assert all(isinstance(message, str) and message for messages in errors.values() for message in messages)


def test_unknown_ids_and_drafts_are_404(client, directory):
    draft = make_center(name="Draft Clinic")
    draft_service = get(client, f"/api/hsds/services?organization_id={draft.public_id}")["contents"][0]["id"]
    assert get(client, f"/api/hsds/services/{draft_service}")["name"]  # found while published
    draft.status = Center.Status.DRAFT
    draft.save()
    service_ids = {s["id"] for s in get(client, "/api/hsds/services?per_page=100")["contents"]}
    assert service_ids and draft_service not in service_ids
    for url in [
        f"/api/hsds/services/{draft_service}",
        f"/api/hsds/organizations/{draft.public_id}",
        f"/api/hsds/services/{NO_ID}",
        "/api/hsds/services/not-a-uuid",
        f"/api/hsds/services/{directory.public_id}",  # an organization's id is not a service's
        "/api/hsds/organizations/not-a-uuid",
        f"/api/hsds/taxonomies/{NO_ID}",
        "/api/hsds/taxonomy_terms/x",
    ]:
        assert "detail" in get(client, url, status=404), url


def test_a_service_published_after_the_first_lookup_is_found(client, directory):
    get(client, f"/api/hsds/services/{NO_ID}", status=404)  # the index is built
    newer = make_center(name="Newer Clinic")
    service = get(client, f"/api/hsds/services?organization_id={newer.public_id}")["contents"][0]
    assert get(client, f"/api/hsds/services/{service['id']}")["name"] == "Newer Clinic"
    assert get(client, f"/api/hsds/services/{service['id'].upper()}")["id"] == service["id"]


def test_services_filter_like_the_listing(client, directory):
    def names(query: str) -> list[str]:
        return [service["name"] for service in get(client, f"/api/hsds/services?{query}&per_page=100")["contents"]]

    terms = {term["code"]: term["id"] for term in get(client, "/api/hsds/taxonomy_terms?per_page=100")["contents"]}
    assert names(f"taxonomy_term_id={terms['tms']}") == ["Center 00", "Center 03", "Center 06", "Center 09",
                                                        "Harbor Full Clinic"]  # fmt: skip
    either = names(f"taxonomy_term_id={terms['esketamine']}&taxonomy_term_id={terms['cbt']}")
    assert either == ["Center 00", "Center 03", "Center 06", "Center 09", "Harbor Full Clinic"]
    assert names(f"taxonomy_term_id={terms['tms']}&taxonomy_term_id={terms['medicare']}") == ["Harbor Full Clinic"]
    assert names(f"taxonomy_term_id={terms['payment_options']}") == ["Harbor Full Clinic"]  # the parent term
    crisis = CrisisService.objects.first().slug
    assert names(f"taxonomy_term_id={terms[crisis]}") == ["Harbor Full Clinic"]
    assert names("search=Harbor") == ["Harbor Full Clinic"]
    assert names(f"organization_id={directory.public_id}") == ["Harbor Full Clinic"]

    # HSDA's parameters all apply: the listing's search and the plain conditions together.
    assert names(f"taxonomy_term_id={terms['tms']}&organization_id={directory.public_id}") == ["Harbor Full Clinic"]
    assert names(f"taxonomy_term_id={terms['tms']}&taxonomy_term_id={terms[crisis]}") == ["Harbor Full Clinic"]
    assert names(f"search=Center&taxonomy_term_id={terms[crisis]}") == []
    both = get(
        client,
        f"/api/hsds/services?taxonomy_term_id={terms['tms']}&modified_after=2000-01-01T00:00:00Z&per_page=2&page=3",
    )
    assert_page(both, total_items=5, total_pages=3, page_number=3, last_page=True)
    assert [service["name"] for service in both["contents"]] == ["Harbor Full Clinic"]

    Center.objects.exclude(pk=directory.pk).update(updated_at=timezone.now() - timedelta(days=3))
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert names(f"modified_after={since.replace('+', '%2B')}") == ["Harbor Full Clinic"]

    Center.objects.filter(pk=directory.pk).update(accepting_new_patients=Center.Accepting.YES)
    assert names("accepting=1") == ["Harbor Full Clinic"]


def test_the_listing_filters_find_published_services_as_the_listing_does(client, directory):
    closed = make_center(name="Closed TMS Clinic", treatments=("tms",), status=Center.Status.CLOSED)
    everything = get(client, "/api/hsds/services?per_page=100")["contents"]
    assert {s["status"] for s in everything if s["organization_id"] == str(closed.public_id)} == {"defunct"}
    tms = next(t["id"] for t in get(client, "/api/hsds/taxonomy_terms?search=tms")["contents"] if t["code"] == "tms")
    found = get(client, f"/api/hsds/services?taxonomy_term_id={tms}&per_page=100")["contents"]
    assert "Closed TMS Clinic" not in {service["name"] for service in found}
    assert [service["name"] for service in found] == [
        row["name"] for row in client.get("/api/centers/?treatment=tms").json()["results"]
    ]


def test_postcode_and_proximity_find_services_nearest_first(client, db):
    for miles in (30, 3, 12):
        lat, lng = point_at(*JAX, miles=miles, bearing=90)
        make_center(name=f"At {miles} miles", latitude=lat, longitude=lng)
    make_center(name="Far away", latitude=33.45, longitude=-112.07, zip_code="85004", city="Phoenix", state="AZ")

    def names(query: str) -> list[str]:
        return [service["name"] for service in get(client, f"/api/hsds/services?{query}")["contents"]]

    assert names("postcode=32207") == ["At 3 miles", "At 12 miles"]  # the listing's 25 miles
    assert names("postcode=32207&proximity=60000") == ["At 3 miles", "At 12 miles", "At 30 miles"]
    assert names("postcode=32207&proximity=10000") == ["At 3 miles"]
    assert names("postcode=85004") == ["Far away"]


def test_the_api_only_answers_get(client):
    assert client.post("/api/hsds/services").status_code == 405
    assert client.delete("/api/hsds/").status_code == 405
