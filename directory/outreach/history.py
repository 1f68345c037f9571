"""The public change log of a center, read from django-simple-history's records.

It says when a listing changed and what kind of thing changed ("phone", "address",
"treatments"), never who changed it or what it said before. Internal fields (the inquiry
address, provenance, import bookkeeping) never appear.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_noop

from directory.models import Center, CenterTreatment, Location

# What the public sees for each changed field; fields not listed are never shown.
CENTER_FIELD_KINDS = {
    "name": gettext_noop("name"),
    "description": gettext_noop("description"),
    "description_es": gettext_noop("description"),
    "phone": gettext_noop("phone"),
    "website": gettext_noop("website"),
    "email": gettext_noop("e-mail"),
    "status": gettext_noop("status"),
    "accepting_new_patients": gettext_noop("availability"),
    "accepting_checked_on": gettext_noop("availability"),
    "typical_wait": gettext_noop("waiting time"),
    "care_settings": gettext_noop("care settings"),
    "payment_options": gettext_noop("insurance and payment"),
    "insurers": gettext_noop("insurance and payment"),
    "age_groups": gettext_noop("ages served"),
    "languages": gettext_noop("languages"),
    "crisis_services": gettext_noop("crisis services"),
}
LOCATION_FIELD_KINDS = {
    "label": gettext_noop("address"),
    "street1": gettext_noop("address"),
    "street2": gettext_noop("address"),
    "city": gettext_noop("address"),
    "state": gettext_noop("address"),
    "zip": gettext_noop("address"),
    "latitude": gettext_noop("address"),
    "longitude": gettext_noop("address"),
    "phone": gettext_noop("phone"),
    "hours": gettext_noop("hours"),
    "wheelchair_accessible": gettext_noop("accessibility"),
}
TREATMENT_FIELD_KINDS = {
    "treatment_id": gettext_noop("treatments"),
    "tms_variant": gettext_noop("treatments"),
    "ketamine_route": gettext_noop("treatments"),
    "spravato_rems_certified": gettext_noop("treatments"),
    "ect_setting": gettext_noop("treatments"),
    "vns_role": gettext_noop("treatments"),
    "psychedelic_program": gettext_noop("treatments"),
    "notes": gettext_noop("treatments"),
    "self_pay_price": gettext_noop("prices"),
    "price_unit": gettext_noop("prices"),
    "prior_authorization_help": gettext_noop("insurance and payment"),
}
LISTED = "listed"
# Enough history for the log's few entries; older records are not read.
RECORDS_READ = 60
# Saving a new listing also saves its locations, treatments and lists just after it:
# that is the listing being made, not changes to it.
CREATION_GRACE = timedelta(minutes=10)


@dataclass(frozen=True)
class ChangeLogEntry:
    day: date
    listed: bool
    kinds: tuple[str, ...]


def _changed_kinds(records, field_kinds: dict[str, str], creation_kind: str | None, m2m_values=None):
    """Yield (when, kind) for each change between consecutive versions of each object."""
    by_object = defaultdict(list)
    for record in records:
        by_object[record.id].append(record)
    for versions in by_object.values():
        versions.sort(key=lambda r: (r.history_date, r.history_id))
        previous = None
        for record in versions:
            when = record.history_date
            if record.history_type in {"+", "-"} and creation_kind:
                yield when, creation_kind
            elif previous is not None:
                for field, kind in field_kinds.items():
                    if m2m_values is not None and field in m2m_values:
                        old = m2m_values[field].get(previous.history_id, frozenset())
                        new = m2m_values[field].get(record.history_id, frozenset())
                    else:
                        old, new = getattr(previous, field, None), getattr(record, field, None)
                    if old != new:
                        yield when, kind
            previous = record


def _center_m2m_values(history_ids: list[int]) -> dict[str, dict[int, frozenset]]:
    """For each tracked many-to-many field: the set of linked ids in each center version."""
    values = {}
    for field in Center.history.model._history_m2m_fields:
        m2m_model = getattr(Center.history.model, field.name).model
        target = f"{field.m2m_reverse_field_name()}_id"
        linked = defaultdict(set)
        for history_id, target_id in m2m_model.objects.filter(history_id__in=history_ids).values_list(
            "history_id", target
        ):
            linked[history_id].add(target_id)
        values[field.name] = {key: frozenset(ids) for key, ids in linked.items()}
    return values


def center_change_log(center: Center, *, limit: int = 6) -> list[ChangeLogEntry]:
    """The latest days on which the public listing changed, newest first, with what changed."""
    center_records = list(Center.history.filter(id=center.pk).order_by("-history_date", "-history_id")[:RECORDS_READ])
    m2m_values = _center_m2m_values([r.history_id for r in center_records])
    location_records = Location.history.filter(center_id=center.pk).order_by("-history_date")[:RECORDS_READ]
    treatment_records = CenterTreatment.history.filter(center_id=center.pk).order_by("-history_date")[:RECORDS_READ]

    changes = [
        *_changed_kinds(center_records, CENTER_FIELD_KINDS, LISTED, m2m_values),
        *_changed_kinds(location_records, LOCATION_FIELD_KINDS, "address"),
        *_changed_kinds(treatment_records, TREATMENT_FIELD_KINDS, "treatments"),
    ]
    created = min((when for when, kind in changes if kind == LISTED), default=None)
    days: dict[date, set[str]] = defaultdict(set)
    for when, kind in changes:
        if kind != LISTED and _while_listing(when, created):
            continue
        days[timezone.localdate(when)].add(kind)

    return [
        ChangeLogEntry(day=day, listed=LISTED in days[day], kinds=tuple(sorted(days[day] - {LISTED})))
        for day in sorted(days, reverse=True)[:limit]
    ]


def _while_listing(when: datetime, created: datetime | None) -> bool:
    return created is not None and created <= when <= created + CREATION_GRACE


# The log is read on every center page view (about a fifth of its time) and changes only
# when the listing does: it is kept this long, and forgotten as soon as simple-history
# records a change to the center, one of its locations or treatments. Imports write their
# history in bulk without signals; their changes show once this time has passed.
CHANGE_LOG_SECONDS = 300


def _change_log_key(center_id: int) -> str:
    return f"directory:change-log:{center_id}"


def center_change_log_cached(center: Center) -> list[ChangeLogEntry]:
    entries = cache.get(_change_log_key(center.pk))
    if entries is None:
        entries = center_change_log(center)
        cache.set(_change_log_key(center.pk), entries, CHANGE_LOG_SECONDS)
    return entries


def change_log_forget(*, instance, **_signal) -> None:
    """simple-history's post_create_historical_record: a listing changed."""
    center_id = instance.pk if isinstance(instance, Center) else getattr(instance, "center_id", None)
    if center_id is not None:
        cache.delete(_change_log_key(center_id))
