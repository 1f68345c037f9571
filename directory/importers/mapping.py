"""From the directory's rows to facilities: validation, code mapping, geocoding, merging.

A row becomes a `Facility` (what the directory says about one center) or a reject with
its row number and reason. Rows that repeat an identity merge into one facility with the
union of their codes. Nothing here touches the database.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import zipcodes

from directory.geo import Place, city_place
from directory.importers.codes import CODE_MAP, KNOWN_CODES, VOCABULARIES
from directory.importers.identity import display_name, identity_key
from directory.importers.parsing import SourceRow, normalize_phone, normalize_zip, split_codes
from directory.importers.report import ImportReport, RowProblem
from directory.validators import control_character_problem, formula_start_problem

CENTER_FIELDS: tuple[str, ...] = ("name", "phone", "intake_phones", "source", "source_codes")
LOCATION_FIELDS: tuple[str, ...] = ("street1", "street2", "city", "state", "zip", "latitude", "longitude", "phone")
INTAKE_COLUMNS = ("intake1", "intake2", "intake1a", "intake2a")
COORDINATE_DIGITS = 6
LOOKUP_OF_CODE: dict[str, tuple[str, str]] = {
    code: (vocabulary, slug) for vocabulary, codes in CODE_MAP.items() for code, slug in codes.items()
}


@dataclass
class Facility:
    """One center as the source describes it."""

    source_key: str
    rows: list[int]
    name1: str
    name2: str
    center: dict[str, str]  # CENTER_FIELDS
    location: dict[str, object]  # LOCATION_FIELDS
    codes: list[str]
    raw_codes: list[str] = field(default_factory=list)

    @property
    def lookups(self) -> dict[str, set[str]]:
        """Vocabulary ('treatments', 'care_settings', ...) -> our slugs, from the codes."""
        lookups: dict[str, set[str]] = {vocabulary: set() for vocabulary in VOCABULARIES}
        for code in self.codes:
            if code in LOOKUP_OF_CODE:
                vocabulary, slug = LOOKUP_OF_CODE[code]
                lookups[vocabulary].add(slug)
        return lookups

    def snapshot(self) -> dict:
        """The source's values, as stored in `Center.source_snapshot` to tell staff edits apart later."""
        lookups = self.lookups
        return {
            **self.center,
            "location": dict(self.location),
            **{vocabulary: sorted(lookups[vocabulary]) for vocabulary in VOCABULARIES},
        }

    def absorb(self, other: "Facility") -> None:
        """Merge a row repeating this facility's identity: union of codes, gaps filled."""
        self.rows.extend(other.rows)
        self.codes.extend(code for code in other.codes if code not in self.codes)
        for raw in other.raw_codes:
            if raw not in self.raw_codes:
                self.raw_codes.append(raw)
        self.center["source_codes"] = "\n".join(self.raw_codes)
        for key, value in other.center.items():
            if not self.center.get(key):
                self.center[key] = value
        for key in ("street2", "phone"):
            if not self.location.get(key):
                self.location[key] = other.location[key]


@lru_cache(maxsize=1)
def _zip_index() -> dict[str, Place]:
    """Every ZIP with usable coordinates. Leaner than geo's index, which also indexes every
    city name (seconds of slugify): the import needs cities only for the rare unknown ZIP."""
    index = {}
    for row in zipcodes.list_all():
        try:
            lat, lng = float(row["lat"]), float(row["long"])
        except (TypeError, ValueError):
            continue
        if (lat, lng) != (0.0, 0.0):  # military (APO/FPO) ZIPs carry 0, 0
            index[row["zip_code"]] = Place(row["zip_code"], lat, lng, row["city"], row["state"])
    return index


def _place(zip_code: str, city: str, state: str):
    """(place, warning) for a row: by ZIP, else by city and state, else (None, reason)."""
    place = _zip_index().get(zip_code)
    if place:
        return place, ""
    described = f"ZIP {zip_code!r}" if zip_code else "no ZIP"
    if city and state:
        place = city_place(city, state)
        if place:
            return place, f"{described} is not a known US ZIP: placed at the centre of {place.label}"
    where = f"{city or '(no city)'}, {state or '(no state)'}"
    return None, f"{described} is not a known US ZIP and {where} is not a known city"


def facility_from_row(row: SourceRow, *, source: str) -> tuple[Facility | None, list[str], str]:
    """(facility, warnings, reject reason). A facility is None exactly when the row is rejected."""
    warnings: list[str] = []
    name = display_name(row["name1"], row["name2"])
    if not name:
        return None, warnings, "empty name (name1 and name2 are blank)"
    if problem := formula_start_problem(name):
        return None, warnings, f"the name is refused: {problem}"
    for column in ("name1", "name2", "street1", "street2", "city"):
        if problem := control_character_problem(row[column]):
            return None, warnings, f"{column} is refused: it holds {problem}"
    zip_code = normalize_zip(row["zip"])
    state = row["state"].upper()
    place, place_warning = _place(zip_code, row["city"], state)
    if place is None:
        return None, warnings, place_warning
    if place_warning:
        warnings.append(place_warning)
    if len(state) != 2:
        warnings.append(f"state {row['state']!r} is not a two-letter code: used {place.state} from the ZIP")
        state = place.state
    city = row["city"] or place.city
    if not row["city"]:
        warnings.append(f"no city: used {place.city} from the ZIP")
    # A street of dashes or dots ("- - -") stands for none: a card would print it as an address.
    street1, street2 = (row[column] if re.search(r"\w", row[column]) else "" for column in ("street1", "street2"))
    if not street1:
        warnings.append(
            "no street address (street1 is blank)"
            if not row["street1"]
            else f"street1 {row['street1']!r} is no address"
        )
    codes = split_codes(row["service_code_info"])
    unknown = [code for code in codes if code not in KNOWN_CODES]
    if unknown:
        warnings.append(
            f"unknown service code(s) {' '.join(unknown)}: not in SAMHSA's 2022 code list, kept in the source codes"
        )
    phone = normalize_phone(row["phone"])
    # The intake lines: what a new patient calls. intake1a and intake2a are the same lines
    # spelled with letters ("844-NFIHOPE"), which the keypad turns back into digits.
    intake = list(dict.fromkeys(normalize_phone(row[column]) for column in INTAKE_COLUMNS if row[column]))
    phone = phone or (intake[0] if intake else "")
    facility = Facility(
        source_key=identity_key(row["name1"], row["name2"], row["street1"], row["zip"]),
        rows=[row.number],
        name1=row["name1"],
        name2=row["name2"],
        center={
            "name": name,
            "phone": phone,
            "intake_phones": ", ".join(number for number in intake if number != phone)[:200],
            "source": source,
            "source_codes": row["service_code_info"],
        },
        location={
            "street1": street1[:200],
            "street2": street2[:200],
            "city": city[:100],
            "state": state,
            "zip": zip_code[:10],
            "latitude": round(place.latitude, COORDINATE_DIGITS),
            "longitude": round(place.longitude, COORDINATE_DIGITS),
            "phone": "",  # the directory gives the facility's phones, not a location's own
        },
        codes=codes,
        raw_codes=[row["service_code_info"]] if row["service_code_info"] else [],
    )
    return facility, warnings, ""


def facilities_from_rows(rows: Iterable[SourceRow], *, source: str, report: ImportReport) -> list[Facility]:
    """Every facility of the file in file order, repeated identities merged; rejects and warnings on `report`."""
    by_key: dict[str, Facility] = {}
    for row in rows:
        report.rows += 1
        facility, warnings, reject_reason = facility_from_row(row, source=source)
        name = display_name(row["name1"], row["name2"])
        if facility is None:
            report.rejects.append(RowProblem(row.number, reject_reason, name, dict(row.values)))
            continue
        report.warnings.extend(RowProblem(row.number, warning, name) for warning in warnings)
        if facility.source_key in by_key:
            by_key[facility.source_key].absorb(facility)
            report.merged += 1
        else:
            by_key[facility.source_key] = facility
    return list(by_key.values())
