"""The national directory shipped in directory/data/samhsa/: what `make run` serves by default."""

import gzip
import hashlib
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from directory import importers
from directory.importers.codes import (
    KNOWN_CODES,
    MAPPED_CODES,
    SERVICE_CODES_FILE,
    SHOWN_CODES,
    not_shown_reason,
    reference,
)
from directory.importers.parsing import read_rows, split_codes
from directory.models import Center, ImportRun
from tests.directory.import_helpers import facility_row, write_directory

DATA = Path(importers.BUNDLED_DIRECTORY).parent
README = (DATA / "README.md").read_text()


def readme_checksum(label: str) -> str:
    match = re.search(re.escape(label) + r".*?`([0-9a-f]{64})`", README, re.DOTALL)
    assert match, f"no checksum after {label!r} in the data README"
    return match.group(1)


def test_the_bundled_directory_matches_the_checksums_its_readme_gives():
    raw = importers.BUNDLED_DIRECTORY.read_bytes()
    assert hashlib.sha256(gzip.decompress(raw)).hexdigest() == readme_checksum("SHA-256 of the CSV inside")
    assert hashlib.sha256(raw).hexdigest() == readme_checksum("SHA-256 of the `.gz` file itself")
    codes = SERVICE_CODES_FILE.read_bytes()
    assert hashlib.sha256(codes).hexdigest() == readme_checksum("`service_codes_2022.csv`")


def test_the_bundled_directory_has_every_facility_row_and_no_unknown_code():
    rows = list(read_rows(importers.BUNDLED_DIRECTORY))
    assert len(rows) == 9037
    used = {code for row in rows for code in split_codes(row["service_code_info"])}
    assert used - KNOWN_CODES == set()
    assert len(used) > 150  # a real sample of the codes, not an empty parse


def test_every_code_samhsa_defines_is_mapped_shown_or_deliberately_kept_only():
    assert len(reference()) == 176
    for code in KNOWN_CODES:
        kinds = [code in MAPPED_CODES, code in SHOWN_CODES, bool(not_shown_reason(code))]
        assert kinds.count(True) == 1, f"{code} ({reference()[code].name}) is {kinds}"
    assert not_shown_reason("SMON") and not_shown_reason("CHLOR") and not_shown_reason("CMHG")
    assert not not_shown_reason("TMS") and not not_shown_reason("VET")


@pytest.fixture
def small_bundle(tmp_path, monkeypatch):
    """A two-facility directory, gzipped, standing in for the bundled one."""
    csv_path = write_directory(
        tmp_path / "directory.csv",
        [facility_row(name1="Bundled Clinic One", street1="1 Bay Street"), facility_row(name1="Bundled Clinic Two")],
    )
    bundle = tmp_path / "directory.csv.gz"
    bundle.write_bytes(gzip.compress(csv_path.read_bytes()))
    monkeypatch.setattr(importers, "BUNDLED_DIRECTORY", bundle)
    # The command module bound the default when it was imported: point it at the stand-in too.
    from directory.management.commands import import_samhsa

    monkeypatch.setattr(import_samhsa, "BUNDLED_DIRECTORY", bundle)
    return bundle


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_samhsa", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_make_runs_data_step_imports_the_bundled_file_once(small_bundle, tmp_path):
    first = run("--if-new", "--report-dir", str(tmp_path / "first"))
    assert "created 2, updated 0, unchanged 0, merged 0, rejected 0" in first
    assert Center.objects.count() == 2
    again = run("--if-new", "--report-dir", str(tmp_path / "again"))
    assert again.startswith("Already imported: directory.csv.gz (same content)")
    assert "created" not in again and not (tmp_path / "again").exists()
    assert Center.objects.count() == 2 and ImportRun.objects.count() == 1


@pytest.mark.django_db
def test_a_changed_file_is_imported_again_by_the_data_step(small_bundle, tmp_path):
    run("--if-new", "--report-dir", str(tmp_path / "first"))
    rows = [facility_row(name1="Bundled Clinic One", street1="1 Bay Street"), facility_row(name1="Bundled Clinic 3")]
    small_bundle.write_bytes(gzip.compress(write_directory(tmp_path / "next.csv", rows).read_bytes()))
    output = run("--if-new", "--report-dir", str(tmp_path / "next"))
    assert output.startswith("created 1, updated 0, unchanged 1, merged 0, rejected 0")
    assert ImportRun.objects.count() == 2


@pytest.mark.django_db
def test_a_dry_run_is_not_remembered_as_an_import(small_bundle, tmp_path):
    run("--dry-run")
    assert not ImportRun.objects.exists()
    assert "created 2" in run("--if-new", "--report-dir", str(tmp_path / "real"))


@pytest.mark.django_db
def test_the_makefile_data_step_is_the_command_tested_here():
    makefile = (Path(importers.__file__).resolve().parents[2] / "Makefile").read_text()
    data_step = makefile.split("\ndata:", 1)[1].split("\n\n", 1)[0]
    assert "manage.py import_samhsa --if-new" in data_step and "load_demo" not in data_step
    assert "\nrun: data" in makefile
