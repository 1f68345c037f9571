"""Answers the search keeps for every visitor, and for how long (directory/search/query.py).

Two counts are kept rather than read for every page: a search without a place or words counts
the whole directory (kept UNBOUNDED_COUNT_SECONDS, a minute), and an empty page's telehealth
line counts a state's centers (kept STATE_COUNT_SECONDS, as long as a shared cache may keep the
page). A center added meanwhile shows up once that time has passed, and not before.
"""

import re
import time
from html import unescape

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache

from directory.models import Center
from tests.directory.conftest import center_with
from tests.factories import make_center

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """Moves the clock the default cache reads (time.time) forward by `clock.advance(seconds)`."""
    assert isinstance(caches["default"], LocMemCache), "these tests move the local-memory cache's clock"
    real = time.time

    class Clock:
        offset = 0.0

        def advance(self, seconds: float) -> None:
            self.offset += seconds

    moved = Clock()
    monkeypatch.setattr(time, "time", lambda: real() + moved.offset)
    return moved


def test_the_count_of_a_search_without_place_or_words_is_renewed_after_a_minute(client, clock):
    for n in range(21):
        make_center(name=f"Center {n:02d}", treatments=("tms",))
    assert client.get("/api/centers/?treatment=tms").json()["count"] == 21
    for n in range(21, 23):
        make_center(name=f"Center {n:02d}", treatments=("tms",))
    clock.advance(59.5)
    assert client.get("/api/centers/?treatment=tms").json()["count"] == 21  # kept
    clock.advance(1.0)  # 60.5 s after it was counted
    assert client.get("/api/centers/?treatment=tms").json()["count"] == 23


def test_an_empty_pages_telehealth_line_is_renewed_after_five_minutes(client, clock):
    miami = (25.77, -80.19)

    def telehealth(name):
        return center_with(name=name, latitude=miami[0], longitude=miami[1], city="Miami", zip_code="33130",
                           settings_=("telehealth",))  # fmt: skip

    def line():
        html = unescape(client.get("/centers/?near=32207").content.decode())
        return re.search(r"\d+ centers? in FL offers? telehealth visits", html).group(0)

    telehealth("Tele A")
    assert line() == "1 center in FL offers telehealth visits"
    telehealth("Tele B")
    clock.advance(299.5)
    assert line() == "1 center in FL offers telehealth visits"  # kept
    clock.advance(1.0)  # 300.5 s after it was counted
    assert line() == "2 centers in FL offer telehealth visits"


def test_a_kept_count_is_never_below_what_the_page_shows_and_an_empty_page_counts_none(client):
    """The count kept a minute may be behind the directory, but the page is read fresh: a center
    added meanwhile raises the count to what the page shows, and one page left empty counts 0."""
    make_center(name="Center A", treatments=("tms",))
    assert client.get("/api/centers/?treatment=tms").json()["count"] == 1  # counted, and kept
    make_center(name="Center B", treatments=("tms",))
    data = client.get("/api/centers/?treatment=tms").json()
    assert (data["count"], [r["name"] for r in data["results"]]) == (2, ["Center A", "Center B"])
    Center.objects.update(status=Center.Status.CLOSED)
    data = client.get("/api/centers/?treatment=tms").json()
    assert (data["count"], data["results"]) == (0, [])
    assert client.get("/api/centers/?treatment=ect").json()["count"] == 0  # nothing kept: none matches
