"""Our published listings as an Open Referral HSDS 3 data package (open data).

One center is one HSDS organization with one service ("treatment at this center"), one
location per Location (with its address), the service at each location, phones, and its
treatments, settings, payment options, ages, languages and crisis services as attributes
linking the service to taxonomy terms (our own vocabularies, published as one taxonomy).

Identifiers never change for a center: the organization's id is `Center.public_id`; every
other record's id is a UUID5 of it and a fixed name ("service", "location:<pk>", ...), so
they are the same in every export. Taxonomy terms are UUID5s of the vocabulary and slug.

Field names and table files follow HSDS 3's tabular data package schema (hsds_schema.py).
"""

import csv
import json
import os
import tempfile
import uuid
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from directory.hsds_schema import FIELD_TYPES, TABLES
from directory.models import Center, CenterTreatment, Location

# Fixed namespace for records that belong to no center (the taxonomy and its terms).
NAMESPACE = uuid.UUID("8f4c3b8e-2d0a-5b8e-9a55-3c1f0e7d2a61")
PACKAGE_NAME = "depression-treatment-finder-hsds"
ZIP_NAME = "depression-treatment-centers-hsds.zip"
LICENSE = {
    "name": "CC0-1.0",
    "title": "CC0 1.0 Universal (public domain dedication)",
    "path": "https://creativecommons.org/publicdomain/zero/1.0/",
}

# Center relation -> (taxonomy parent term, attribute link_type)
VOCABULARIES = {
    "treatments": ("Treatments", "treatment"),
    "care_settings": ("Care settings", "care_setting"),
    "payment_options": ("Payment options", "payment_option"),
    "age_groups": ("Age groups", "age_group"),
    "languages": ("Languages", "language"),
    "crisis_services": ("Crisis services", "crisis_service"),
}
TAXONOMY_ID = str(uuid.uuid5(NAMESPACE, "taxonomy"))
TAXONOMY_NAME = "Depression Treatment Finder"


def child_id(public_id: uuid.UUID, name: str) -> str:
    """The stable id of a record belonging to a center: the same in every export."""
    return str(uuid.uuid5(public_id, name))


def term_id(vocabulary: str, slug: str = "") -> str:
    return str(uuid.uuid5(NAMESPACE, f"taxonomy_term:{vocabulary}:{slug}"))


def split_extension(phone: str) -> tuple[str, str]:
    """'(904) 555-0100 ext. 12' -> ('(904) 555-0100', '12'): HSDS keeps extensions in their own field."""
    number, _, extension = phone.partition(" ext. ")
    return number, extension if extension.isdigit() else ""


@dataclass(frozen=True)
class ExportResult:
    directory: Path
    zip_path: Path
    created: datetime
    counts: dict[str, int]


def hsds_export(*, outdir: Path) -> ExportResult:
    """Write the package (CSV files, datapackage.json and a zip of them) into `outdir`.

    Files are written to a temporary folder first and moved into place, so a reader never
    sees a half-written export. Each export replaces the previous one in that folder.
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    created = timezone.now()
    rows = _rows()
    counts = {file: len(rows[file]) for file in TABLES}
    with tempfile.TemporaryDirectory(dir=outdir) as staging:
        staging = Path(staging)
        for file, (_, fields) in TABLES.items():
            with open(staging / file, "w", newline="", encoding="utf-8") as out:
                writer = csv.DictWriter(out, fieldnames=fields)
                writer.writeheader()
                writer.writerows(rows[file])
        (staging / "datapackage.json").write_text(
            json.dumps(_datapackage(created=created, counts=counts), indent=2), encoding="utf-8"
        )
        with zipfile.ZipFile(staging / ZIP_NAME, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for file in [*TABLES, "datapackage.json"]:
                archive.write(staging / file, arcname=file)
        for file in [*TABLES, ZIP_NAME, "datapackage.json"]:  # datapackage.json last: it dates the export
            os.replace(staging / file, outdir / file)
    return ExportResult(directory=outdir, zip_path=outdir / ZIP_NAME, created=created, counts=counts)


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


def _rows() -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {file: [] for file in TABLES}
    rows["taxonomies.csv"].append(
        {
            "id": TAXONOMY_ID,
            "name": TAXONOMY_NAME,
            "description": "The Depression Treatment Finder's vocabularies: treatments, care settings, payment "
            "options, age groups, languages and crisis services. Codes are the slugs used in the site's URLs.",
            "uri": f"{settings.SITE_URL}/treatments/",
            "version": "1",
        }
    )
    terms: dict[str, dict[int, tuple[str, str]]] = {}  # vocabulary -> lookup id -> (slug, name)
    for vocabulary, (title, _) in VOCABULARIES.items():
        rows["taxonomy_terms.csv"].append(_term(term_id(vocabulary), vocabulary, title, "", ""))
        model = Center._meta.get_field(vocabulary).related_model
        terms[vocabulary] = {pk: (slug, name) for pk, slug, name in model.objects.values_list("id", "slug", "name")}
        for slug, name in terms[vocabulary].values():
            rows["taxonomy_terms.csv"].append(_term(term_id(vocabulary, slug), slug, name, term_id(vocabulary), ""))

    # Plain values, read table by table: 9,000 centers with their links as model instances
    # through prefetch_related would cost several times more.
    published = Center.objects.published()
    centers = list(
        published.order_by("pk").values(
            "id", "public_id", "slug", "name", "description", "email", "website", "phone", "source",
            "last_verified_on", "updated_at",
        )
    )  # fmt: skip
    locations = defaultdict(list)
    for location in (
        Location.objects.filter(center__in=published)
        .order_by("sort_order", "id")
        .values(
            "id", "center_id", "label", "street1", "street2", "city", "state", "zip", "latitude", "longitude", "phone"
        )
    ):
        locations[location["center_id"]].append(location)
    links: dict[str, dict[int, list[tuple[str, str]]]] = {}
    for vocabulary in VOCABULARIES:
        if vocabulary == "treatments":
            pairs = CenterTreatment.objects.filter(center__in=published).values_list("center_id", "treatment_id")
        else:
            relation = Center._meta.get_field(vocabulary)
            through, column = relation.remote_field.through, f"{relation.m2m_reverse_field_name()}_id"
            pairs = through.objects.filter(center__in=published).values_list("center_id", column)
        position = {pk: n for n, pk in enumerate(terms[vocabulary])}  # the lookups' own order (sort_order, name)
        by_center = defaultdict(list)
        for center_id, lookup_id in sorted(pairs, key=lambda pair: (pair[0], position[pair[1]])):
            by_center[center_id].append(terms[vocabulary][lookup_id])
        links[vocabulary] = by_center
    for center in centers:
        items = {vocabulary: links[vocabulary].get(center["id"], []) for vocabulary in VOCABULARIES}
        _center_rows(center, locations.get(center["id"], []), items, rows)
    return rows


def _term(identifier: str, code: str, name: str, parent: str, description: str) -> dict:
    return {
        "id": identifier,
        "code": code,
        "name": name,
        "description": description or name,
        "parent_id": parent,
        "taxonomy": TAXONOMY_NAME,
        "language": "en",
        "taxonomy_id": TAXONOMY_ID,
        "term_uri": "",
    }


def _center_rows(center: dict, locations: list[dict], items: dict[str, list[tuple[str, str]]], rows: dict) -> None:
    """The rows of one center. `items` holds its (slug, name) pairs per vocabulary."""
    public_id = center["public_id"]
    organization_id = str(public_id)
    service_id = child_id(public_id, "service")
    names = {vocabulary: [name for _, name in pairs] for vocabulary, pairs in items.items()}
    place = f"{locations[0]['city']}, {locations[0]['state']}" if locations else ""
    provenance = f" Source: {center['source']}." if center["source"] else ""
    rows["organizations.csv"].append(
        {
            "id": organization_id,
            "name": center["name"],
            "description": center["description"] or f"Treatment center in {place}.{provenance}".replace(" in .", "."),
            "email": center["email"],
            "website": center["website"],
        }
    )
    offered = ", ".join(names["treatments"])
    rows["services.csv"].append(
        {
            "id": service_id,
            "organization_id": organization_id,
            "name": center["name"],
            "description": f"Mental health treatment{': ' + offered if offered else ''}.",
            "url": f"{settings.SITE_URL}{reverse('directory:center_detail', args=[center['slug']])}",
            "email": center["email"],
            "status": "active",
            "fees_description": f"Accepts: {', '.join(names['payment_options'])}." if names["payment_options"] else "",
            "eligibility_description": f"Ages: {', '.join(names['age_groups'])}." if names["age_groups"] else "",
            "assured_date": center["last_verified_on"].isoformat() if center["last_verified_on"] else "",
            "last_modified": center["updated_at"]
            .astimezone(UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
        }
    )
    if center["phone"]:
        number, extension = split_extension(center["phone"])
        rows["phones.csv"].append(
            {
                "id": child_id(public_id, "phone:center"),
                "organization_id": organization_id,
                "service_id": service_id,
                "number": number,
                "extension": extension,
                "type": "voice",
                "description": "Main number",
            }
        )
    for location in locations:
        location_id = child_id(public_id, f"location:{location['id']}")
        service_at_location_id = child_id(public_id, f"service_at_location:{location['id']}")
        rows["locations.csv"].append(
            {
                "id": location_id,
                "location_type": "physical",
                "organization_id": organization_id,
                "name": location["label"] or center["name"],
                "latitude": location["latitude"],
                "longitude": location["longitude"],
            }
        )
        rows["addresses.csv"].append(
            {
                "id": child_id(public_id, f"address:{location['id']}"),
                "location_id": location_id,
                "address_1": location["street1"],
                "address_2": location["street2"],
                "city": location["city"],
                "state_province": location["state"],
                "postal_code": location["zip"],
                "country": "US",
                "address_type": "physical",
            }
        )
        rows["service_at_location.csv"].append(
            {"id": service_at_location_id, "service_id": service_id, "location_id": location_id}
        )
        if location["phone"]:
            number, extension = split_extension(location["phone"])
            rows["phones.csv"].append(
                {
                    "id": child_id(public_id, f"phone:location:{location['id']}"),
                    "location_id": location_id,
                    "service_at_location_id": service_at_location_id,
                    "number": number,
                    "extension": extension,
                    "type": "voice",
                    "description": "Intake line",
                }
            )
    for vocabulary, (_, link_type) in VOCABULARIES.items():
        for slug, _ in items[vocabulary]:
            rows["attributes.csv"].append(
                {
                    "id": child_id(public_id, f"attribute:{vocabulary}:{slug}"),
                    "link_id": service_id,
                    "taxonomy_term_id": term_id(vocabulary, slug),
                    "link_type": link_type,
                    "link_entity": "service",
                    "value": "",
                }
            )


def _datapackage(*, created: datetime, counts: dict[str, int]) -> dict:
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": "Depression Treatment Finder: treatment centers (Open Referral HSDS 3)",
        "description": (
            "Published listings of the Depression Treatment Finder as an Open Referral Human Services Data "
            "Specification (HSDS) 3 tabular data package. Identifiers are stable across exports."
        ),
        "homepage": f"{settings.SITE_URL}/open-data/",
        "created": created.isoformat(timespec="seconds"),
        "licenses": [LICENSE],
        "sources": [
            {
                "title": "SAMHSA National Directory of Mental Health Treatment Facilities 2022 (US government work, "
                "public domain in the United States)",
            },
            {"title": "Depression Treatment Finder staff edits and verifications", "path": f"{settings.SITE_URL}/"},
        ],
        "resources": [
            {
                "name": table,
                "path": file,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "count": counts[file],
                "schema": {
                    "fields": [{"name": name, "type": FIELD_TYPES.get(name, "string")} for name in fields],
                    "primaryKey": "id",
                },
            }
            for file, (table, fields) in TABLES.items()
        ],
    }
