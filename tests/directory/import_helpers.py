"""Small directory files in SAMHSA's format, written by the tests (never copied from SAMHSA's file)."""

import csv
from io import StringIO
from itertools import count
from pathlib import Path

from django.core.management import call_command

from directory.importers.parsing import COLUMNS

_serial = count(1)


def facility_row(**values: str) -> dict[str, str]:
    """A plausible, fictional facility in Jacksonville, FL offering TMS; override any column."""
    n = next(_serial)
    row = {
        "name1": f"Riverbend Mood Clinic {n}",
        "name2": "",
        "street1": f"{100 + n} Riverside Avenue",
        "street2": "",
        "city": "Jacksonville",
        "state": "FL",
        "zip": "32204",
        "phone": "904-555-0100",
        "intake1": "",
        "intake2": "",
        "intake1a": "",
        "intake2a": "",
        "service_code_info": "MH * OP * TMS CBT * PI SF * ADLT",
    }
    row.update(values)
    return row


def write_directory(path: Path, rows: list[dict[str, str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def run_import(path: Path, *args: str, report_dir: Path | None = None) -> str:
    """Run `manage.py import_samhsa` and return what it printed."""
    out = StringIO()
    options = ["--report-dir", str(report_dir or path.parent / "report")]
    call_command("import_samhsa", str(path), *options, *args, stdout=out)
    return out.getvalue()
