"""Versions that name the kept (cached) fragments of the center, city and treatment-in-city pages.

Most of those pages is the same for every visitor: the templates keep it rendered with
`{% cache %}` in the "fragments" cache (each process's own memory), under a key made of
the page's language and a version read here from the default cache (Redis in production,
shared by every process). When a listing changes, its center and the listings as a whole
get new versions, so the next request in every process draws the fragment afresh.

ORM saves and deletes reach here through signals (`fragments_connect`, called by the
app's ready()). Bulk writes send none: the importers, the generator and queryset updates
call `center_changed` or `directory_changed` themselves. The fragments also expire after
FRAGMENT_SECONDS, which bounds how long a write that forgot to say so stays unseen.
"""

import functools
import uuid
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

if TYPE_CHECKING:
    from directory.models import Center

FRAGMENT_SECONDS = 600

# Lookups, treatments and bulk writes: every page. Listings: any center changed (lists of centers).
_DIRECTORY_KEY = "directory:fragment-version:directory"
_LISTINGS_KEY = "directory:fragment-version:listings"


def _center_key(center_id: int) -> str:
    return f"directory:fragment-version:center:{center_id}"


def _versions(*keys: str) -> str:
    """The versions under these keys, joined; a missing one (never set, or evicted) is made
    new, which can only cause a fresh drawing, never an old fragment."""
    found = cache.get_many(keys)
    missing = {key: uuid.uuid4().hex[:12] for key in keys if key not in found}
    if missing:
        cache.set_many(missing, None)
    found |= missing
    # The day: pages say how long ago a listing was checked ("may be out of date").
    return ".".join([*(found[key] for key in keys), timezone.localdate().isoformat()])


def center_version(center: "Center") -> str:
    """Part of the key of a center page's kept fragments. A center not accepting new patients
    shows the nearest that are: its page follows every listing's changes."""
    keys = [_DIRECTORY_KEY, _center_key(center.pk)]
    if center.accepting_new_patients == center.Accepting.NO:
        keys.append(_LISTINGS_KEY)
    # updated_at as well: queryset updates (the admin's publish action) set it without a signal.
    return f"{_versions(*keys)}.{center.updated_at.timestamp()}"


def listings_version() -> str:
    """Part of the key of a city's or treatment-in-city page's kept fragments."""
    return _versions(_DIRECTORY_KEY, _LISTINGS_KEY)


def center_changed(center_id: int | None) -> None:
    """A center's listing changed: its page and every list of centers are drawn again."""
    keys = [_LISTINGS_KEY] + ([_center_key(center_id)] if center_id is not None else [])
    cache.delete_many(keys)


def directory_changed() -> None:
    """Lookups, treatments or many centers changed at once (an import): every page is drawn again."""
    cache.delete_many([_DIRECTORY_KEY, _LISTINGS_KEY])


def _instance_changed(*, instance, **_signal) -> None:
    center_changed(instance.pk if instance._meta.model_name == "center" else getattr(instance, "center_id", None))


def _lists_changed(*, instance, action: str, reverse: bool, **_signal) -> None:
    if not action.startswith("post_"):
        return
    if reverse:  # a lookup's centers changed, from the lookup's side
        directory_changed()
    else:
        center_changed(instance.pk)


def _vocabulary_changed(**_signal) -> None:
    directory_changed()


def fragments_connect() -> None:
    """Called by the app's ready(): every change the ORM signals gives the pages that show it new versions."""
    from simple_history.signals import post_create_historical_record

    from directory.models import Center, CenterTreatment, Location, MedicareBilling, ProblemReport, Treatment

    for model in (Center, Location, CenterTreatment, MedicareBilling, ProblemReport):
        uid = f"directory.fragments.{model._meta.model_name}"
        post_save.connect(_instance_changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(_instance_changed, sender=model, dispatch_uid=f"{uid}.delete")
    for field in Center._meta.many_to_many:
        if field.remote_field.through._meta.auto_created:  # the lookups' lists, not CenterTreatment
            through = field.remote_field.through
            m2m_changed.connect(_lists_changed, sender=through, dispatch_uid=f"directory.fragments.{field.name}")
            lookup = field.related_model
            uid = f"directory.fragments.{lookup._meta.model_name}"
            post_save.connect(_vocabulary_changed, sender=lookup, dispatch_uid=f"{uid}.save")
            post_delete.connect(_vocabulary_changed, sender=lookup, dispatch_uid=f"{uid}.delete")
    # simple-history's own signal too: a history record written without a save (the change log shows it).
    post_create_historical_record.connect(_instance_changed, dispatch_uid="directory.fragments.history")
    post_save.connect(_vocabulary_changed, sender=Treatment, dispatch_uid="directory.fragments.treatment.save")
    post_delete.connect(_vocabulary_changed, sender=Treatment, dispatch_uid="directory.fragments.treatment.delete")


def lazy_context(build: Callable[[], dict], names: Iterable[str]) -> dict:
    """Template context whose values are worked out by `build()` (once) when a template first
    reads one of them: on a page whose fragments are kept, only on a miss."""
    built = functools.cache(build)
    return {name: SimpleLazyObject(functools.partial(lambda name: built()[name], name)) for name in names}
