"""generate_centers makes realistic fictional listings for benchmarks, and removes only its own."""

import pytest
from django.core.management import call_command

from directory import geo
from directory.models import Center
from tests.factories import make_center

pytestmark = pytest.mark.django_db


def test_generated_centers_are_published_demo_listings_on_real_zip_codes(client):
    call_command("generate_centers", "30", "--seed", "7")
    generated = Center.objects.filter(slug__startswith="generated-").prefetch_related("locations", "treatments")
    assert generated.count() == 30
    for center in generated:
        assert center.status == Center.Status.PUBLISHED and center.is_demo
        location = center.locations.get()
        place = geo.zip_place(location.zip)
        assert place is not None and (place.latitude, place.longitude) == (location.latitude, location.longitude)
        assert location.city_slug and center.treatments.exists()
    page = client.get(generated.first().get_absolute_url())
    assert page.status_code == 200 and b"Demo data." in page.content


def test_generating_again_adds_more_and_replace_keeps_other_centers():
    real = make_center(name="A Real Clinic")
    call_command("generate_centers", "5")
    call_command("generate_centers", "5")
    assert Center.objects.filter(slug__startswith="generated-").count() == 10
    call_command("generate_centers", "3", "--replace")
    assert Center.objects.filter(slug__startswith="generated-").count() == 3
    assert Center.objects.filter(pk=real.pk).exists()
