import re

import pytest
from django.core.management import call_command

from articles.models import Article
from directory.models import CareSetting, Center, CenterTreatment, Location, PaymentOption, Treatment

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        "centers": Center.objects.count(),
        "locations": Location.objects.count(),
        "offers": Center.treatments.through.objects.count(),
        "articles": Article.objects.count(),
    }


def test_load_demo_twice_gives_the_same_counts():
    call_command("load_demo", stdout=None)
    first = counts()
    call_command("load_demo")
    assert counts() == first
    assert first["centers"] >= 40 and first["articles"] >= 3


def test_demo_centers_are_fictional_and_cover_everything():
    call_command("load_demo")
    centers = Center.objects.published().filter(is_demo=True)
    assert centers.count() >= 40
    cities = set(Location.objects.values_list("city", "state"))
    assert len(cities) >= 8 and ("Jacksonville", "FL") in cities
    for center in centers:
        assert re.fullmatch(r"\(\d{3}\) 555-01\d\d", center.phone), center.phone
        assert center.website.endswith(".example.org/")
    for model in (Treatment, CareSetting, PaymentOption):
        missing = model.objects.exclude(centers__is_demo=True)
        assert not missing.exists(), f"no demo center offers {list(missing)}"


def test_demo_coordinates_sit_in_their_city():
    call_command("load_demo")
    for location in Location.objects.filter(city="Jacksonville"):
        assert 30.0 < location.latitude < 30.6 and -82.0 < location.longitude < -81.3


def test_demo_prices_say_per_infusion_only_for_ketamine_given_by_iv(client):
    call_command("load_demo")
    offers = CenterTreatment.objects.filter(treatment__slug="ketamine", center__is_demo=True).exclude(price_unit="")
    assert {offer.ketamine_route for offer in offers} >= {"iv", "oral"}
    for offer in offers:
        assert (offer.price_unit == "per infusion") == (offer.ketamine_route == "iv"), offer
    html = client.get("/centers/?treatment=ketamine").content.decode()
    assert "Oral or sublingual · Self-pay $450 per infusion" not in html


def test_demo_centers_come_only_on_request_and_go_again(client):
    assert b"Demo data." not in client.get("/").content
    call_command("load_demo")
    assert b"Demo data." in client.get("/").content
    call_command("load_demo", "--remove")
    assert not Center.objects.filter(is_demo=True).exists()
    assert b"Demo data." not in client.get("/").content
