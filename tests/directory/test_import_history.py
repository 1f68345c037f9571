"""The import's change history: bulk writes send no signals, so the import records it itself."""

import pytest

from directory.importers import samhsa_import
from directory.importers.history import history_enabled
from directory.models import Center, CenterTreatment, Location
from tests.directory.import_helpers import facility_row, run_import, write_directory

pytestmark = pytest.mark.django_db


def test_history_is_on_for_every_model_the_import_writes():
    assert history_enabled()


def test_an_import_records_one_history_entry_per_new_center_with_its_lists(tmp_path):
    row = facility_row(name1="History Clinic", service_code_info="MH * OP * TMS ECT * MC * ADLT SNR")
    path = write_directory(tmp_path / "d.csv", [row, facility_row()])
    run_import(path)
    center = Center.objects.get(name="History Clinic")
    records = list(center.history.all())
    assert [(r.history_type, r.history_change_reason, r.name) for r in records] == [
        ("+", "Imported from SAMHSA National Directory 2022", "History Clinic")
    ]
    assert records[0].public_id == center.public_id  # the published id, as the center has it
    assert {a.agegroup.slug for a in records[0].age_groups.all()} == {"adults", "seniors"}
    assert {p.paymentoption.slug for p in records[0].payment_options.all()} == {"medicare"}
    assert Location.history.filter(center_id=center.pk, history_type="+").count() == 1
    assert CenterTreatment.history.filter(center_id=center.pk, history_type="+").count() == 2

    run_import(path)  # nothing changes: nothing recorded
    assert center.history.count() == 1


def test_a_newer_file_records_what_changed_and_staff_edits_keep_their_own_records(tmp_path):
    row = facility_row(name1="Changing Clinic", phone="904-555-0100", service_code_info="MH * TMS")
    run_import(write_directory(tmp_path / "2022.csv", [row]))
    center = Center.objects.get(name="Changing Clinic")
    center.name = "Changing Clinic (Downtown)"  # a staff edit, recorded by simple-history itself
    center.save()
    run_import(write_directory(tmp_path / "2023.csv", [dict(row, phone="904-555-0177", service_code_info="MH * KIT")]))
    records = list(center.history.order_by("history_id"))
    assert [r.history_type for r in records] == ["+", "~", "~"]
    latest = records[-1]
    assert latest.history_change_reason == "Imported from SAMHSA National Directory 2022"
    assert (latest.name, latest.phone) == ("Changing Clinic (Downtown)", "(904) 555-0177")
    kinds = sorted(CenterTreatment.history.filter(center_id=center.pk).values_list("history_type", flat=True))
    assert kinds == ["+", "+", "-"]  # TMS added, then dropped by the source; ketamine added


def test_a_location_the_source_changes_is_recorded_with_who_ran_the_import(tmp_path, django_user_model):
    staff = django_user_model.objects.create_user("imogen", "imogen@example.org", "a-long-test-password")
    row = facility_row(name1="Street Clinic", street2="")
    samhsa_import(path=write_directory(tmp_path / "2022.csv", [row]), user_id=staff.pk)  # as the admin's upload does
    location = Center.objects.get(name="Street Clinic").locations.get()
    samhsa_import(path=write_directory(tmp_path / "2023.csv", [dict(row, street2="Suite 4")]), user_id=staff.pk)
    records = list(Location.history.filter(id=location.pk).order_by("history_id"))
    assert [(r.history_type, r.street2, r.history_user_id) for r in records] == [
        ("+", "", staff.pk),
        ("~", "Suite 4", staff.pk),
    ]
