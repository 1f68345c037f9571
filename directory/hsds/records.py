"""Our centers as HSDS 3.0 records: every id and value in one place, shared by the export
(CSV tables, export.py) and the API (nested JSON, shapes.py), so the two cannot disagree.

One center is one HSDS organization with one service ("treatment at this center"), one
location per Location (with its address, phone and opening hours as schedules), the service
at each location, the center's main number and intake lines as phones, and its treatments,
settings, payment options, ages, languages and crisis services as attributes linking the
service to taxonomy terms (our own vocabularies, published as one taxonomy). Published centers are "active"; closed
ones stay, as "defunct", so that a copy of our data learns that they closed.

A record is a dict of HSDS field names, without the empty ones: the CSV writer leaves
their cells empty and the API leaves the keys out (HSDS's JSON schemas allow no null).
Deprecated HSDS fields (wait_time, fees, licenses, tax_status, tax_id) are always empty.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC

from django.conf import settings
from django.db.models import IntegerField, QuerySet, Value
from django.urls import reverse

from directory.hsds.ids import TAXONOMY_ID, child_id, service_id, term_id
from directory.hsds.schedules import hours_parse
from directory.models import Center, CenterTreatment, Location
from directory.models.medicare import evidence_sentence

TAXONOMY_NAME = "Depression Treatment Finder"
# Center relation -> (name of the vocabulary's parent term, the attributes' link_type)
VOCABULARIES = {
    "treatments": ("Treatments", "treatment"),
    "care_settings": ("Care settings", "care_setting"),
    "payment_options": ("Payment options", "payment_option"),
    "age_groups": ("Age groups", "age_group"),
    "languages": ("Languages", "language"),
    "crisis_services": ("Crisis services", "crisis_service"),
}
# Center.status -> HSDS service status (its enum: active, inactive, defunct, temporarily closed)
SERVICE_STATUS = {Center.Status.PUBLISHED: "active", Center.Status.CLOSED: "defunct"}

CENTER_COLUMNS = (
    "id", "public_id", "slug", "name", "description", "email", "website", "phone", "intake_phones", "source",
    "status", "last_verified_on", "updated_at", "medicare_evidence",
)  # fmt: skip
# The attributes of Medicare claims evidence (directory/medicare/): one per treatment and year.
EVIDENCE_LINK_TYPE = "medicare_claims_evidence"
EVIDENCE_SOURCE = "CMS, Medicare Physician & Other Practitioners: by Provider and Service"
LOCATION_COLUMNS = (
    "id", "center_id", "label", "street1", "street2", "city", "state", "zip", "latitude", "longitude", "phone", "hours",
)  # fmt: skip


@dataclass
class Place:
    """One location of a center, with what hangs off it."""

    location: dict
    service_at_location: dict
    addresses: list[dict] = field(default_factory=list)
    phones: list[dict] = field(default_factory=list)
    schedules: list[dict] = field(default_factory=list)


@dataclass
class CenterRecords:
    organization: dict
    service: dict
    phones: list[dict]  # the center's own numbers: its main number and intake lines
    places: list[Place]
    attributes: list[dict]
    terms: dict[str, dict]  # taxonomy_term_id -> the term of each attribute


def compact(record: dict) -> dict:
    return {name: value for name, value in record.items() if value not in ("", None)}


def split_extension(phone: str) -> tuple[str, int | None]:
    """'(904) 555-0100 ext. 12' -> ('(904) 555-0100', 12): HSDS keeps extensions in their own field.

    That field is a number, so an extension with a leading zero ("ext. 024") stays in the
    phone number, where it is dialled as written.
    """
    number, _, extension = phone.partition(" ext. ")
    if not extension.isdigit() or extension.startswith("0"):
        return phone, None
    return number, int(extension)


def taxonomy_record() -> dict:
    return {
        "id": TAXONOMY_ID,
        "name": TAXONOMY_NAME,
        "description": "The Depression Treatment Finder's vocabularies: treatments, care settings, payment options, "
        "age groups, languages and crisis services. Codes are the slugs used in the site's URLs.",
        "uri": f"{settings.SITE_URL}/treatments/",
        "version": "1",
    }


def term_record(vocabulary: str, slug: str = "", name: str = "") -> dict:
    """A term of one of our vocabularies; without a slug, the vocabulary's own (parent) term."""
    if not slug:
        title = VOCABULARIES[vocabulary][0]
        return _term(term_id(vocabulary), vocabulary, title, parent="")
    return _term(term_id(vocabulary, slug), slug, name, parent=term_id(vocabulary))


def _term(identifier: str, code: str, name: str, *, parent: str) -> dict:
    return compact(
        {
            "id": identifier,
            "code": code,
            "name": name,
            "description": name,
            "parent_id": parent,
            "taxonomy": TAXONOMY_NAME,
            "language": "en",
            "taxonomy_id": TAXONOMY_ID,
        }
    )


def taxonomy_terms() -> list[dict]:
    """Every term, in one query: each vocabulary's parent term, then its terms in their order."""
    terms = []
    for vocabulary, entries in _vocabularies().items():
        terms.append(term_record(vocabulary))
        terms += [term_record(vocabulary, slug, name) for slug, name in entries]
    return terms


def term_index() -> dict[str, tuple[str, list[str]]]:
    """Term id -> (its vocabulary, the slugs it stands for: its own, or all of a parent term's), in one query."""
    index = {}
    for vocabulary, entries in _vocabularies().items():
        index[term_id(vocabulary)] = (vocabulary, [slug for slug, _ in entries])
        index.update({term_id(vocabulary, slug): (vocabulary, [slug]) for slug, _ in entries})
    return index


def _vocabularies() -> dict[str, list[tuple[str, str]]]:
    """Vocabulary -> its (slug, name) pairs in their order (sort_order, then name), in one query."""
    queries = []
    for position, vocabulary in enumerate(VOCABULARIES):
        model = Center._meta.get_field(vocabulary).related_model
        queries.append(
            model.objects.order_by()
            .annotate(vocabulary=Value(position, output_field=IntegerField()))
            .values_list("vocabulary", "sort_order", "name", "slug")
        )
    vocabularies: dict[str, list[tuple[str, str]]] = {vocabulary: [] for vocabulary in VOCABULARIES}
    names = list(VOCABULARIES)
    for position, _, name, slug in sorted(queries[0].union(*queries[1:], all=True)):
        vocabularies[names[position]].append((slug, name))
    return vocabularies


def centers_records(centers: QuerySet) -> dict[int, CenterRecords]:
    """The records of these centers (published or closed ones), by pk in the queryset's order.

    Three queries whatever the number of centers: the centers, their locations, and their
    links to the vocabularies. Plain values, not model instances: the export reads 9,000
    centers, and their links through prefetch_related would cost several times more.
    """
    ids = centers.values("pk")
    locations = defaultdict(list)
    for location in Location.objects.filter(center__in=ids).order_by("sort_order", "id").values(*LOCATION_COLUMNS):
        locations[location["center_id"]].append(location)
    links = _links(ids)
    return {
        center["id"]: _center_records(center, locations.get(center["id"], []), links.get(center["id"], []))
        for center in centers.values(*CENTER_COLUMNS)
    }


def _links(center_ids: QuerySet) -> dict[int, list[tuple[str, str, str]]]:
    """Center pk -> its (vocabulary, slug, name) links, by vocabulary, then in each vocabulary's order."""
    queries = []
    for position, vocabulary in enumerate(VOCABULARIES):
        if vocabulary == "treatments":
            rows, target = CenterTreatment.objects.filter(center__in=center_ids), "treatment"
        else:
            relation = Center._meta.get_field(vocabulary)
            rows = relation.remote_field.through.objects.filter(center__in=center_ids)
            target = relation.m2m_reverse_field_name()
        queries.append(
            rows.order_by()
            .annotate(vocabulary=Value(position, output_field=IntegerField()))
            .values_list("center_id", "vocabulary", f"{target}__sort_order", f"{target}__name", f"{target}__slug")
        )
    names = list(VOCABULARIES)
    links = defaultdict(list)
    for center_id, position, _, name, slug in sorted(queries[0].union(*queries[1:], all=True)):
        links[center_id].append((names[position], slug, name))
    return links


def _center_records(center: dict, locations: list[dict], links: list[tuple[str, str, str]]) -> CenterRecords:
    public_id = center["public_id"]
    organization_id = str(public_id)
    service = service_id(public_id)
    names = defaultdict(list)
    for vocabulary, _, name in links:
        names[vocabulary].append(name)
    place = f" in {locations[0]['city']}, {locations[0]['state']}" if locations else ""
    provenance = f" Source: {center['source']}." if center["source"] else ""
    offered = ", ".join(names["treatments"])
    records = CenterRecords(
        organization=compact(
            {
                "id": organization_id,
                "name": center["name"],
                "description": center["description"] or f"Treatment center{place}.{provenance}",
                "email": center["email"],
                "website": center["website"],
            }
        ),
        service=compact(
            {
                "id": service,
                "organization_id": organization_id,
                "name": center["name"],
                "description": f"Mental health treatment{': ' + offered if offered else ''}.",
                "url": f"{settings.SITE_URL}{reverse('directory:center_detail', args=[center['slug']])}",
                "email": center["email"],
                "status": SERVICE_STATUS[center["status"]],
                "fees_description": _sentence("Accepts", names["payment_options"]),
                "eligibility_description": _sentence("Ages", names["age_groups"]),
                "assured_date": center["last_verified_on"].isoformat() if center["last_verified_on"] else "",
                "last_modified": center["updated_at"]
                .astimezone(UTC)
                .isoformat(timespec="milliseconds")
                .replace("+00:00", "Z"),
            }
        ),
        phones=[],
        places=[],
        attributes=[],
        terms={},
    )
    if center["phone"]:
        records.phones.append(
            _phone(center["phone"], child_id(public_id, "phone:center"), "Main number")
            | {"organization_id": organization_id, "service_id": service}
        )
    for number in (part.strip() for part in center["intake_phones"].split(",")):  # as Center.intake_phone_list
        if number:
            digits = "".join(char for char in number if char.isdigit())
            records.phones.append(
                _phone(number, child_id(public_id, f"phone:intake:{digits}"), "Intake line for new patients")
                | {"service_id": service}
            )
    for location in locations:
        records.places.append(_place(public_id, organization_id, service, center["name"], location))
    for vocabulary, slug, name in links:
        term = term_record(vocabulary, slug, name)
        records.terms[term["id"]] = term
        records.attributes.append(
            {
                "id": child_id(public_id, f"attribute:{vocabulary}:{slug}"),
                "link_id": service,
                "taxonomy_term_id": term["id"],
                "link_type": VOCABULARIES[vocabulary][1],
                "link_entity": "service",
            }
        )
    # Medicare claims evidence: attributes of the service naming the treatment's term, the
    # evidence in words as their value. (A treatment staff removed keeps its evidence on the
    # center page, not here: its term is not among the center's.)
    treatment_terms = {slug: term_id("treatments", slug) for vocabulary, slug, _ in links if vocabulary == "treatments"}
    for entry in center["medicare_evidence"] or []:
        if entry["treatment"] not in treatment_terms:
            continue
        sentence = evidence_sentence(**entry)
        records.attributes.append(
            {
                "id": child_id(public_id, f"attribute:medicare:{entry['treatment']}:{entry['year']}"),
                "link_id": service,
                "taxonomy_term_id": treatment_terms[entry["treatment"]],
                "link_type": EVIDENCE_LINK_TYPE,
                "link_entity": "service",
                "value": f"{sentence} Source: {EVIDENCE_SOURCE}, {entry['year']}.",
            }
        )
    return records


def _sentence(label: str, names: list[str]) -> str:
    return f"{label}: {', '.join(names)}." if names else ""


def _phone(phone: str, identifier: str, description: str) -> dict:
    number, extension = split_extension(phone)
    return compact(
        {"id": identifier, "number": number, "extension": extension, "type": "voice", "description": description}
    )


def _place(public_id, organization_id: str, service: str, center_name: str, location: dict) -> Place:
    pk = location["id"]
    location_id = child_id(public_id, f"location:{pk}")
    service_at_location_id = child_id(public_id, f"service_at_location:{pk}")
    place = Place(
        location=compact(
            {
                "id": location_id,
                "location_type": "physical",
                "organization_id": organization_id,
                "name": location["label"] or center_name,
                "latitude": location["latitude"],
                "longitude": location["longitude"],
            }
        ),
        service_at_location={"id": service_at_location_id, "service_id": service, "location_id": location_id},
    )
    if location["street1"]:  # HSDS requires address_1: without a street there is no address record
        place.addresses.append(
            compact(
                {
                    "id": child_id(public_id, f"address:{pk}"),
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
        )
    if location["phone"]:
        place.phones.append(
            _phone(location["phone"], child_id(public_id, f"phone:location:{pk}"), "Phone at this location")
            | {"location_id": location_id, "service_at_location_id": service_at_location_id}
        )
    if location["hours"]:
        rules = hours_parse(location["hours"])
        base = {"location_id": location_id}
        if rules is None:
            text = " ".join(location["hours"].split())
            place.schedules.append({"id": child_id(public_id, f"schedule:{pk}:0"), **base, "description": text})
        for n, rule in enumerate(rules or []):
            place.schedules.append(
                {
                    "id": child_id(public_id, f"schedule:{pk}:{n}"),
                    **base,
                    "freq": "WEEKLY",
                    "byday": rule.byday,
                    "description": rule.description,
                    "opens_at": rule.opens_at,
                    "closes_at": rule.closes_at,
                }
            )
    return place
