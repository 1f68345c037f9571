"""Small files in CMS's 28-column "by Provider and Service" format, written by the tests
(fictional clinicians with made-up NPIs; never copied from CMS's file)."""

import csv
from io import StringIO
from itertools import count
from pathlib import Path

from django.core.management import call_command

from directory.medicare.reading import COLUMNS

_serial = count(1)


def claim_row(**values: str) -> dict[str, str]:
    """A fictional psychiatrist billing TMS (90868) at a Jacksonville, FL office; override any column."""
    n = next(_serial)
    row = {
        "Rndrng_NPI": f"19{n:08d}",
        "Rndrng_Prvdr_Last_Org_Name": f"Marlowe{n}",
        "Rndrng_Prvdr_First_Name": "Iris",
        "Rndrng_Prvdr_MI": "K",
        "Rndrng_Prvdr_Crdntls": "M.D.",
        "Rndrng_Prvdr_Ent_Cd": "I",
        "Rndrng_Prvdr_St1": "4400 San Pablo Road",
        "Rndrng_Prvdr_St2": "",
        "Rndrng_Prvdr_City": "Jacksonville",
        "Rndrng_Prvdr_State_Abrvtn": "FL",
        "Rndrng_Prvdr_State_FIPS": "12",
        "Rndrng_Prvdr_Zip5": "32224",
        "Rndrng_Prvdr_RUCA": "1",
        "Rndrng_Prvdr_RUCA_Desc": "Metropolitan area core: primary flow within an urbanized area of 50,000 and greater",
        "Rndrng_Prvdr_Cntry": "US",
        "Rndrng_Prvdr_Type": "Psychiatry",
        "Rndrng_Prvdr_Mdcr_Prtcptg_Ind": "Y",
        "HCPCS_Cd": "90868",
        "HCPCS_Desc": "Therapeutic repetitive transcranial magnetic stimulation (TMS), subsequent delivery",
        "HCPCS_Drug_Ind": "N",
        "Place_Of_Srvc": "O",
        "Tot_Benes": "14",
        "Tot_Srvcs": "412",
        "Tot_Bene_Day_Srvcs": "412",
        "Avg_Sbmtd_Chrg": "350.5",
        "Avg_Mdcr_Alowd_Amt": "160.25",
        "Avg_Mdcr_Pymt_Amt": "125.1",
        "Avg_Mdcr_Stdzd_Amt": "124.9",
    }
    row.update(values)
    return row


def organization_row(name: str, **values: str) -> dict[str, str]:
    return claim_row(
        **{
            "Rndrng_Prvdr_Last_Org_Name": name,
            "Rndrng_Prvdr_First_Name": "",
            "Rndrng_Prvdr_MI": "",
            "Rndrng_Prvdr_Crdntls": "",
            "Rndrng_Prvdr_Ent_Cd": "O",
            **values,
        }
    )


def write_claims(path: Path, rows: list[dict[str, str]], *, columns=COLUMNS) -> Path:
    """CMS's file: every field quoted where needed (commas in names and descriptions)."""
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def run_medicare(path: Path, *args: str, report_dir: Path | None = None) -> str:
    """Run `manage.py import_medicare` and return what it printed."""
    out = StringIO()
    options = ["--report-dir", str(report_dir or path.parent / f"report-{path.stem}")]
    call_command("import_medicare", str(path), *options, *args, stdout=out)
    return out.getvalue()
