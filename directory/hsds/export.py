"""Our listings as an HSDS 3.0 tabular data package: one CSV file per table, the official
descriptor as `datapackage.json`, and a zip of them all (`manage.py export_hsds`).

Each table has every column of the official 3.0 table schema, in its order (deprecated and
unused columns stay empty), so the package validates by position, as the specification's own
CI checks its example. The descriptor is the specification's, unchanged but for the package's
own details (name, dates, licence, sources) and restricted to the tables we publish: foreign
keys to tables we do not publish (programs, contacts) are dropped with them, and those columns
stay empty.
"""

import copy
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from directory.hsds.records import centers_records, taxonomy_record, taxonomy_terms
from directory.hsds.spec import spec_json, table_fields
from directory.models import Center
from directory.spreadsheet_safety import SafeDictWriter

ZIP_NAME = "depression-treatment-centers-hsds.zip"
PACKAGE_NAME = "depression-treatment-finder-hsds"
LICENSE = {
    "name": "CC0-1.0",
    "title": "CC0 1.0 Universal (public domain dedication)",
    "path": "https://creativecommons.org/publicdomain/zero/1.0/",
}
# The tables we publish, in the order of the official descriptor.
TABLES = [
    "organization", "service", "attribute", "service_at_location", "location", "phone", "address", "schedule",
    "taxonomy_term", "taxonomy",
]  # fmt: skip


@dataclass(frozen=True)
class ExportResult:
    directory: Path
    zip_path: Path
    created: datetime
    counts: dict[str, int]  # table name -> rows


def hsds_export(*, outdir: Path) -> ExportResult:
    """Write the package (CSV files, datapackage.json and a zip of them) into `outdir`.

    Files are written to a temporary folder first and moved into place, so a reader never
    sees a half-written export. Each export replaces the previous one in that folder.
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    created = timezone.now()
    descriptor = package_descriptor(created=created)
    paths = {resource["name"]: resource["path"] for resource in descriptor["resources"]}
    tables = export_tables()
    counts = {table: len(rows) for table, rows in tables.items()}
    for resource in descriptor["resources"]:
        resource["count"] = counts[resource["name"]]
    with tempfile.TemporaryDirectory(dir=outdir) as staging:
        staging = Path(staging)
        for table, rows in tables.items():
            with open(staging / paths[table], "w", newline="", encoding="utf-8") as out:
                # A field that is not in the official table schema is a bug: extrasaction="raise".
                writer = SafeDictWriter(out, fieldnames=table_fields(table), restval="", extrasaction="raise")
                writer.writeheader()
                writer.writerows(rows)
        (staging / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
        files = [*paths.values(), "datapackage.json"]
        with zipfile.ZipFile(staging / ZIP_NAME, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for file in files:
                archive.write(staging / file, arcname=file)
        for file in [*paths.values(), ZIP_NAME, "datapackage.json"]:  # datapackage.json last: it dates the export
            os.replace(staging / file, outdir / file)
    return ExportResult(directory=outdir, zip_path=outdir / ZIP_NAME, created=created, counts=counts)


def export_tables() -> dict[str, list[dict]]:
    """Every row of every table we publish: the visible centers in pk order, then the taxonomy."""
    tables: dict[str, list[dict]] = {table: [] for table in TABLES}
    for records in centers_records(Center.objects.visible().order_by("pk")).values():
        tables["organization"].append(records.organization)
        tables["service"].append(records.service)
        tables["phone"] += records.phones
        for place in records.places:
            tables["location"].append(place.location)
            tables["address"] += place.addresses
            tables["service_at_location"].append(place.service_at_location)
            tables["phone"] += place.phones
            tables["schedule"] += place.schedules
        tables["attribute"] += records.attributes
    tables["taxonomy"].append(taxonomy_record())
    tables["taxonomy_term"] = taxonomy_terms()
    return tables


def package_descriptor(*, created: datetime) -> dict:
    """The official HSDS 3.0 descriptor, restricted to our tables, describing this package."""
    official = spec_json("datapackage.json")
    resources = [copy.deepcopy(r) for r in official["resources"] if r["name"] in TABLES]
    for resource in resources:
        keys = resource["schema"].get("foreignKeys")
        if keys is not None:
            resource["schema"]["foreignKeys"] = [key for key in keys if key["reference"]["resource"] in TABLES]
    return {
        "name": PACKAGE_NAME,
        "title": "Depression Treatment Finder: treatment centers (Open Referral HSDS 3.0)",
        "description": (
            "The published and closed listings of the Depression Treatment Finder as an Open Referral Human "
            "Services Data Specification (HSDS) 3.0 tabular data package. Identifiers are stable across exports. "
            "The table schemas are HSDS 3.0's own (Human Services Data Specification: an Open Referral resource, "
            "https://openreferral.org/, CC BY-SA 4.0); the data is CC0."
        ),
        "profile": official["profile"],
        "version": official["version"],
        "homepage": f"{settings.SITE_URL}/open-data/",
        "created": created.isoformat(timespec="seconds"),
        "licenses": [LICENSE],
        "sources": [
            {
                "title": "SAMHSA National Directory of Mental Health Treatment Facilities 2022 (US government work, "
                "public domain in the United States)",
            },
            {"title": "Depression Treatment Finder staff edits and verifications", "path": f"{settings.SITE_URL}/"},
            {"title": "Table schemas: HSDS 3.0 datapackage.json (openreferral/specification, tag v3.0)"},
        ],
        "resources": resources,
    }


def latest_export(directory: Path | None = None) -> dict | None:
    """The export in `directory` [settings.OPEN_DATA_ROOT]: its zip, date and counts, or None."""
    directory = Path(directory or settings.OPEN_DATA_ROOT)
    try:
        package = json.loads((directory / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    zip_path = directory / ZIP_NAME
    if not zip_path.is_file():
        return None
    return {
        "zip_path": zip_path,
        "size": zip_path.stat().st_size,
        "created": datetime.fromisoformat(package["created"]),
        "counts": {resource["name"]: resource.get("count", 0) for resource in package["resources"]},
    }
