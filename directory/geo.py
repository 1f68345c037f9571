"""Offline geocoding of US ZIP codes and cities, and great-circle distance.

The `zipcodes` package ships every US ZIP with coordinates. We index it once per process
(about a second) and answer from memory after that; nothing leaves the machine.

City names are compared by a key that folds case, punctuation and the usual
abbreviations (St./Ste./Ft./Mt.), so "St. Louis, MO", "saint louis mo" and
"Saint Louis, Missouri" are one place.
"""

import difflib
import math
import re
from dataclasses import dataclass
from functools import lru_cache

import zipcodes
from django.utils.text import slugify
from django.utils.translation import gettext

EARTH_RADIUS_MILES = 3958.7613
ZIP_RE = re.compile(r"^\s*(\d{5})(?:-\d{4})?\s*$")
ZIP_WITH_SPACES_RE = re.compile(r"^[\d ]+(?:-\d{4})?$")
CITY_STATE_RE = re.compile(r"^\s*(?P<city>.+?)[\s,]+(?P<state>[A-Za-z]{2})\s*$")
CITY_FULL_STATE_RE = re.compile(r"^\s*(?P<city>.+?)\s*,\s*(?P<state>[A-Za-z][A-Za-z .]+?)\s*$")
# "30.29,-81.63": a device's position, from "Use my location" (static/js/locate.js rounds it
# to 2 decimals, about a kilometre, before it leaves the browser).
COORDINATES_RE = re.compile(r"^\s*(?P<lat>[-+]?\d{1,2}(?:\.\d+)?)\s*,\s*(?P<lng>[-+]?\d{1,3}(?:\.\d+)?)\s*$")
COORDINATE_DECIMALS = 2
# The nearest ZIP code names a position; farther than this from every one, it is not a place we serve.
COORDINATES_MAX_MILES = 60

# Abbreviations people (and the Postal Service) use in place names, folded to one form.
CITY_WORD_ALIASES = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount", "pt": "point"}

STATE_NAMES = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA",
    "colorado": "CO", "connecticut": "CT", "delaware": "DE", "district of columbia": "DC",
    "florida": "FL", "georgia": "GA", "hawaii": "HI", "idaho": "ID", "illinois": "IL",
    "indiana": "IN", "iowa": "IA", "kansas": "KS", "kentucky": "KY", "louisiana": "LA",
    "maine": "ME", "maryland": "MD", "massachusetts": "MA", "michigan": "MI", "minnesota": "MN",
    "mississippi": "MS", "missouri": "MO", "montana": "MT", "nebraska": "NE", "nevada": "NV",
    "new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM", "new york": "NY",
    "north carolina": "NC", "north dakota": "ND", "ohio": "OH", "oklahoma": "OK", "oregon": "OR",
    "pennsylvania": "PA", "rhode island": "RI", "south carolina": "SC", "south dakota": "SD",
    "tennessee": "TN", "texas": "TX", "utah": "UT", "vermont": "VT", "virginia": "VA",
    "washington": "WA", "west virginia": "WV", "wisconsin": "WI", "wyoming": "WY",
    "puerto rico": "PR", "guam": "GU", "virgin islands": "VI", "american samoa": "AS",
    "northern mariana islands": "MP",
}  # fmt: skip


@dataclass(frozen=True)
class Place:
    label: str  # "Jacksonville, FL" or "32207 (Jacksonville, FL)"
    latitude: float
    longitude: float
    city: str
    state: str
    from_device: bool = False  # a position from "Use my location", not a typed place

    @property
    def rounded_position(self) -> str:
        """ "30.29,-81.63": how a position from "Use my location" is written in a URL."""
        return f"{self.latitude:.{COORDINATE_DECIMALS}f},{self.longitude:.{COORDINATE_DECIMALS}f}"


def city_key(name: str) -> str:
    """A comparison key for a city name: "St. Louis" and "saint louis" give "saint-louis"."""
    words = slugify(name).split("-")
    return "-".join(CITY_WORD_ALIASES.get(word, word) for word in words if word)


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
            points_by_city.setdefault((city_key(name), state.upper()), []).append((lat, lng, name))
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


@lru_cache(maxsize=1)
def _cities_by_key() -> dict[str, list[Place]]:
    """City key -> the places of that name, those with the most ZIP codes (the largest) first."""
    zip_counts: dict[tuple[str, str], int] = {}
    for place in _index()[0].values():
        key = (city_key(place.city), place.state)
        zip_counts[key] = zip_counts.get(key, 0) + 1
    cities: dict[str, list[Place]] = {}
    for (key, _state), place in _index()[1].items():
        cities.setdefault(key, []).append(place)
    for key, places in cities.items():
        places.sort(key=lambda place: (-zip_counts.get((key, place.state), 0), place.state))
    return cities


def warm_up() -> None:
    """Build every in-memory index now (about two seconds) rather than on the first search
    (or the first misspelled city) that needs it."""
    _cities_by_key()
    _city_keys_by_state()
    _zips_by_degree()


def zip_place(zip_code: str) -> Place | None:
    match = ZIP_RE.match(zip_code or "")
    return _index()[0].get(match.group(1)) if match else None


@lru_cache(maxsize=1)
def _zips_by_degree() -> dict[tuple[int, int], list[Place]]:
    """ZIP places in one-degree cells of latitude and longitude, for the nearest-ZIP lookup."""
    cells: dict[tuple[int, int], list[Place]] = {}
    for place in _index()[0].values():
        cells.setdefault((math.floor(place.latitude), math.floor(place.longitude)), []).append(place)
    return cells


def rounded_coordinates(text: str) -> tuple[float, float] | None:
    """ "30.2908, -81.6321" -> (30.29, -81.63); None when it is not a latitude and longitude."""
    match = COORDINATES_RE.match(text or "")
    if not match:
        return None
    lat, lng = (round(float(match.group(name)), COORDINATE_DECIMALS) for name in ("lat", "lng"))
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return None
    return lat, lng


def coordinates_place(lat: float, lng: float) -> Place | None:
    """A device's position as a place, named after its nearest ZIP code's city; None when no
    ZIP code is within COORDINATES_MAX_MILES (outside the United States and its territories)."""
    cells = _zips_by_degree()
    row, column = math.floor(lat), math.floor(lng)
    nearby = [
        place
        for d_row in (-1, 0, 1)
        for d_column in (-2, -1, 0, 1, 2)  # a degree of longitude is short in the north
        for place in cells.get((row + d_row, column + d_column), ())
    ]
    if not nearby:
        return None
    nearest = min(nearby, key=lambda place: haversine_miles(lat, lng, place.latitude, place.longitude))
    if haversine_miles(lat, lng, nearest.latitude, nearest.longitude) > COORDINATES_MAX_MILES:
        return None
    label = gettext("your location (%(city)s, %(state)s)") % {"city": nearest.city, "state": nearest.state}
    return Place(label, lat, lng, nearest.city, nearest.state, from_device=True)


def city_place(city: str, state: str) -> Place | None:
    """The centre of a city's ZIP codes, or None if the city is unknown."""
    return _index()[1].get((city_key(city), state.upper()))


def find_place(text: str) -> Place | None:
    """Geocode what a person typed: a 5-digit ZIP (spaces between its digits are ignored),
    or "City, ST" in any case.

    "City, State" with the state written out ("Saint Louis, Missouri") works too.
    """
    text = (text or "").strip()
    if len(text) > 100:
        return None
    if ZIP_WITH_SPACES_RE.match(text):  # "322 07" or "3 2 2 0 7"
        text = text.replace(" ", "")
    if ZIP_RE.match(text):
        return zip_place(text)
    city_state = _split_city_state(text)
    return city_place(*city_state) if city_state else None


def _split_city_state(text: str) -> tuple[str, str] | None:
    """("Saint Louis", "MO") from "Saint Louis, Missouri" or "saint louis mo"; None without a state."""
    match = CITY_FULL_STATE_RE.match(text)
    if match:
        state = STATE_NAMES.get(" ".join(match.group("state").lower().replace(".", " ").split()))
        if state:
            return match.group("city"), state
    match = CITY_STATE_RE.match(text)
    if match:
        return match.group("city").strip(" ,"), match.group("state").upper()
    return None


@lru_cache(maxsize=1)
def _city_keys_by_state() -> dict[str, list[str]]:
    keys: dict[str, list[str]] = {}
    for key, state in _index()[1]:
        keys.setdefault(state, []).append(key)
    return keys


def places_spelled_like(text: str, *, limit: int = 3) -> list[Place]:
    """Cities of the state named in `text` spelled like its city ("Jaksonville, FL"), closest
    first: what to suggest when the place is unknown. Only within one state, which keeps it
    to a few milliseconds."""
    text = (text or "").strip()
    city_state = _split_city_state(text) if len(text) <= 100 else None
    if not city_state:
        return []
    city, state = city_state
    keys = difflib.get_close_matches(city_key(city), _city_keys_by_state().get(state, []), n=limit, cutoff=0.8)
    return [_index()[1][(key, state)] for key in keys]


# A misspelling is corrected without asking when its closest city is this alike (difflib's
# ratio) and the next closest is well behind: "Jaksonville" is 0.96 like "jacksonville"
# and 0.82 like "jacksonville-nas"; "Miamy" is only 0.80 like "miami", so it is asked.
CLEAR_SPELLING_RATIO = 0.85
CLEAR_SPELLING_LEAD = 0.1


def clear_spelling(text: str) -> Place | None:
    """The one city of the state named in `text` that its misspelled city clearly means
    ("Jaksonville, FL" gives Jacksonville, FL), or None when no city or several fit."""
    text = (text or "").strip()
    city_state = _split_city_state(text) if len(text) <= 100 else None
    if not city_state:
        return None
    city, state = city_state
    key = city_key(city)
    keys = difflib.get_close_matches(key, _city_keys_by_state().get(state, []), n=2, cutoff=0.6)
    ratios = [difflib.SequenceMatcher(None, key, candidate).ratio() for candidate in keys]
    if not ratios or ratios[0] < CLEAR_SPELLING_RATIO:
        return None
    if len(ratios) > 1 and ratios[0] - ratios[1] < CLEAR_SPELLING_LEAD:
        return None
    return _index()[1][(keys[0], state)]


def places_named(text: str, *, limit: int = 8) -> list[Place]:
    """Cities called `text` in any state, largest first, to suggest when someone leaves the state out."""
    text = (text or "").strip()
    if not text or len(text) > 100:
        return []
    return _cities_by_key().get(city_key(text), [])[:limit]


WEB_SEARCH_SYNTAX_RE = re.compile(r'["]|(^|\s)-\w|\bor\b', re.IGNORECASE)


def is_plain_text(text: str) -> bool:
    """Whether a search text is plain words (then a near spelling of a name matches too),
    rather than web-search syntax ("a phrase", -without, this or that), which must be exact."""
    return not WEB_SEARCH_SYNTAX_RE.search(text)


def haversine_miles(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lng2 - lng1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lng: float, miles: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lng, max_lng) of the smallest box that contains the circle of
    `miles` around (lat, lng) on the sphere.

    Its latitudes reach `miles` north and south. Its longitudes reach the circle's eastmost
    and westmost points, which lie poleward of `lat`, asin(sin(d) / cos(lat)) away for an
    angular radius d: wider than d / cos(lat), by 6 miles at 500 around Fairbanks.

    Longitudes are compared as stored, from -180 to 180, without wrapping: a circle around a
    pole, wider than a quarter of the Earth, or across the 180th meridian (the Aleutians, or
    "the nearest match anywhere" from Hawaii, which may be on Guam) gets every longitude.
    """
    d = miles / EARTH_RADIUS_MILES
    d_lat = math.degrees(d)
    reach = math.sin(d) / max(math.cos(math.radians(lat)), 1e-12)
    d_lng = 180.0 if reach >= 1 or abs(lat) + d_lat >= 90 else math.degrees(math.asin(reach))
    if lng - d_lng < -180 or lng + d_lng > 180:
        return lat - d_lat, lat + d_lat, -180.0, 180.0
    return lat - d_lat, lat + d_lat, lng - d_lng, lng + d_lng
