"""Bringing the database in line with the facilities: compare in memory, write in batches.

Everything the comparison needs is read in a handful of queries up front (centers with a
source key, their locations, their lookup links and treatments). Each facility is then
planned in memory as create / update / unchanged, and the writes go out in batches, each
batch in its own transaction with bulk inserts and updates: an interrupted import keeps
the batches it finished, and a rerun sees those centers as unchanged and completes the rest.

Staff edits: `Center.source_snapshot` holds the source's values at the last import. A
field whose current value differs from the snapshot was edited by staff, and the import
leaves it alone ("kept N staff edits"). Lookup sets merge three ways: what the source
added since the snapshot is added, what it dropped is removed, and what staff added or
removed stays so.
"""

import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from directory.fragments import directory_changed
from directory.importers.codes import M2M_VOCABULARIES, VOCABULARIES
from directory.importers.history import history_enabled, history_record
from directory.importers.identity import allocate_slug, slug_candidate
from directory.importers.mapping import CENTER_FIELDS, LOCATION_FIELDS, Facility
from directory.importers.report import ImportReport, MissingCenter
from directory.importers.sql import insert_returning_ids, insert_rows, update_snapshots
from directory.models import Center, CenterTreatment, Location, Treatment
from directory.search.index import FACETS, centers_refresh_search, facets_text, search_document_texts

SOURCE_PREFIX = "SAMHSA National Directory"
TREATMENT_DETAIL_FIELDS = (
    "tms_variant",
    "ketamine_route",
    "spravato_rems_certified",
    "ect_setting",
    "vns_role",
    "psychedelic_program",
    "self_pay_price",
    "price_unit",
    "prior_authorization_help",
    "notes",
)
# The search_facets prefix (directory/search/index.py) of each vocabulary that has one.
FACET_PREFIXES = {
    ("treatments" if relation == "treatment_details" else relation): prefix for prefix, (relation, _) in FACETS.items()
}
LOOKUP_MODELS = {vocabulary: Center._meta.get_field(vocabulary).related_model for vocabulary in M2M_VOCABULARIES} | {
    "treatments": Treatment
}


def _through(vocabulary: str):
    """(through model, column naming the lookup) of one of Center's plain many-to-many relations."""
    relation = Center._meta.get_field(vocabulary)
    return relation.remote_field.through, f"{relation.m2m_reverse_field_name()}_id"


@dataclass
class ExistingCenter:
    id: int
    slug: str
    status: str
    values: dict
    snapshot: dict
    locations: list[dict] = field(default_factory=list)
    links: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))  # vocabulary -> slug -> row id
    detailed_treatments: set[str] = field(default_factory=set)  # treatments with staff-entered details

    def imported_location(self) -> dict | None:
        location_id = (self.snapshot.get("location") or {}).get("id")
        if location_id is not None:
            return next((loc for loc in self.locations if loc["id"] == location_id), None)
        return self.locations[0] if self.locations else None


class NewCenter:
    """A center this batch creates: its column values (search_facets included), the texts of
    its search_vector (directory.search.index.search_document_texts), and its id once inserted."""

    __slots__ = ("id", "search_texts", "values")

    def __init__(self, values: dict, search_texts: tuple[str, ...]):
        self.values = values
        self.search_texts = search_texts
        self.id: int | None = None


def _center_id(ref: "int | NewCenter") -> int:
    return ref.id if isinstance(ref, NewCenter) else ref


@dataclass
class Plan:
    """What to write for one batch of facilities."""

    new_centers: list[NewCenter] = field(default_factory=list)
    center_updates: dict[frozenset, list[Center]] = field(default_factory=lambda: defaultdict(list))
    location_updates: dict[frozenset, list[Location]] = field(default_factory=lambda: defaultdict(list))
    # (center id, or a Center created in this batch; the location's values; the center's new snapshot)
    new_locations: list[tuple[int | NewCenter, dict, dict]] = field(default_factory=list)
    # vocabulary -> (center id, or a Center created in this batch, lookup slug)
    link_adds: dict[str, list[tuple[int | NewCenter, str]]] = field(default_factory=lambda: defaultdict(list))
    link_removals: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    changed_centers: list[int] = field(default_factory=list)  # listings that change (not bookkeeping only)
    search_changed: list[int] = field(default_factory=list)  # existing centers whose search columns change

    def __bool__(self) -> bool:
        return bool(
            self.new_centers
            or self.center_updates
            or self.location_updates
            or self.new_locations
            or self.link_adds
            or self.link_removals
        )


class Sync:
    """One import's view of the database, and the writes that bring it in line with the facilities."""

    def __init__(
        self,
        *,
        report: ImportReport,
        dry_run: bool,
        batch_size: int = 1000,
        user_id: int | None = None,
        reason: str = "",
    ):
        self.report = report
        self.dry_run = dry_run
        self.batch_size = batch_size
        self.now = timezone.now()
        self.history = history_enabled()
        self.user_id = user_id
        self.reason = reason
        self.lookup_ids = {
            vocabulary: dict(model.objects.values_list("slug", "id")) for vocabulary, model in LOOKUP_MODELS.items()
        }
        self.lookup_slugs = {
            vocabulary: {pk: slug for slug, pk in ids.items()} for vocabulary, ids in self.lookup_ids.items()
        }
        # slug -> (name, short name), in the treatments' lookup order (as the search vector joins them)
        self.treatment_names = {
            slug: (name, short_name)
            for slug, name, short_name in Treatment.objects.order_by("sort_order", "id").values_list(
                "slug", "name", "short_name"
            )
        }
        self.taken_slugs = set(Center.objects.values_list("slug", flat=True))
        self.existing = self._load_existing()

    # Reading ---------------------------------------------------------------------------

    def _load_existing(self) -> dict[str, ExistingCenter]:
        by_key: dict[str, ExistingCenter] = {}
        by_id: dict[int, ExistingCenter] = {}
        rows = (
            Center.objects.exclude(source_key="")
            .order_by("id")
            .values("id", "slug", "status", "source_key", "source_snapshot", *CENTER_FIELDS)
        )
        for row in rows:
            if row["source_key"] in by_key:
                continue  # two centers with one key: the older one is the imported one
            center = ExistingCenter(
                id=row["id"],
                slug=row["slug"],
                status=row["status"],
                values={name: row[name] for name in CENTER_FIELDS},
                snapshot=row["source_snapshot"] or {},
            )
            by_key[row["source_key"]] = by_id[row["id"]] = center
        locations = (
            Location.objects.exclude(center__source_key="")
            .order_by("sort_order", "id")
            .values("id", "center_id", *LOCATION_FIELDS)
        )
        for location in locations:
            if location["center_id"] in by_id:
                by_id[location["center_id"]].locations.append(location)
        for vocabulary in M2M_VOCABULARIES:
            through, column = _through(vocabulary)
            slugs = self.lookup_slugs[vocabulary]
            links = through.objects.exclude(center__source_key="").values_list("id", "center_id", column)
            for link_id, center_id, lookup_id in links:
                if center_id in by_id:
                    by_id[center_id].links[vocabulary][slugs[lookup_id]] = link_id
        details = CenterTreatment.objects.exclude(center__source_key="").values(
            "id", "center_id", "treatment_id", *TREATMENT_DETAIL_FIELDS
        )
        treatment_slugs = self.lookup_slugs["treatments"]
        for detail in details:
            center = by_id.get(detail["center_id"])
            if center is None:
                continue
            slug = treatment_slugs[detail["treatment_id"]]
            center.links["treatments"][slug] = detail["id"]
            if any(detail[name] not in (None, "") for name in TREATMENT_DETAIL_FIELDS):
                center.detailed_treatments.add(slug)
        return by_key

    # Planning --------------------------------------------------------------------------

    def plan(self, facility: Facility, plan: Plan) -> None:
        existing = self.existing.get(facility.source_key)
        if existing is None:
            self._plan_create(facility, plan)
            self.report.created += 1
        elif self._plan_update(facility, existing, plan):
            self.report.updated += 1
        else:
            self.report.unchanged += 1

    def _plan_create(self, facility: Facility, plan: Plan) -> None:
        location = facility.location
        slug = allocate_slug(
            slug_candidate(facility.center["name"], str(location["city"]), str(location["state"])), self.taken_slugs
        )
        snapshot = facility.snapshot()
        # The search columns from what is about to be written (directory/search/index.py), not read back.
        treatments = set(snapshot["treatments"])
        search_texts = search_document_texts(
            name=facility.center["name"],
            treatments=[names for slug, names in self.treatment_names.items() if slug in treatments],
            places=[(str(location["city"]), str(location["state"]).upper())],  # as _location_values() writes them
            description=Center._meta.get_field("description").get_default(),
        )
        center = NewCenter(
            {
                "slug": slug,
                "public_id": uuid.uuid4(),  # known here, so the history record can be written without reading it back
                "status": Center.Status.PUBLISHED,
                "source_key": facility.source_key,
                "created_at": self.now,
                "updated_at": self.now,
                "search_facets": facets_text(
                    {prefix: snapshot[vocabulary] for vocabulary, prefix in FACET_PREFIXES.items()}
                ),
                **facility.center,
            },
            search_texts,
        )
        plan.new_centers.append(center)
        plan.new_locations.append((center, location, snapshot))
        for vocabulary in VOCABULARIES:
            plan.link_adds[vocabulary].extend((center, slug) for slug in snapshot[vocabulary])

    def _plan_update(self, facility: Facility, existing: ExistingCenter, plan: Plan) -> bool:
        """Plan the changes for a center that exists; True when its listing changes."""
        new = facility.snapshot()
        old = existing.snapshot
        center_changes = self._merge_fields(CENTER_FIELDS, existing.values, old, new)
        snapshot = dict(new)

        location_changes: dict = {}
        location = existing.imported_location()
        if location is not None:
            location_changes = self._merge_fields(LOCATION_FIELDS, location, old.get("location") or {}, new["location"])
            snapshot["location"] = {**new["location"], "id": location["id"]}
        elif not existing.locations:  # nowhere to be found on the map: give it its location back
            plan.new_locations.append((existing.id, new["location"], snapshot))
            location_changes = {"created": True}
        else:  # staff removed the imported location and keep others: leave their locations alone
            self.report.kept_staff_edits += 1
            snapshot["location"] = {**new["location"], "id": (old.get("location") or {}).get("id")}

        links_changed = False
        searched_links_changed = False  # a treatment or a facet's lookup
        for vocabulary in VOCABULARIES:
            current = set(existing.links[vocabulary])
            target = set(new[vocabulary])
            if vocabulary in old:
                before = set(old[vocabulary])
                result = (current | (target - before)) - (before - target)
            else:  # never imported by us: add what the source lists, remove nothing
                result = current | target
            if vocabulary == "treatments":
                result |= current & existing.detailed_treatments  # never drop what staff described
            if result != target:
                self.report.kept_staff_edits += 1
            if result != current:
                links_changed = True
                searched_links_changed |= vocabulary in FACET_PREFIXES
            for slug in result - current:
                plan.link_adds[vocabulary].append((existing.id, slug))
            for slug in current - result:
                plan.link_removals[vocabulary].append(existing.links[vocabulary][slug])

        changed = bool(center_changes or location_changes or links_changed)
        if changed or snapshot != old:
            fields = set(center_changes) | {"source_snapshot"} | ({"updated_at"} if changed else set())
            center = Center(id=existing.id, source_snapshot=snapshot, updated_at=self.now, **center_changes)
            plan.center_updates[frozenset(fields)].append(center)
        if changed:
            plan.changed_centers.append(existing.id)
        # The search columns read the name, the lists and the places' cities and states.
        if "name" in center_changes or searched_links_changed or {"created", "city", "state"} & set(location_changes):
            plan.search_changed.append(existing.id)
        if location is not None and location_changes:
            values = dict(location_changes)
            if "city" in values:
                values["city_slug"] = slugify(values["city"])
            if "state" in values:
                values["state"] = values["state"].upper()
            plan.location_updates[frozenset(values)].append(Location(id=location["id"], **values))
        return changed

    def _merge_fields(self, names, current: dict, before: dict, new: dict) -> dict:
        """The fields to write: those the source changed and staff did not. Counts the staff edits kept."""
        changes = {}
        for name in names:
            if current[name] == new[name]:
                continue
            staff_edited = current[name] != before[name] if name in before else current[name] not in ("", None)
            if staff_edited:
                self.report.kept_staff_edits += 1
            else:
                changes[name] = new[name]
        return changes

    # Writing ---------------------------------------------------------------------------

    def run(self, facilities: list[Facility], *, progress: Callable[[int], None] = lambda n: None) -> None:
        for start in range(0, len(facilities), self.batch_size):
            batch = facilities[start : start + self.batch_size]
            plan = Plan()
            for facility in batch:
                self.plan(facility, plan)
            if plan and not self.dry_run:
                with transaction.atomic():
                    self._write(plan)
                # Bulk writes send no signal: the pages' kept fragments are drawn again.
                directory_changed()
            progress(len(batch))

    def _write(self, plan: Plan) -> None:
        for center, pk in zip(
            plan.new_centers, insert_returning_ids(Center, [c.values for c in plan.new_centers]), strict=True
        ):
            center.id = pk
        for fields, updates in plan.center_updates.items():
            Center.objects.bulk_update(updates, sorted(fields), batch_size=500)
        for fields, updates in plan.location_updates.items():
            Location.objects.bulk_update(updates, sorted(fields), batch_size=500)

        locations = [
            _location_values(center_id=_center_id(ref), values=values)
            # A new center's facets are known; an existing center's are copied by centers_refresh_search.
            | ({"search_facets": ref.values["search_facets"]} if isinstance(ref, NewCenter) else {})
            for ref, values, _ in plan.new_locations
        ]
        snapshots = []
        location_ids = insert_returning_ids(Location, locations)
        for location_id, location, (_, _, snapshot) in zip(location_ids, locations, plan.new_locations, strict=True):
            snapshot["location"] = {**snapshot["location"], "id": location_id}
            snapshots.append((location["center_id"], snapshot))
        # New centers get their search_vector with their snapshot (PostgreSQL).
        update_snapshots(snapshots, search_texts={center.id: center.search_texts for center in plan.new_centers})

        for vocabulary, removals in plan.link_removals.items():
            model = CenterTreatment if vocabulary == "treatments" else _through(vocabulary)[0]
            for start in range(0, len(removals), 500):
                model.objects.filter(id__in=removals[start : start + 500]).delete()
        for vocabulary, adds in plan.link_adds.items():
            ids = self.lookup_ids[vocabulary]
            rows = [(_center_id(ref), ids[slug]) for ref, slug in adds]
            if vocabulary == "treatments":
                insert_rows(CenterTreatment, ("center_id", "treatment_id"), rows)
            else:
                through, column = _through(vocabulary)
                insert_rows(through, ("center_id", column), rows)
        # The search columns (directory/search/index.py) of existing centers follow the lists and
        # places just written, staff's included: read back from the database.
        if plan.search_changed:
            centers_refresh_search(center_ids=plan.search_changed)
        if self.history:
            added_treatments = [
                (_center_id(ref), self.lookup_ids["treatments"][slug]) for ref, slug in plan.link_adds["treatments"]
            ]
            history_record(
                created_centers=[{**center.values, "id": center.id} for center in plan.new_centers],
                changed_centers=plan.changed_centers,
                created_locations=[
                    {**location, "id": pk} for location, pk in zip(locations, location_ids, strict=True)
                ],
                changed_locations=[location.id for updates in plan.location_updates.values() for location in updates],
                added_treatments=added_treatments,
                when=self.now,
                user_id=self.user_id,
                reason=self.reason,
            )

    # Reporting -------------------------------------------------------------------------

    def missing(self, facilities: list[Facility]) -> list[MissingCenter]:
        """Imported centers whose facility is not in this file: reported, never deleted."""
        present = {facility.source_key for facility in facilities}
        missing = [
            MissingCenter(center.values["name"], center.slug, center.status, key)
            for key, center in self.existing.items()
            if key not in present and center.values["source"].startswith(SOURCE_PREFIX)
        ]
        return sorted(missing, key=lambda center: center.name.casefold())


def _location_values(*, center_id: int, values: dict) -> dict:
    """A location's column values with what Location.save() would derive."""
    return {
        **values,
        "center_id": center_id,
        "city_slug": slugify(values["city"]),
        "state": str(values["state"]).upper(),
    }
