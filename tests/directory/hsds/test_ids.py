"""HSDS ids are published: a reuser joins next year's export to this year's by them, so a
change of formula would silently break every copy. These pin the ids of one fixed center as
published, and the index that finds a service's center from its id."""

import uuid

import pytest

from directory.hsds import ids
from tests.factories import make_center

PUBLIC_ID = uuid.UUID("12345678-1234-5678-1234-567812345678")


def test_the_published_ids_never_change():
    assert ids.service_id(PUBLIC_ID) == "1cb569d5-a46b-58af-812a-112bc23643a8"
    assert ids.child_id(PUBLIC_ID, "location:7") == "cb899f5e-97e0-5e23-b486-87878385c388"
    assert ids.term_id("treatment", "tms") == "c95caf8a-dbb1-5fb8-89c6-327f76effc7d"
    assert ids.TAXONOMY_ID == "66d7cddc-d4a2-5be6-bab6-9edfd279c24f"


@pytest.mark.django_db
def test_a_fresh_index_finds_centers_then_those_added_after_its_first_look():
    index = ids.ServiceIndex()  # as a new worker process starts
    first = make_center(name="First")
    assert index.center_pk(ids.service_id(first.public_id)) == first.pk
    later = make_center(name="Later")  # written after the index last looked
    assert index.center_pk(ids.service_id(later.public_id)) == later.pk
    assert index.center_pk(ids.service_id(first.public_id)) == first.pk
    assert index.center_pk(ids.service_id(uuid.uuid4())) is None
    assert index.center_pk("not an id") is None


@pytest.mark.django_db
def test_a_service_the_index_has_seen_is_found_without_reading_the_database(django_assert_num_queries):
    index = ids.ServiceIndex()
    center = make_center(name="Seen")
    service = ids.service_id(center.public_id)
    assert index.center_pk(service) == center.pk  # the first look reads the centers
    with django_assert_num_queries(0):  # each API request for this service asks the index again
        assert index.center_pk(service) == center.pk
