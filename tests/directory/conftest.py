import math

from django.conf import settings

from directory.models import AgeGroup, CareSetting, Center, Language, PaymentOption
from directory.search.index import centers_refresh_search
from tests.factories import make_center

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
EARTH_RADIUS_MILES = 3958.8

# The centre of ZIP 32207 (Jacksonville, FL) in the zipcodes data.
JAX = (30.2908, -81.6321)


def miles_between(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance, written here independently of directory.geo."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(h))


def point_at(lat: float, lng: float, *, miles: float, bearing: float) -> tuple[float, float]:
    """The point `miles` away from (lat, lng) on `bearing` degrees (spherical Earth)."""
    d = miles / EARTH_RADIUS_MILES
    b = math.radians(bearing)
    p1, l1 = math.radians(lat), math.radians(lng)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2))
    return math.degrees(p2), math.degrees(l2)


def center_with(
    *,
    settings_: tuple[str, ...] = (),
    payments: tuple[str, ...] = (),
    ages: tuple[str, ...] = (),
    languages: tuple[str, ...] = (),
    **fields,
) -> Center:
    """make_center() plus lookups, with the search columns refreshed."""
    center = make_center(**fields)
    center.care_settings.set(CareSetting.objects.filter(slug__in=settings_))
    center.payment_options.set(PaymentOption.objects.filter(slug__in=payments))
    center.age_groups.set(AgeGroup.objects.filter(slug__in=ages))
    center.languages.set(Language.objects.filter(slug__in=languages))
    centers_refresh_search(center_ids=[center.pk])
    return center


def api_names(client, query: str) -> list[str]:
    response = client.get(f"/api/centers/?{query}")
    assert response.status_code == 200, response.content
    return [result["name"] for result in response.json()["results"]]
