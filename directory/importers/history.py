"""Change history for what an import wrote, when django-simple-history tracks the models.

Bulk writes send no signals, so simple-history records nothing by itself. When Center,
Location and CenterTreatment have `history` (HistoricalRecords), the import writes one
history record per center it created ("+") or changed ("~"), with the center's
many-to-many lists as they are after the import (the fields the history tracks), one per
location created or changed, and one per treatment detail created. Treatment details the
import deletes get their "-" records from simple-history's own delete signal. Records say
who ran the import (the admin user, none from the command line) and why
("Imported from SAMHSA National Directory 2022"). Without simple-history this does nothing.
"""

from collections.abc import Iterable

from directory.importers.sql import insert_returning_ids, insert_rows
from directory.models import Center, CenterTreatment, Location


def history_enabled() -> bool:
    return all(hasattr(model, "history") for model in (Center, Location, CenterTreatment))


def history_record(
    *,
    created_centers: list[dict],
    changed_centers: list[int],
    created_locations: list[dict],
    changed_locations: list[int],
    added_treatments: Iterable[tuple[int, int]],
    when,
    user_id: int | None,
    reason: str,
) -> None:
    """Write the history records of one batch (see the module docstring).

    Created centers and locations come as the column values just inserted (with their ids),
    so their records need no reading back; changed ones are read as they are now.
    """
    common = {"history_date": when, "history_user_id": user_id, "history_change_reason": reason}
    center_history = _insert_records(Center, created_centers, "+", common)
    center_history.update(_record(Center, changed_centers, "~", common))
    _record_center_lists(center_history)
    _insert_records(Location, created_locations, "+", common)
    _record(Location, changed_locations, "~", common)
    added = set(added_treatments)
    if added:
        centers = {center_id for center_id, _ in added}
        details = CenterTreatment.objects.filter(center_id__in=centers).values_list("id", "center_id", "treatment_id")
        _record(
            CenterTreatment,
            [pk for pk, center_id, treatment in details if (center_id, treatment) in added],
            "+",
            common,
        )


def _record(model, ids: list[int], kind: str, common: dict) -> dict[int, int]:
    """History records of `model` rows `ids` as they are now: {row id: history id}."""
    if not ids:
        return {}
    historical = model.history.model
    tracked = [field.attname for field in historical.tracked_fields]  # not the import's own bookkeeping
    rows = []
    for start in range(0, len(ids), 1000):
        rows.extend(model.objects.filter(pk__in=ids[start : start + 1000]).values(*tracked))
    return _insert_records(model, rows, kind, common)


def _insert_records(model, rows: list[dict], kind: str, common: dict) -> dict[int, int]:
    """History records from rows of column values (with "id"): {row id: history id}."""
    historical = model.history.model
    history_ids = insert_returning_ids(historical, [{**row, **common, "history_type": kind} for row in rows])
    return {row["id"]: history_id for row, history_id in zip(rows, history_ids, strict=True)}


def _record_center_lists(center_history: dict[int, int]) -> None:
    """The many-to-many lists the center history tracks, for each new center history record."""
    if not center_history:
        return
    historical = Center.history.model
    for field in getattr(historical, "_history_m2m_fields", []):
        through = field.remote_field.through
        column = f"{field.m2m_reverse_field_name()}_id"
        snapshot_model = getattr(historical, field.name).model
        centers = list(center_history)
        links = []
        for start in range(0, len(centers), 1000):
            links.extend(
                through.objects.filter(center_id__in=centers[start : start + 1000]).values_list(
                    "id", "center_id", column
                )
            )
        insert_rows(
            snapshot_model,
            ("id", "center_id", column, "history_id"),
            [(pk, center_id, lookup_id, center_history[center_id]) for pk, center_id, lookup_id in links],
        )
