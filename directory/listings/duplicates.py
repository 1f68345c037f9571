"""Existing centers a submission may duplicate: the same phone, the same street and ZIP,
or a similar name within a few miles. Shown to the editor beside the submission."""

import difflib
import re
from dataclasses import dataclass, field

from django.db.models import Q

from directory import geo
from directory.models import Center, ListingSubmission, Location

NEARBY_MILES = 5
SIMILAR_NAME_RATIO = 0.6
STREET_WORDS = {
    "street": "st", "avenue": "ave", "road": "rd", "boulevard": "blvd", "drive": "dr", "suite": "ste",
    "lane": "ln", "court": "ct", "place": "pl", "parkway": "pkwy", "highway": "hwy", "north": "n",
    "south": "s", "east": "e", "west": "w",
}  # fmt: skip
NAME_NOISE = {"inc", "llc", "pllc", "pc", "pa", "the", "of", "and", "center", "centre", "clinic"}


@dataclass
class Duplicate:
    center: Center
    reasons: list[str] = field(default_factory=list)


def phone_digits(phone: str) -> str:
    """The 10 digits of a US number, without a leading 1 or an extension."""
    number = re.split(r"(?i)\s*(?:x|ext\.?)\s*\d", phone or "")[0]
    digits = re.sub(r"\D", "", number)
    return digits[-10:] if len(digits) >= 10 else ""


def street_key(street: str) -> str:
    words = re.sub(r"[^\w\s]", " ", (street or "").casefold()).split()
    return " ".join(STREET_WORDS.get(word, word) for word in words)


def name_key(name: str) -> str:
    words = re.sub(r"[^\w\s]", " ", (name or "").casefold()).split()
    return " ".join(word for word in words if word not in NAME_NOISE)


def _center_phones(center: Center) -> set[str]:
    phones = [center.phone, *center.intake_phone_list, *(loc.phone for loc in center.locations.all())]
    return {digits for digits in map(phone_digits, phones) if digits}


def submission_duplicates(submission: ListingSubmission, *, limit: int = 10) -> list[Duplicate]:
    found: dict[int, Duplicate] = {}

    def note(center: Center, reason: str) -> None:
        found.setdefault(center.pk, Duplicate(center)).reasons.append(reason)

    centers = Center.objects.prefetch_related("locations")
    # The same phone: narrowed in the database by the last four digits, compared in full here.
    wanted = {phone_digits(submission.phone)} | {phone_digits(loc.get("phone", "")) for loc in submission.locations}
    wanted.discard("")
    if wanted:
        narrow = Q()
        for digits in wanted:
            tail = digits[-4:]
            narrow |= Q(phone__contains=tail) | Q(intake_phones__contains=tail) | Q(locations__phone__contains=tail)
        for center in centers.filter(narrow).distinct()[:200]:
            if _center_phones(center) & wanted:
                note(center, "same phone")

    for location in submission.locations:
        zip5 = location.get("zip", "")[:5]
        key = street_key(location.get("street1", ""))
        for existing in Location.objects.filter(zip__startswith=zip5).select_related("center")[:500]:
            if key and street_key(existing.street1) == key:
                note(existing.center, "same street and ZIP")

        place = geo.zip_place(zip5)
        if place is None:
            continue
        south, north, west, east = geo.bounding_box(place.latitude, place.longitude, NEARBY_MILES)
        nearby = Location.objects.filter(latitude__range=(south, north), longitude__range=(west, east)).select_related(
            "center"
        )[:2000]
        submitted_name = name_key(submission.center_name)
        for existing in nearby:
            miles = geo.haversine_miles(place.latitude, place.longitude, existing.latitude, existing.longitude)
            if miles > NEARBY_MILES:
                continue
            existing_name = name_key(existing.center.name)
            similar = difflib.SequenceMatcher(None, submitted_name, existing_name).ratio() >= SIMILAR_NAME_RATIO
            if similar or (submitted_name and submitted_name in existing_name):
                note(existing.center, f"similar name within {NEARBY_MILES} miles")

    for duplicate in found.values():
        duplicate.reasons = sorted(set(duplicate.reasons))
    return sorted(found.values(), key=lambda d: (-len(d.reasons), d.center.name))[:limit]
