"""The search columns the import writes: a new center's are computed from what the import
holds in memory, and must be what `centers_refresh_search` computes from the database."""

import pytest
from django.db import connection

from directory.models import Center, Location, Treatment
from directory.search.index import centers_refresh_search
from tests.directory.conftest import ON_POSTGRES, api_names
from tests.directory.import_helpers import facility_row, run_import, write_directory
from tests.factories import make_center

pytestmark = pytest.mark.django_db

ROWS = [
    # Every treatment (joined in their lookup order in the vector), several lookups of each kind.
    {
        "name1": "O'Brien & Daughters Mood Clinic",
        "service_code_info": "MH * OP HI * TMS KIT ECT CBT DBT * MC PI * SP F17",
    },
    {"name1": "Harbor Light", "name2": "Adult Services", "city": "Jacksonville Beach", "zip": "32250"},
    {"name1": "No Codes Center", "service_code_info": ""},  # every facet empty
    {"name1": "Telehealth Only", "state": "fl", "service_code_info": "MH * TELE * ADLT CHLD YAD SNR * NX FX AH"},
]


def search_columns() -> tuple[dict, dict, dict]:
    """(center id -> facet tokens, location id -> facet tokens, center id -> search_vector as text)."""
    centers = {pk: set(facets.split()) for pk, facets in Center.objects.values_list("id", "search_facets")}
    locations = {pk: set(facets.split()) for pk, facets in Location.objects.values_list("id", "search_facets")}
    vectors = {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, search_vector::text FROM directory_center")
            vectors = dict(cursor.fetchall())
    return centers, locations, vectors


def test_the_facets_of_imported_centers_and_locations_are_what_a_refresh_computes(tmp_path, client):
    run_import(write_directory(tmp_path / "d.csv", [facility_row(**values) for values in ROWS]))
    centers, locations, _ = search_columns()
    assert len(centers) == len(locations) == len(ROWS)
    every_code = Center.objects.get(name="O'Brien & Daughters Mood Clinic")
    assert centers[every_code.pk] == {
        "treatment:tms", "treatment:ketamine", "treatment:ect", "treatment:cbt", "treatment:dbt",
        "setting:outpatient", "setting:inpatient", "payment:medicare", "payment:private-insurance",
        "language:spanish", "language:chinese",
    }  # fmt: skip
    assert centers[Center.objects.get(name="No Codes Center").pk] == set()
    assert api_names(client, "treatment=ect") == [every_code.name]

    centers_refresh_search()
    assert search_columns()[:2] == (centers, locations)


@pytest.mark.postgres
def test_the_search_vector_of_imported_centers_is_what_a_refresh_computes(tmp_path, client):
    run_import(write_directory(tmp_path / "d.csv", [facility_row(**values) for values in ROWS]))
    _, _, vectors = search_columns()
    assert all(vectors.values())
    every_code = Center.objects.get(name="O'Brien & Daughters Mood Clinic")
    assert "'magnet':" in vectors[every_code.pk] and "'jacksonvill':" in vectors[every_code.pk]

    centers_refresh_search()
    assert search_columns()[2] == vectors  # the same lexemes, weights and positions
    assert api_names(client, "q=ketamine+jacksonville") == [every_code.name]


@pytest.mark.postgres
@pytest.mark.parametrize(
    "orders",
    [
        {"tms": 9, "ketamine": 8, "ect": 7, "cbt": 6, "dbt": 5},  # the reverse of their ids
        {"ketamine": 0, "tms": 0},  # a tie, broken by id (TMS's row is written last, so it is read last)
    ],
)
def test_the_imported_vector_lists_treatments_in_the_order_staff_gave_them(tmp_path, orders):
    # Staff may reorder treatments in the admin; the vector's positions (which ts_rank reads for a
    # search of several words) follow that order in an import as in a refresh.
    for slug, order in orders.items():
        Treatment.objects.filter(slug=slug).update(sort_order=order)
    run_import(write_directory(tmp_path / "d.csv", [facility_row(**values) for values in ROWS]))
    vectors = search_columns()[2]
    every_code = Center.objects.get(name="O'Brien & Daughters Mood Clinic")
    assert "'magnet':" in vectors[every_code.pk]  # the positive control: the treatments are in it
    centers_refresh_search()
    assert search_columns()[2] == vectors


@pytest.mark.postgres
def test_a_newer_file_corrects_a_locations_state_and_text_search_follows(tmp_path, client):
    # A state corrected under the same facility (same name, street and ZIP): only the state changes.
    row = facility_row(name1="Border Mood Clinic", city="Jacksonville", state="GA", zip="32210")
    run_import(write_directory(tmp_path / "2022.csv", [row]))
    # One word each: no name is spelled like "ga" or "fl", so no near spelling stands in for a match.
    assert (api_names(client, "q=ga"), api_names(client, "q=fl")) == (["Border Mood Clinic"], [])
    output = run_import(write_directory(tmp_path / "2023.csv", [dict(row, state="FL")]))
    assert output.splitlines()[0] == "created 0, updated 1, unchanged 0, merged 0, rejected 0"
    assert (api_names(client, "q=ga"), api_names(client, "q=fl")) == ([], ["Border Mood Clinic"])


def test_the_search_vector_is_postgresql_only():
    if ON_POSTGRES:
        pytest.skip("PostgreSQL: the vector is compared above")
    make_center(name="Harbor Light Clinic")
    assert Center.objects.get().search_vector is None


def test_a_reimport_refreshes_the_search_columns_only_of_centers_whose_lists_name_or_places_change(tmp_path, client):
    lists_change = facility_row(name1="Lists Change Clinic", service_code_info="MH * OP * TMS * ADLT")
    phone_change = facility_row(name1="Phone Change Clinic")
    run_import(write_directory(tmp_path / "2022.csv", [lists_change, phone_change]))
    center = Center.objects.get(name="Lists Change Clinic")
    Location.objects.create(
        center=center,
        street1="2 Staff Street",
        city="Orlando",
        state="FL",
        zip="32801",
        latitude=28.54,
        longitude=-81.38,
        sort_order=1,
    )
    centers_refresh_search(center_ids=[center.pk])
    assert api_names(client, "treatment=ect") == []
    # A stand-in for search columns computed long ago: a refresh would replace it.
    untouched = Center.objects.filter(name="Phone Change Clinic")
    untouched.update(search_facets=" computed:earlier ")

    newer = [dict(lists_change, service_code_info="MH * OP * TMS ECT * ADLT"), dict(phone_change, phone="904-555-0199")]
    output = run_import(write_directory(tmp_path / "2023.csv", newer))
    assert output.splitlines()[0] == "created 0, updated 2, unchanged 0, merged 0, rejected 0"
    # The new treatment is found, near the imported location and near the one staff added.
    assert api_names(client, "treatment=ect") == ["Lists Change Clinic"]
    assert api_names(client, "treatment=ect&near=Orlando%2C+FL&radius=5") == ["Lists Change Clinic"]
    assert api_names(client, "treatment=ect&near=32207&radius=5") == ["Lists Change Clinic"]
    # A new phone number is not searched: that center's search columns were left as they were.
    assert untouched.get().phone == "(904) 555-0199" and untouched.get().search_facets == " computed:earlier "
