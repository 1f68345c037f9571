"""Bringing the practices into the directory: match each to a center or create one, then
add the treatments and the year's evidence.

A practice matches an existing center (any source, demo listings aside) when one of the
center's locations has the same normalized street and ZIP, or when an organization billing
at the practice has the center's name (legal forms aside) in the same city and state. A
center this import created earlier is found again by its source key. Otherwise the practice
becomes a new, published, unverified center with source "Medicare claims YEAR".

Staff edits are never overwritten: an existing center's fields, locations and lists are
left as they are. The only changes to an existing center are the year's evidence lines and
a treatment it does not list yet, added the first time claims show it (so a treatment
staff removed after that is not put back by a later year's file).
"""

import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from directory.fragments import directory_changed
from directory.importers.identity import allocate_slug, slug_candidate
from directory.importers.report import ImportReport, MissingCenter
from directory.medicare.practices import Practice, location_key, normalize_name
from directory.models import Center, CenterTreatment, Location, MedicareBilling, PaymentOption, Treatment
from directory.search.index import centers_refresh_search

SOURCE_PREFIX = "Medicare claims"
KEY_PREFIX = "medicare:"
SOURCE_KEY_MAX = 200


def source_name(year: int) -> str:
    return f"{SOURCE_PREFIX} {year}"


def practice_source_key(practice: Practice) -> str:
    key = KEY_PREFIX + practice.key
    if len(key) > SOURCE_KEY_MAX:
        digest = hashlib.sha256(key.encode()).hexdigest()[:16]
        key = f"{key[: SOURCE_KEY_MAX - 17]}#{digest}"
    return key


@dataclass
class Known:
    """What the import needs to know of the directory, read in a few queries."""

    by_source_key: dict[str, int] = field(default_factory=dict)
    by_address: dict[str, int] = field(default_factory=dict)
    by_organization: dict[tuple[str, str, str], int] = field(default_factory=dict)  # (name, state, city slug)
    offered: set[tuple[int, int]] = field(default_factory=set)  # (center, treatment)
    evidenced: set[tuple[int, int]] = field(default_factory=set)  # (center, treatment) billed in any year
    billed: set[tuple[int, int, int, str]] = field(default_factory=set)  # (center, treatment, year, NPI)
    years: dict[int, set[int]] = field(default_factory=dict)  # center -> years billed


def known_read() -> Known:
    known = Known()
    centers = Center.objects.filter(is_demo=False)
    for pk, key in centers.filter(source_key__startswith=KEY_PREFIX).order_by("id").values_list("id", "source_key"):
        known.by_source_key.setdefault(key, pk)
    locations = (
        Location.objects.filter(center__is_demo=False)
        .order_by("center_id", "id")
        .values_list("center_id", "center__name", "street1", "zip", "state", "city_slug")
    )
    for center_id, name, street, zip_code, state, city_slug in locations:
        known.by_address.setdefault(location_key(street, zip_code[:5]), center_id)
        known.by_organization.setdefault((normalize_name(name), state, city_slug), center_id)
    known.offered = set(CenterTreatment.objects.values_list("center_id", "treatment_id"))
    for center_id, treatment_id, year, npi in MedicareBilling.objects.values_list(
        "center_id", "treatment_id", "year", "npi"
    ):
        known.evidenced.add((center_id, treatment_id))
        known.billed.add((center_id, treatment_id, year, npi))
        known.years.setdefault(center_id, set()).add(year)
    return known


def practice_match(practice: Practice, known: Known) -> int | None:
    """The existing center this practice is, if any (see the module docstring)."""
    center_id = known.by_source_key.get(practice_source_key(practice)) or known.by_address.get(practice.key)
    if center_id:
        return center_id
    city_slug = slugify(practice.city)
    for biller in practice.billers.values():
        if biller.is_organization:
            center_id = known.by_organization.get((normalize_name(biller.name), practice.state, city_slug))
            if center_id:
                return center_id
    return None


def practices_sync(*, practices: list[Practice], year: int, report: ImportReport, dry_run: bool) -> None:
    """Match, create and add evidence (see the module docstring); counts on `report`."""
    source = source_name(year)
    known = known_read()
    treatment_ids = dict(Treatment.objects.values_list("slug", "id"))
    matched: dict[int, list[Practice]] = {}
    new: list[Practice] = []
    for practice in practices:
        center_id = practice_match(practice, known)
        if center_id is None:
            new.append(practice)
        else:
            matched.setdefault(center_id, []).append(practice)

    # Evidence and treatments for the centers that exist.
    billings: dict[tuple[int, int, int, str], MedicareBilling] = {}
    added_treatments: set[tuple[int, int]] = set()
    for center_id, center_practices in matched.items():
        for practice in center_practices:
            _plan_evidence(center_id, practice, year, known, treatment_ids, billings, added_treatments)
    touched = {center_id for center_id, *_ in billings}
    report.updated = len(touched)
    report.unchanged = len(matched) - len(touched)
    report.created = len(new)
    other_sources = [pk for pk in matched if pk not in set(known.by_source_key.values())]
    if other_sources:
        report.notes.append(f"matched {len(other_sources)} existing centers listed from other sources")

    if not dry_run:
        with transaction.atomic():
            new_ids = _create_centers(new, source=source)
            for center_id, practice in zip(new_ids, new, strict=True):
                _plan_evidence(center_id, practice, year, known, treatment_ids, billings, added_treatments)
            bulk_create_with_history(
                [CenterTreatment(center_id=c, treatment_id=t) for c, t in sorted(added_treatments)],
                CenterTreatment,
                batch_size=500,
                default_change_reason=f"Imported from {source}",
            )
            MedicareBilling.objects.bulk_create(billings.values(), batch_size=500)
            billed = {center_id for center_id, *_ in billings}
            centers_refresh_medicare(center_ids=billed)
            # The search columns: new centers, new treatments, and the "evidence:medicare" facet.
            changed = set(new_ids) | billed
            if changed:
                centers_refresh_search(center_ids=sorted(changed))
        # Bulk writes send no signal: the pages' kept fragments are drawn again.
        directory_changed()
    for center_id, _treatment, billed_year, _npi in billings:
        known.years.setdefault(center_id, set()).add(billed_year)
    report.missing = _no_longer_billing(known, year)
    if report.missing:
        report.missing_text = (
            f"centers billed Medicare for these treatments before {year} but not in this file "
            "(not deleted; review them in the admin)"
        )


def _plan_evidence(center_id, practice, year, known, treatment_ids, billings, added_treatments) -> None:
    for biller in practice.billers.values():
        for slug, codes in biller.codes.items():
            treatment_id = treatment_ids[slug]
            if (center_id, treatment_id) not in known.offered and (center_id, treatment_id) not in known.evidenced:
                added_treatments.add((center_id, treatment_id))
            key = (center_id, treatment_id, year, biller.npi)
            if key in known.billed:
                continue
            billing = billings.get(key)
            if billing is None:
                billings[key] = MedicareBilling(
                    center_id=center_id,
                    treatment_id=treatment_id,
                    year=year,
                    npi=biller.npi,
                    name=biller.name,
                    credentials=biller.credentials,
                    is_organization=biller.is_organization,
                    codes=" ".join(sorted(codes)),
                    location_key=practice.key[:220],
                )
            else:  # the same NPI at two addresses of one center
                billing.codes = " ".join(sorted(set(billing.codes.split()) | codes))


def _create_centers(practices: list[Practice], *, source: str) -> list[int]:
    """New published, unverified centers with their location (and Medicare when billers take
    assignment); returns their ids in the order of `practices`."""
    if not practices:
        return []
    taken = set(Center.objects.values_list("slug", flat=True))
    reason = f"Imported from {source}"
    centers = [
        Center(
            name=practice.name,
            slug=allocate_slug(slug_candidate(practice.name, practice.city, practice.state), taken),
            status=Center.Status.PUBLISHED,
            source=source,
            source_key=practice_source_key(practice),
        )
        for practice in practices
    ]
    bulk_create_with_history(centers, Center, batch_size=500, default_change_reason=reason)
    ids = dict(Center.objects.filter(slug__in=[c.slug for c in centers]).values_list("slug", "id"))
    center_ids = [ids[center.slug] for center in centers]
    locations = [
        Location(
            center_id=center_id,
            street1=practice.street1,
            street2=practice.street2,
            city=practice.city,
            city_slug=slugify(practice.city),
            state=practice.state,
            zip=practice.zip,
            latitude=practice.latitude,
            longitude=practice.longitude,
        )
        for center_id, practice in zip(center_ids, practices, strict=True)
    ]
    bulk_create_with_history(locations, Location, batch_size=500, default_change_reason=reason)
    medicare = PaymentOption.objects.filter(slug="medicare").values_list("id", flat=True).first()
    if medicare:
        through = Center.payment_options.through
        through.objects.bulk_create(
            [
                through(center_id=center_id, paymentoption_id=medicare)
                for center_id, practice in zip(center_ids, practices, strict=True)
                if practice.participating
            ],
            batch_size=500,
        )
    return center_ids


def centers_refresh_medicare(*, center_ids) -> None:
    """Recompute `Center.medicare_evidence` of these centers from their MedicareBilling rows."""
    summaries: dict[int, dict[tuple[str, int], dict]] = {pk: {} for pk in center_ids}
    rows = (
        MedicareBilling.objects.filter(center_id__in=list(center_ids))
        .values("center_id", "treatment__slug", "treatment__sort_order", "year", "is_organization")
        .annotate(billers=Count("id"))
        .order_by("center_id", "-year", "treatment__sort_order", "treatment__slug")
    )
    for row in rows:
        key = (row["treatment__slug"], row["year"])
        entry = summaries[row["center_id"]].setdefault(
            key, {"treatment": key[0], "year": key[1], "clinicians": 0, "practices": 0}
        )
        entry["practices" if row["is_organization"] else "clinicians"] += row["billers"]
    centers = [Center(id=pk, medicare_evidence=list(entries.values())) for pk, entries in summaries.items()]
    Center.objects.bulk_update(centers, ["medicare_evidence"], batch_size=500)


def _no_longer_billing(known: Known, year: int) -> list[MissingCenter]:
    """Centers with evidence from years before `year` and none from `year` or later."""
    stopped = [pk for pk, years in known.years.items() if year not in years and max(years) < year]
    centers = Center.objects.filter(pk__in=stopped).values_list("name", "slug", "status", "source_key")
    return sorted((MissingCenter(*row) for row in centers), key=lambda center: center.name.casefold())
