"""SAMHSA's 2022 service codes: which exist, which we map to our lookups, and how the others
are shown to a patient.

Every code of a row is kept on the center as given (`Center.source_codes`), so nothing is
lost. Beyond that, each of the 176 codes in SAMHSA's reference (`directory/data/samhsa/
service_codes_2022.csv`) is exactly one of:

- mapped (`CODE_MAP`): it becomes one of our treatments, care settings, payment options,
  age groups, languages or crisis services, which the search filters on;
- shown (`SHOWN_CODES`): listed on the center page under a plain-language label, in a group;
- not shown (`NOT_SHOWN`): kept only, for the reason given with its category.

tests/directory/test_bundled_directory.py checks that this holds for every code SAMHSA
defines and every code the bundled directory uses.
"""

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext_noop

SERVICE_CODES_FILE = Path(__file__).resolve().parent.parent / "data" / "samhsa" / "service_codes_2022.csv"


@dataclass(frozen=True)
class ServiceCode:
    code: str
    category_code: str
    category_name: str
    name: str  # SAMHSA's name, as published


@lru_cache(maxsize=1)
def reference() -> dict[str, ServiceCode]:
    """Every code of SAMHSA's 2022 reference, read from the file shipped with the project."""
    with open(SERVICE_CODES_FILE, newline="", encoding="utf-8") as source:
        rows = [row for row in csv.DictReader(source) if row["service_code"].strip()]
    return {
        row["service_code"].strip(): ServiceCode(
            code=row["service_code"].strip(),
            category_code=row["category_code"].strip(),
            category_name=row["category_name"].strip(),
            name=" ".join(row["service_name"].split()),
        )
        for row in rows
    }


KNOWN_CODES: frozenset[str] = frozenset(reference())

# Code -> slug of our lookup, per vocabulary. The vocabulary names are the Center
# relations they fill. `IPT` is SAMHSA's *individual psychotherapy*, not interpersonal
# therapy: it is deliberately not mapped to the `ipt` treatment (it is shown instead).
CODE_MAP: dict[str, dict[str, str]] = {
    "treatments": {"TMS": "tms", "KIT": "ketamine", "ECT": "ect", "CBT": "cbt", "DBT": "dbt"},
    "care_settings": {
        "HI": "inpatient",
        "OP": "outpatient",
        "RES": "residential",
        "PHDT": "partial-hospitalization",
        "TELE": "telehealth",
    },
    "payment_options": {
        "MC": "medicare",
        "MD": "medicaid",
        "PI": "private-insurance",
        "MI": "military-insurance",
        "VAF": "va",
        "SF": "self-pay",
        "SS": "sliding-fee",
        "PA": "payment-assistance",
    },
    "age_groups": {"CHLD": "children", "YAD": "young-adults", "ADLT": "adults", "SNR": "seniors"},
    "languages": {
        "SP": "spanish",
        "AH": "asl",
        "NX": "native-american-languages",
        "FX": "other-languages",
        "F4": "arabic",
        "F17": "chinese",
        "F19": "haitian-creole",  # SAMHSA says "Creole"; in the directory's data that is Haitian Creole
        "F25": "farsi",
        "F28": "french",
        "F30": "german",
        "F31": "greek",
        "F35": "hebrew",
        "F36": "hindi",
        "F37": "hmong",
        "F42": "italian",
        "F43": "japanese",
        "F47": "korean",
        "F66": "polish",
        "F67": "portuguese",
        "F70": "russian",
        "F81": "tagalog",
        "F92": "vietnamese",
        "N24": "ojibwa",
        "N40": "yupik",
    },
    "crisis_services": {
        "WI": "walk-in",
        "PEOFF": "mobile-crisis",
        "CIT": "crisis-intervention-team",
        "PEON": "emergency-onsite",
        "SPS": "suicide-prevention",
    },
}

VOCABULARIES: tuple[str, ...] = tuple(CODE_MAP)
M2M_VOCABULARIES: tuple[str, ...] = tuple(v for v in VOCABULARIES if v != "treatments")
MAPPED_CODES: frozenset[str] = frozenset(code for codes in CODE_MAP.values() for code in codes)

# The groups the center page shows the other codes in, in this order: group -> heading.
SHOWN_GROUPS: dict[str, str] = {
    "facility": gettext_noop("Type of facility"),
    "therapies": gettext_noop("Other therapies and services"),
    "programs": gettext_noop("Programs for"),
    "support": gettext_noop("Support beyond treatment"),
    "payment": gettext_noop("Other payment accepted"),
    "medications": gettext_noop("Medications listed"),
    "checks": gettext_noop("Health checks"),
}

# Code -> (group, plain-language label). Our own words; SAMHSA's names are in the reference.
# Headings and labels are in the Spanish catalogue (gettext_noop marks them for makemessages);
# the center page translates them when it shows them (directory/center_page.py).
SHOWN_CODES: dict[str, tuple[str, str]] = {
    # Type of care
    "SA": ("therapies", gettext_noop("Substance use treatment")),
    "SUMH": ("therapies", gettext_noop("Treatment for substance use together with serious mental illness")),
    # Facility type
    "CMHC": ("facility", gettext_noop("Community mental health center")),
    "CBHC": ("facility", gettext_noop("Certified Community Behavioral Health Clinic")),
    "MSMH": ("facility", gettext_noop("Mental health facility with several care settings")),
    "OMH": ("facility", gettext_noop("Outpatient mental health facility")),
    "ORES": ("facility", gettext_noop("Residential treatment facility")),
    "PH": ("facility", gettext_noop("Partial hospitalization or day treatment program")),
    "PSY": ("facility", gettext_noop("Psychiatric hospital")),
    "RTCA": ("facility", gettext_noop("Residential treatment center for adults")),
    "RTCC": ("facility", gettext_noop("Residential treatment center for children")),
    "IPSY": ("facility", gettext_noop("Psychiatric unit of a general hospital")),
    "SHP": ("facility", gettext_noop("State hospital")),
    "VAHC": ("facility", gettext_noop("Veterans Affairs (VA) health care facility")),
    "FQHC": ("facility", gettext_noop("Federally Qualified Health Center")),
    "MHC": ("facility", gettext_noop("Mental health clinic")),
    # Who runs it
    "DDF": ("facility", gettext_noop("Run by the Department of Defense")),
    "LCCG": ("facility", gettext_noop("Run by a local, county or community government")),
    "IH": ("facility", gettext_noop("Run by the Indian Health Service")),
    "PVTP": ("facility", gettext_noop("Run by a private for-profit organization")),
    "PVTN": ("facility", gettext_noop("Run by a private nonprofit organization")),
    "STG": ("facility", gettext_noop("Run by a state government")),
    "TBG": ("facility", gettext_noop("Run by a tribal government")),
    "FED": ("facility", gettext_noop("Run by the federal government")),
    "VAMC": ("facility", gettext_noop("Run by the US Department of Veterans Affairs")),
    # Treatment approaches we do not map to a treatment of our own
    "AT": ("therapies", gettext_noop("Activity therapy (art, music, recreation)")),
    "CRT": ("therapies", gettext_noop("Cognitive remediation therapy")),
    "CFT": ("therapies", gettext_noop("Couples or family therapy")),
    "EMDR": ("therapies", gettext_noop("EMDR therapy")),
    "GT": ("therapies", gettext_noop("Group therapy")),
    "IDD": ("therapies", gettext_noop("Mental health and substance use treated together")),
    "IPT": ("therapies", gettext_noop("Individual psychotherapy")),
    # Programs for particular groups
    "TAY": ("programs", gettext_noop("Young adults moving into adult care")),
    "SE": ("programs", gettext_noop("Older adults")),
    "GL": ("programs", gettext_noop("LGBTQ people")),
    "VET": ("programs", gettext_noop("Veterans")),
    "ADM": ("programs", gettext_noop("Active-duty military")),
    "MF": ("programs", gettext_noop("Military families")),
    "CJ": ("programs", gettext_noop("People referred by the courts")),
    "CO": ("programs", gettext_noop("People with both mental health and substance use conditions")),
    "HV": ("programs", gettext_noop("People with HIV or AIDS")),
    "DV": ("programs", gettext_noop("People who have experienced domestic or partner violence")),
    "TRMA": ("programs", gettext_noop("People who have experienced trauma")),
    "TBI": ("programs", gettext_noop("People with a traumatic brain injury")),
    "ALZ": ("programs", gettext_noop("People with Alzheimer's disease or dementia")),
    "PED": ("programs", gettext_noop("People with eating disorders")),
    "PEFP": ("programs", gettext_noop("People with a first episode of psychosis")),
    "PTSD": ("programs", gettext_noop("People with PTSD")),
    "SED": ("programs", gettext_noop("Children and teens with serious emotional disturbance")),
    "SMI": ("programs", gettext_noop("Adults with serious mental illness")),
    # Support services
    "ACT": ("support", gettext_noop("Assertive community treatment (a team that comes to you)")),
    "AOT": ("support", gettext_noop("Assisted outpatient treatment")),
    "CDM": ("support", gettext_noop("Help managing a long-term illness")),
    "COOT": ("support", gettext_noop("Court-ordered outpatient treatment")),
    "DEC": ("support", gettext_noop("Diet and exercise counseling")),
    "FPSY": ("support", gettext_noop("Education and support for families")),
    "ICM": ("support", gettext_noop("Intensive case management")),
    "IMR": ("support", gettext_noop("Illness management and recovery")),
    "LAD": ("support", gettext_noop("Legal advocacy")),
    "PRS": ("support", gettext_noop("Psychosocial rehabilitation")),
    "SEMP": ("support", gettext_noop("Supported employment")),
    "SH": ("support", gettext_noop("Supported housing")),
    "TPC": ("support", gettext_noop("Therapeutic foster care")),
    "VRS": ("support", gettext_noop("Vocational rehabilitation")),
    "CM": ("support", gettext_noop("Case management")),
    "IPC": ("support", gettext_noop("Primary care in the same place")),
    "ES": ("support", gettext_noop("Education services")),
    "HS": ("support", gettext_noop("Help finding housing")),
    "PEER": ("support", gettext_noop("Peer support and mentoring")),
    "TCC": ("support", gettext_noop("Help to quit smoking or vaping")),
    # Payment: ways a patient can pay beyond our payment options
    "SI": ("payment", gettext_noop("State health insurance plans other than Medicaid")),
    "ITU": ("payment", gettext_noop("Indian Health Service, tribal or urban Indian health funds")),
    # Medications: the directory lists antipsychotics only; these five are also used in depression care
    "ARIPI": ("medications", gettext_noop("Aripiprazole")),
    "BREXP": ("medications", gettext_noop("Brexpiprazole")),
    "CARIP": ("medications", gettext_noop("Cariprazine")),
    "QUETI": ("medications", gettext_noop("Quetiapine")),
    "OLANZF": ("medications", gettext_noop("Olanzapine and fluoxetine (combined)")),
    # Health checks
    "HIVT": ("checks", gettext_noop("HIV testing")),
    "STDT": ("checks", gettext_noop("STD testing")),
    "TBS": ("checks", gettext_noop("TB screening")),
    "MST": ("checks", gettext_noop("Metabolic health monitoring")),
    "HBT": ("checks", gettext_noop("Hepatitis B testing")),
    "HCT": ("checks", gettext_noop("Hepatitis C testing")),
    "LABT": ("checks", gettext_noop("Laboratory tests")),
}

# Codes kept on the center but not shown: category (or code) -> why.
NOT_SHOWN: dict[str, str] = {
    "MH": "every facility in a mental health directory provides mental health treatment",
    "PHR": "antipsychotic and smoking-cessation medicines for other conditions than depression "
    "(the five used in depression care are shown)",
    "AIM": "a side-effect rating scale, not a service a patient chooses",
    "ASPT": "tobacco screening, routine at intake",
    "SMP": "smoking policy of the premises",
    "FVP": "vaping policy of the premises",
    "PAY": "public funding streams of the facility (block grants, state and county funds), not ways a patient pays",
}


def not_shown_reason(code: str) -> str:
    """Why a code is kept but not shown, or "" when it is mapped, shown or unknown."""
    if code in MAPPED_CODES or code in SHOWN_CODES:
        return ""
    if code in NOT_SHOWN:
        return NOT_SHOWN[code]
    known = reference().get(code)
    return NOT_SHOWN.get(known.category_code, "") if known else ""


def codes_by_category() -> dict[str, list[str]]:
    """Category code -> its codes, in the reference's order (for generated test directories)."""
    categories: dict[str, list[str]] = {}
    for code in reference().values():
        categories.setdefault(code.category_code, []).append(code.code)
    return categories


@dataclass(frozen=True)
class CodeGroup:
    key: str  # a SHOWN_GROUPS key
    heading: str
    labels: list[str]


def shown_code_groups(source_codes: str) -> list[CodeGroup]:
    """The codes of a center's `source_codes` that the page lists beyond its lookups, by group."""
    labels: dict[str, list[str]] = {group: [] for group in SHOWN_GROUPS}
    seen: set[str] = set()
    for code in source_codes.replace("*", " ").upper().split():
        if code in SHOWN_CODES and code not in seen:
            seen.add(code)
            group, label = SHOWN_CODES[code]
            labels[group].append(label)
    return [CodeGroup(group, SHOWN_GROUPS[group], found) for group, found in labels.items() if found]
