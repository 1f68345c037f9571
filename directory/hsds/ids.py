"""HSDS identifiers: the same in every export and every API response, forever.

The organization's id is the center's `public_id`. Every other record of a center is a
UUID5 of that id and a fixed name ("service", "location:<pk>", ...); taxonomy terms are
UUID5s of a fixed namespace, their vocabulary and slug. Nothing here is stored: the ids are
computed, so they cannot drift between the export and the API.
"""

import functools
import threading
import uuid
from datetime import datetime, timedelta

from django.utils import timezone

from directory.models import Center

# Fixed namespace for records that belong to no center (the taxonomy and its terms).
NAMESPACE = uuid.UUID("8f4c3b8e-2d0a-5b8e-9a55-3c1f0e7d2a61")
TAXONOMY_ID = str(uuid.uuid5(NAMESPACE, "taxonomy"))


def child_id(public_id: uuid.UUID, name: str) -> str:
    """The id of a record belonging to a center, e.g. child_id(center.public_id, "service")."""
    return str(uuid.uuid5(public_id, name))


def service_id(public_id: uuid.UUID) -> str:
    return child_id(public_id, "service")


@functools.cache  # a few dozen terms, named by 130,000 attributes in an export
def term_id(vocabulary: str, slug: str = "") -> str:
    """A taxonomy term's id; without a slug, the id of the vocabulary's own (parent) term."""
    return str(uuid.uuid5(NAMESPACE, f"taxonomy_term:{vocabulary}:{slug}"))


def parse_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except (ValueError, AttributeError, TypeError):
        return None


class ServiceIndex:
    """Finds the center of a service id in memory.

    A service id cannot be turned back into its center's `public_id` (UUID5 is a hash), and
    hashing every center's id for each request would cost about 80 ms at 9,000 centers. So
    each process keeps service id -> center pk, and on a miss reads the centers created or
    changed since it last looked, hashing only those it has not seen. It looks back an
    extra hour, so that centers written by a long transaction (an import) that committed
    after the last look are still found. Callers check the center they load.
    """

    LOOK_BACK = timedelta(hours=1)

    def __init__(self) -> None:
        self._centers: dict[str, int] = {}  # service id -> center pk
        self._public_ids: dict[int, uuid.UUID] = {}  # center pk -> public_id, for those indexed
        self._seen_until: datetime | None = None
        self._lock = threading.Lock()

    def center_pk(self, service: str) -> int | None:
        pk = self._centers.get(service)
        if pk is None:
            self._catch_up()
            pk = self._centers.get(service)
        return pk

    def _catch_up(self) -> None:
        with self._lock:
            started = timezone.now()
            centers = Center.objects.all()
            if self._seen_until is not None:
                centers = centers.filter(updated_at__gte=self._seen_until - self.LOOK_BACK)
            for pk, public_id in centers.values_list("pk", "public_id"):
                if self._public_ids.get(pk) != public_id:
                    self._centers[service_id(public_id)] = pk
                    self._public_ids[pk] = public_id
            self._seen_until = started


services = ServiceIndex()
