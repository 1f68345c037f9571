"""From kept claim rows to practices: validation, grouping by address, naming.

A practice is one practice location: the rows whose normalized street (Rndrng_Prvdr_St1)
and ZIP5 are the same, whoever billed them. Suite numbers (St2) do not split a practice:
CMS's clinicians at one street address are one place to a patient looking for care.
Nothing here touches the database.
"""

import re
from dataclasses import dataclass, field

from directory.importers.mapping import _zip_index
from directory.importers.report import ImportReport, RowProblem
from directory.medicare.reading import CODES, ClaimRow
from directory.validators import control_character_problem, formula_start_problem

# Street words spelled the short way, as the US Postal Service abbreviates them.
STREET_WORDS = {
    "street": "st",
    "avenue": "ave",
    "av": "ave",
    "boulevard": "blvd",
    "drive": "dr",
    "road": "rd",
    "lane": "ln",
    "court": "ct",
    "place": "pl",
    "parkway": "pkwy",
    "highway": "hwy",
    "suite": "ste",
    "building": "bldg",
    "floor": "fl",
    "circle": "cir",
    "terrace": "ter",
    "square": "sq",
    "center": "ctr",
    "centre": "ctr",
    "plaza": "plz",
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
    "northeast": "ne",
    "northwest": "nw",
    "southeast": "se",
    "southwest": "sw",
}
# Legal forms dropped when organization names are compared.
LEGAL_FORMS = frozenset({"inc", "llc", "pllc", "pc", "pa", "ltd", "lp", "llp", "corp", "co", "the", "of", "and"})
NPI_RE = re.compile(r"\d{10}")
ZIP_RE = re.compile(r"\d{5}")


def normalize_street(street: str) -> str:
    """'1200 North Main Street, Suite 4' -> '1200 n main st ste 4'."""
    words = re.sub(r"[^0-9a-z]+", " ", street.casefold()).split()
    return " ".join(STREET_WORDS.get(word, word) for word in words)


def location_key(street: str, zip5: str) -> str:
    return f"{normalize_street(street)}|{zip5}"


def normalize_name(name: str) -> str:
    """'The Harbor TMS Center, L.L.C.' -> 'harbor tms ctr' (for comparing organizations)."""
    words = re.sub(r"[^0-9a-z]+", " ", name.casefold().replace(".", "")).split()
    return " ".join(STREET_WORDS.get(word, word) for word in words if word not in LEGAL_FORMS)


@dataclass
class Biller:
    """One NPI billing mapped codes at a practice."""

    npi: str
    name: str
    credentials: str
    is_organization: bool
    codes: dict[str, set[str]] = field(default_factory=dict)  # treatment slug -> codes

    @property
    def display_name(self) -> str:
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


@dataclass
class Practice:
    key: str  # normalized street | ZIP5
    street1: str
    street2: str
    city: str
    state: str
    zip: str
    latitude: float
    longitude: float
    participating: bool = False  # some biller takes Medicare assignment (participation indicator Y)
    billers: dict[str, Biller] = field(default_factory=dict)
    rows: list[int] = field(default_factory=list)

    @property
    def treatments(self) -> set[str]:
        return {slug for biller in self.billers.values() for slug in biller.codes}

    @property
    def name(self) -> str:
        """The organization billing here (the one with most treatments, then A-Z), else the
        clinician billing most treatments (then A-Z), with credentials."""
        billers = sorted(self.billers.values(), key=lambda b: (not b.is_organization, -len(b.codes), b.name, b.npi))
        return billers[0].display_name[:200]


def _person_name(row: ClaimRow) -> str:
    middle = row["Rndrng_Prvdr_MI"]
    if len(middle) == 1:
        middle += "."
    return " ".join(
        part for part in (row["Rndrng_Prvdr_First_Name"], middle, row["Rndrng_Prvdr_Last_Org_Name"]) if part
    )


def reject_reason(row: ClaimRow) -> str:
    """Why a kept row cannot be used ("" when it can)."""
    if "_problem" in row.values:
        return row["_problem"]
    if not NPI_RE.fullmatch(row["Rndrng_NPI"]):
        return f"NPI {row['Rndrng_NPI']!r} is not 10 digits"
    if row["Rndrng_Prvdr_Ent_Cd"] not in ("I", "O"):
        return f"entity code {row['Rndrng_Prvdr_Ent_Cd']!r} is neither I (individual) nor O (organization)"
    if not row["Rndrng_Prvdr_Last_Org_Name"]:
        return "no name (Rndrng_Prvdr_Last_Org_Name is blank)"
    for column in ("Rndrng_Prvdr_Last_Org_Name", "Rndrng_Prvdr_First_Name", "Rndrng_Prvdr_MI", "Rndrng_Prvdr_Crdntls"):
        if problem := formula_start_problem(row[column]):
            return f"{column} is refused: {problem}"
        if problem := control_character_problem(row[column]):
            return f"{column} is refused: it holds {problem}"
    country = row["Rndrng_Prvdr_Cntry"]
    if country and country != "US":
        return f"the practice is outside the US (country {country!r})"
    if not row["Rndrng_Prvdr_St1"]:
        return "no street address (Rndrng_Prvdr_St1 is blank)"
    zip5 = row["Rndrng_Prvdr_Zip5"]
    if not ZIP_RE.fullmatch(zip5):
        return f"ZIP {zip5!r} is not 5 digits"
    if zip5 not in _zip_index():
        return f"ZIP {zip5!r} is not a known US ZIP"
    return ""


def practices_from_rows(rows, *, report: ImportReport) -> list[Practice]:
    """The practices of the kept rows, in file order; rejects on `report`, `report.merged`
    counts the rows that joined a practice already seen."""
    practices: dict[str, Practice] = {}
    for row in rows:
        reason = reject_reason(row)
        if reason:
            name = row["Rndrng_Prvdr_Last_Org_Name"]
            values = {k: v for k, v in row.values.items() if not k.startswith("_")}
            report.rejects.append(RowProblem(row.number, reason, name, values))
            continue
        zip5 = row["Rndrng_Prvdr_Zip5"]
        key = location_key(row["Rndrng_Prvdr_St1"], zip5)
        practice = practices.get(key)
        if practice is None:
            place = _zip_index()[zip5]
            practice = practices[key] = Practice(
                key=key,
                street1=row["Rndrng_Prvdr_St1"][:200],
                street2=row["Rndrng_Prvdr_St2"][:200],
                city=(row["Rndrng_Prvdr_City"] or place.city)[:100],
                state=(row["Rndrng_Prvdr_State_Abrvtn"] or place.state)[:2].upper(),
                zip=zip5,
                latitude=round(place.latitude, 6),
                longitude=round(place.longitude, 6),
            )
        else:
            report.merged += 1
        practice.rows.append(row.number)
        practice.participating |= row["Rndrng_Prvdr_Mdcr_Prtcptg_Ind"] == "Y"
        npi = row["Rndrng_NPI"]
        biller = practice.billers.get(npi)
        if biller is None:
            organization = row["Rndrng_Prvdr_Ent_Cd"] == "O"
            biller = practice.billers[npi] = Biller(
                npi=npi,
                name=(row["Rndrng_Prvdr_Last_Org_Name"] if organization else _person_name(row))[:200],
                credentials="" if organization else row["Rndrng_Prvdr_Crdntls"][:60],
                is_organization=organization,
            )
        code = row["HCPCS_Cd"]
        biller.codes.setdefault(CODES[code], set()).add(code)
    return list(practices.values())
