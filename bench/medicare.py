"""Speed and memory of `import_medicare` on a national-size file (a benchmark, not a test).

Writes a file in CMS's 28-column format (default 10,000,000 rows, about 3 GB, in
/tmp/medicare-bench/, never committed): fictional clinicians at real ZIPs, mostly common
office-visit and psychotherapy codes (some 9086x codes that are not mapped, to keep the
pre-filter honest), and about 12,000 rows with the mapped TMS, ECT and esketamine codes at
about 3,000 practice addresses, organizations and individuals mixed, some fields quoted
with commas in them. Then it times the filter alone (directory.medicare.reading) and,
with --import, `manage.py import_medicare` on the database of DATABASE_URL.

    .venv/bin/python bench/medicare.py [--rows 10000000] [--import] [--keep]
"""

import argparse
import csv
import io
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

FILE_NAME = "MUP_PHY_R25_P05_V20_D23_Prov_Svc.csv"
FILLER_CODES = [
    ("99213", "Established patient office or other outpatient visit, 20-29 minutes"),
    ("99214", "Established patient office or other outpatient visit, 30-39 minutes"),
    ("90834", "Psychotherapy, 45 minutes with patient"),
    ("90837", "Psychotherapy, 60 minutes with patient"),
    ("90863", "Pharmacologic management, including prescription and review of medication"),
    ("36415", "Insertion of needle into vein for collection of blood sample"),
    ("G0444", "Annual depression screening, 5 to 15 minutes"),
]
MAPPED = [
    ("90867", "Therapeutic repetitive transcranial magnetic stimulation (TMS), initial"),
    ("90868", "Therapeutic repetitive transcranial magnetic stimulation (TMS), subsequent"),
    ("90869", "Therapeutic repetitive transcranial magnetic stimulation (TMS), re-determination"),
    ("90870", "Electroconvulsive therapy (includes necessary monitoring)"),
    ("G2082", "Office or other outpatient visit for esketamine, up to 56 mg"),
    ("G2083", "Office or other outpatient visit for esketamine, greater than 56 mg"),
]
LAST = ["Rivera", "Okafor", "Lindqvist", "Nakamura", "Haddad", "Brennan", "Castillo", "Oyelaran", "Whitfield"]
FIRST = ["Ana", "Ben", "Chloe", "Dev", "Esther", "Farid", "Grace", "Hugo", "Imani", "Jonah"]
STREETS = ["Medical Center Dr", "Main St", "Oak Avenue", "Park Blvd", "Commerce Pkwy", "Hospital Road"]


def _row(rng, *, npi, place, code, org: str = "", person=None, street=None) -> dict:
    zip_code, city, state = place
    last, first, credentials = person or ("", "", "")
    return {
        "Rndrng_NPI": npi,
        "Rndrng_Prvdr_Last_Org_Name": org or last,
        "Rndrng_Prvdr_First_Name": "" if org else first,
        "Rndrng_Prvdr_MI": "" if org else rng.choice("ABCDEFGHJK"),
        "Rndrng_Prvdr_Crdntls": "" if org else credentials,
        "Rndrng_Prvdr_Ent_Cd": "O" if org else "I",
        "Rndrng_Prvdr_St1": street or f"{rng.randint(1, 9999)} {rng.choice(STREETS)}",
        "Rndrng_Prvdr_St2": rng.choice(["", "", "Suite 200", "Ste 4, Bldg B"]),
        "Rndrng_Prvdr_City": city,
        "Rndrng_Prvdr_State_Abrvtn": state,
        "Rndrng_Prvdr_State_FIPS": "12",
        "Rndrng_Prvdr_Zip5": zip_code,
        "Rndrng_Prvdr_RUCA": "1",
        "Rndrng_Prvdr_RUCA_Desc": "Metropolitan area core: primary flow within an urbanized area of 50,000 and greater",
        "Rndrng_Prvdr_Cntry": "US",
        "Rndrng_Prvdr_Type": rng.choice(["Psychiatry", "Internal Medicine", "Nurse Practitioner"]),
        "Rndrng_Prvdr_Mdcr_Prtcptg_Ind": rng.choice("YYYYN"),
        "HCPCS_Cd": code[0],
        "HCPCS_Desc": code[1],
        "HCPCS_Drug_Ind": "N",
        "Place_Of_Srvc": rng.choice("OF"),
        "Tot_Benes": str(rng.randint(11, 400)),
        "Tot_Srvcs": str(rng.randint(11, 2000)),
        "Tot_Bene_Day_Srvcs": str(rng.randint(11, 2000)),
        "Avg_Sbmtd_Chrg": f"{rng.uniform(20, 900):.6f}",
        "Avg_Mdcr_Alowd_Amt": f"{rng.uniform(20, 400):.6f}",
        "Avg_Mdcr_Pymt_Amt": f"{rng.uniform(20, 300):.6f}",
        "Avg_Mdcr_Stdzd_Amt": f"{rng.uniform(20, 300):.6f}",
    }


def generate(path: Path, rows: int, seed: int = 2023) -> int:
    """Write the file; returns the number of mapped rows in it."""
    import zipcodes

    from directory.medicare.reading import COLUMNS

    rng = random.Random(seed)
    places = [
        (z["zip_code"], z["city"].title(), z["state"]) for z in zipcodes.list_all() if z["zip_code_type"] == "STANDARD"
    ]

    def person():
        return rng.choice(LAST), rng.choice(FIRST), rng.choice(["M.D.", "MD", "D.O.", "NP", "M.D., Ph.D."])

    # About 3,000 practices billing the mapped codes: a third with an organization NPI.
    mapped_rows = []
    npi = 1_000_000_000
    for practice in range(3000):
        place = rng.choice(places)
        street = f"{rng.randint(1, 9999)} {rng.choice(STREETS)}"
        treatment_codes = rng.sample(MAPPED, rng.randint(1, 3))
        if practice % 3 == 0:
            npi += 1
            org = f"{rng.choice(LAST)} Behavioral Health, {rng.choice(['LLC', 'P.A.', 'Inc'])}"
            mapped_rows += [
                _row(rng, npi=str(npi), place=place, code=c, org=org, street=street) for c in treatment_codes
            ]
        for _ in range(rng.randint(1, 2)):
            npi += 1
            who = person()
            mapped_rows += [
                _row(rng, npi=str(npi), place=place, code=c, person=who, street=street) for c in treatment_codes
            ]
    filler_count = 200_000
    filler = []
    for _ in range(filler_count):
        npi += 1
        code = rng.choices(FILLER_CODES, weights=[30, 30, 15, 15, 1, 5, 4])[0]
        filler.append(_row(rng, npi=str(npi), place=rng.choice(places), code=code, person=person()))
    filler_lines = _lines(COLUMNS, filler)
    mapped_lines = _lines(COLUMNS, mapped_rows)
    every = max(1, rows // max(1, len(mapped_lines)))
    mapped = 0
    with open(path, "w", encoding="utf-8") as out:
        out.write(",".join(COLUMNS) + "\n")
        for start in range(0, rows, 100_000):
            chunk = []
            for written in range(start, min(rows, start + 100_000)):
                if written % every == 0 and mapped < len(mapped_lines):
                    chunk.append(mapped_lines[mapped])
                    mapped += 1
                else:
                    chunk.append(filler_lines[written % filler_count])
            out.write("".join(chunk))
    return mapped


def _lines(columns, rows: list[dict]) -> list[str]:
    """Each row as one CSV line (quoted where CMS's writer would need it)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    lines = []
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        lines.append(buffer.getvalue())
    return lines


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_filter(path: Path) -> None:
    import django

    django.setup()
    from directory.medicare.reading import ReadResult, claim_rows

    before = _peak_mb()
    result = ReadResult()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    kept = sum(1 for _ in claim_rows(path, result=result))
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    peak = _peak_mb()
    print(
        f"filter: {result.rows:,} rows, kept {kept:,} in {wall:.1f} s wall ({result.rows / wall:,.0f} rows/s), "
        f"{cpu:.1f} s CPU ({result.rows / cpu:,.0f} rows per CPU second); peak memory {peak:.0f} MB "
        f"({before:.0f} MB before reading); load {os.getloadavg()[0]:.1f}"
    )


def time_import(path: Path) -> None:
    for run in ("first", "rerun"):
        started = time.perf_counter()
        command = [sys.executable, "manage.py", "import_medicare", str(path)]
        wrapped = ["/usr/bin/time", "-f", "%e s wall, %U+%S s CPU, %M KB peak", *command]
        completed = subprocess.run(wrapped, cwd=ROOT, capture_output=True, text=True)  # noqa: S603
        print(f"import ({run}): {time.perf_counter() - started:.1f} s; load {os.getloadavg()[0]:.1f}")
        print("  " + completed.stdout.strip().replace("\n", "\n  "))
        print("  " + completed.stderr.strip().splitlines()[-1] if completed.stderr.strip() else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/medicare-bench"))  # noqa: S108 (a scratch file, never committed)
    parser.add_argument("--import", dest="run_import", action="store_true", help="Also time manage.py import_medicare.")
    parser.add_argument("--keep", action="store_true", help="Reuse the generated file when it exists.")
    parser.add_argument("--filter-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.filter_only:
        time_filter(args.filter_only)
        return
    args.dir.mkdir(parents=True, exist_ok=True)
    path = args.dir / FILE_NAME
    if not (args.keep and path.exists()):
        started = time.perf_counter()
        import django

        django.setup()
        mapped = generate(path, args.rows)
        print(
            f"wrote {path} ({path.stat().st_size / 1e9:.2f} GB, {args.rows:,} rows, {mapped:,} mapped) "
            f"in {time.perf_counter() - started:.0f} s"
        )
    # The filter in a process of its own, so that its peak memory is its own.
    subprocess.run([sys.executable, __file__, "--filter-only", str(path)], check=True)  # noqa: S603
    if args.run_import:
        time_import(path)


if __name__ == "__main__":
    main()
