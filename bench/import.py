"""Time the national directory import at full size, on SQLite and on PostgreSQL.

By default the file is the real directory shipped with the project
(directory/data/samhsa/, 9,037 rows, 9,032 distinct facilities); `--generated` builds one
of the same size from generated names and codes and real ZIPs from the `zipcodes` package.
For each database it migrates a fresh database, imports the file, imports it again (no
changes), and imports a newer file in which 5% of the facilities changed their phone.
(bench/next_edition.py proves the annual update with closures, staff edits and rejects.)
Each number is the wall time of `manage.py import_samhsa`, Python start-up included, and
the CPU time the command itself used (the database server's is not counted); the load
average before the run says how busy the machine was.

    .venv/bin/python bench/import.py                 # both databases, the real directory
    .venv/bin/python bench/import.py --only sqlite   # or --only postgres
    .venv/bin/python bench/import.py --generated     # a generated directory of the same size

PostgreSQL: uses the database `bench_import` on BENCH_POSTGRES_URL
[postgres://postgres@127.0.0.1:5432], created for the run and dropped after it.
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

import zipcodes

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
ROWS = 9037
REPEATS = 5  # rows that repeat an earlier identity (with other case and spacing)
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
import django  # noqa: E402

django.setup()

from directory.importers import BUNDLED_DIRECTORY  # noqa: E402
from directory.importers.codes import codes_by_category  # noqa: E402
from directory.importers.parsing import COLUMNS, file_content  # noqa: E402

WORDS = [
    "Harbor",
    "Cedar",
    "River",
    "Summit",
    "Bright",
    "Lakeside",
    "Pine",
    "Valley",
    "Horizon",
    "Beacon",
    "Meadow",
    "North",
    "South",
    "Oak",
    "Bay",
    "Hope",
]
KINDS = ["Behavioral Health", "Mental Health Center", "Counseling Services", "Psychiatric Hospital", "Wellness Clinic"]
BRANCHES = ["", "", "", "Outpatient Clinic", "Adult Services", "Child and Family Services", "Crisis Center"]
STREETS = ["Main Street", "Oak Avenue", "Park Road", "1st Street", "Lake Drive", "Hillcrest Boulevard", "Center Street"]
GROUPS = ["TC", "SET", "FT", "TAP", "EMS", "FOP", "PAY", "PYAS", "SG", "AGE", "SL", "OL", "AS"]


def generated_rows(rng: random.Random) -> list[dict]:
    places = [z for z in zipcodes.list_all() if z["zip_code_type"] == "STANDARD" and float(z["lat"]) != 0]
    categories = codes_by_category()
    rows = []
    for n in range(ROWS - REPEATS):
        place = rng.choice(places)
        codes = []
        for group in GROUPS:
            choices = categories[group]
            picked = rng.sample(choices, k=rng.randint(1, min(5, len(choices))))
            codes.append(" ".join(picked))
        phone = f"{rng.randint(201, 989)}-555-{rng.randint(0, 9999):04d}"
        if rng.random() < 0.1:
            phone += f" x{rng.randint(1, 9999)}"
        rows.append(
            {
                "name1": f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(KINDS)} {n}",
                "name2": rng.choice(BRANCHES),
                "street1": f"{rng.randint(1, 99999)} {rng.choice(STREETS)}",
                "street2": rng.choice(["", "", "Suite 100", "Building 2"]),
                "city": place["city"],
                "state": place["state"],
                "zip": place["zip_code"],
                "phone": phone,
                "intake1": rng.choice(["", phone, f"800-555-{rng.randint(0, 9999):04d}"]),
                "intake2": "",
                "intake1a": "",
                "intake2a": "",
                "service_code_info": " * ".join(codes),
            }
        )
    for original in rng.sample(rows, REPEATS):  # the directory repeats a few facilities
        repeat = dict(original, name1=f"  {original['name1'].upper()} ", service_code_info="MH * OP * TMS KIT")
        rows.append(repeat)
    return rows


def write_csv(path: Path, rows: list[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def manage(database_url: str, *args: str) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the command, first line printed)."""
    env = dict(os.environ, DATABASE_URL=database_url, DJANGO_DEBUG="1")
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    wall = time.monotonic() - started
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    return wall, cpu, result.stdout.strip().splitlines()[0] if result.stdout.strip() else ""


def bench(label: str, database_url: str, first: Path, newer: Path) -> None:
    manage(database_url, "migrate", "--noinput", "-v0")
    for name, path in [("first import", first), ("rerun, no changes", first), ("newer file, 5% changed", newer)]:
        load = os.getloadavg()[0]
        wall, cpu, summary = manage(database_url, "import_samhsa", str(path), "--report-dir", str(OUT / "reports"))
        print(f"{label:10} {name:24} {wall:6.1f} s wall {cpu:6.1f} s CPU (load {load:4.1f})   {summary}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--generated", action="store_true", help="a generated directory instead of the real one")
    options = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    rng = random.Random(2022)
    if options.generated:
        rows = generated_rows(rng)
    else:  # the real rows as SAMHSA wrote them (quirks included)
        rows = list(csv.DictReader(io.StringIO(file_content(BUNDLED_DIRECTORY).decode("utf-8"), newline="")))
    first, newer = OUT / "directory.csv", OUT / "directory-newer.csv"
    write_csv(first, rows)
    changed = [dict(row) for row in rows]
    for row in rng.sample(changed, len(changed) // 20):
        row["phone"] = f"{rng.randint(201, 989)}-555-{rng.randint(0, 9999):04d}"
    write_csv(newer, changed)
    print(f"{len(rows)} rows ({'generated' if options.generated else BUNDLED_DIRECTORY.name}) in {first}")

    if options.only in (None, "sqlite"):
        database = OUT / "bench.sqlite3"
        database.unlink(missing_ok=True)
        bench("SQLite", f"sqlite:///{database}", first, newer)
        database.unlink(missing_ok=True)
    if options.only in (None, "postgres"):
        import psycopg2

        server = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
        admin = psycopg2.connect(f"{server}/postgres")
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute("DROP DATABASE IF EXISTS bench_import")
            cursor.execute("CREATE DATABASE bench_import")
        try:
            bench("PostgreSQL", f"{server}/bench_import", first, newer)
        finally:
            with admin.cursor() as cursor:
                cursor.execute("DROP DATABASE IF EXISTS bench_import WITH (FORCE)")
            admin.close()


if __name__ == "__main__":
    main()
