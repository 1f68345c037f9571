"""Offline geocoding of US ZIP codes and cities, and great-circle distance.

The `zipcodes` package ships every US ZIP with coordinates. We index it once per process
(about half a second) and answer from memory after that; nothing leaves the machine.
"""

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import zipcodes
from django.utils.text import slugify

EARTH_RADIUS_MILES = 3958.7613
ZIP_RE = re.compile(r"^\s*(\d{5})(?:-\d{4})?\s*$")
CITY_STATE_RE = re.compile(r"^\s*(?P<city>.+?)[\s,]+(?P<state>[A-Za-z]{2})\s*$")


@dataclass(frozen=True)
class Place:
    label: str  # "Jacksonville, FL" or "32207 (Jacksonville, FL)"
    latitude: float
    longitude: float
    city: str
    state: str


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, Place], dict[tuple[str, str], Place]]:
    by_zip: dict[str, Place] = {}
    points_by_city: dict[tuple[str, str], list[tuple[float, float, str]]] = {}
    for row in zipcodes.list_all():
        try:
            lat, lng = float(row["lat"]), float(row["long"])
        except (TypeError, ValueError):
            continue
        city, state = row["city"], row["state"]
        by_zip[row["zip_code"]] = Place(f"{row['zip_code']} ({city}, {state})", lat, lng, city, state)
        for name in [city, *row.get("acceptable_cities", [])]:
            points_by_city.setdefault((slugify(name), state.upper()), []).append((lat, lng, name))
    by_city = {}
    for (city_slug, state), points in points_by_city.items():
        name = points[0][2]
        by_city[(city_slug, state)] = Place(
            f"{name}, {state}",
            sum(p[0] for p in points) / len(points),
            sum(p[1] for p in points) / len(points),
            name,
            state,
        )
    return by_zip, by_city


def zip_place(zip_code: str) -> Place | None:
    match = ZIP_RE.match(zip_code or "")
    return _index()[0].get(match.group(1)) if match else None


def city_place(city: str, state: str) -> Place | None:
    """The centre of a city's ZIP codes, or None if the city is unknown."""
    return _index()[1].get((slugify(city), state.upper()))


def find_place(text: str) -> Place | None:
    """Geocode what a person typed: a 5-digit ZIP, or "City, ST" in any case."""
    text = (text or "").strip()
    if ZIP_RE.match(text):
        return zip_place(text)
    match = CITY_STATE_RE.match(text)
    if match:
        return city_place(match.group("city").strip(" ,"), match.group("state"))
    return None


def haversine_miles(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lng2 - lng1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lng: float, miles: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lng, max_lng) of a box that contains the circle."""
    d_lat = math.degrees(miles / EARTH_RADIUS_MILES)
    cos_lat = max(math.cos(math.radians(lat)), 1e-6)
    d_lng = min(180.0, math.degrees(miles / (EARTH_RADIUS_MILES * cos_lat)))
    return lat - d_lat, lat + d_lat, lng - d_lng, lng + d_lng
