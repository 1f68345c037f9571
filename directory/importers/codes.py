"""SAMHSA's 2022 service codes: which ones exist, and which ones we map to our lookups.

The directory's "Service Code Reference" sheet lists 176 codes in 21 categories. We keep
only the code identifiers here (grouped by the sheet's category codes) so that the
importer can tell a code the 2022 list knows from one it does not; the names and
descriptions stay in SAMHSA's own file. Every raw code is stored on the center anyway
(`Center.source_codes`), so a code we do not map is never lost.
"""

KNOWN_CODES_BY_CATEGORY: dict[str, str] = {
    "TC": "SA MH SUMH",  # type of care
    "SET": "HI OP PHDT RES",  # service setting
    "FT": "CMHC CBHC MSMH OMH ORES PH PSY RTCA RTCC IPSY SHP VAHC",  # facility type
    "PHR": (  # pharmacotherapies
        "CHLOR DROPE FLUPH HALOP LOXAP PERPH PIMOZ PROCH THIOT THIOR TRIFL ARIPI ASENA BREXP CARIP "
        "CLOZA ILOPE LURAS OLANZ OLANZF PALIP QUETI RISPE ZIPRA NRT NSC ANTPYCH"
    ),
    "TAP": "AT CBT CRT CFT DBT ECT EMDR GT IDD IPT KIT TMS TELE AIM",  # treatment approaches
    "EMS": "CIT PEON PEOFF WI",  # emergency mental health services
    "FOP": "DDF LCCG IH PVTP PVTN STG TBG FED VAMC",  # facility operation
    "LCA": "FQHC MHC",  # license/certification/accreditation
    "PAY": "CLF CMHG CSBG FG ITU MC MD MI OSF PI PCF SCJJ SEF SF SI SMHA SWFS VAF",  # payment accepted
    "PYAS": "PA SS",  # payment assistance
    "SG": "TAY SE GL VET ADM MF CJ CO HV DV TRMA TBI ALZ PED PEFP PTSD SED SMI",  # special groups
    "ASPT": "STU",  # assessment
    "SCR": "HIVT STDT TBS MST HBT HCT LABT",  # testing
    "RSS": "HS PEER",  # recovery support
    "ECS": "TCC",  # education and counseling
    "SMP": "SMON SMOP SMPD",  # smoking policy
    "AGE": "ADLT CHLD SNR YAD",  # ages accepted
    "SL": "SP AH NX FX",  # language services
    "OL": "F4 F17 F19 F25 F28 F30 F31 F35 F36 F37 F42 F43 F47 F66 F67 F70 F81 F92 N24 N40",  # other languages
    "FVP": "VAPN VAPP VPPD",  # vaping policy
    "AS": "ACT AOT CDM COOT DEC FPSY ICM IMR LAD PRS SEMP SH TPC VRS CM IPC SPS ES",  # ancillary services
}

KNOWN_CODES: frozenset[str] = frozenset(code for codes in KNOWN_CODES_BY_CATEGORY.values() for code in codes.split())

# Code -> slug of our lookup, per vocabulary. The vocabulary names are the Center
# relations they fill. `IPT` is SAMHSA's *individual psychotherapy*, not interpersonal
# therapy: it is deliberately not mapped to the `ipt` treatment.
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
