"""The annual update, proven on the real directory: import the bundled 2022 edition, let
"staff" edit some listings, then import a "next edition" derived from the real file, and
check what happened.

The next edition is derived here, never committed: from the real rows, with a fixed seed,

- CLOSED facilities are left out (the import must list them, never delete them);
- NEW facilities are added (copies of real rows as a second site: a new street and a
  "Second site" name2, so they are new identities);
- PHONES change for some facilities;
- SERVICES change for some: TMS or ketamine added, CBT or Medicare removed;
- BROKEN rows are appended: no name, and a ZIP and city that do not exist.

Staff edits made between the two imports, through the ORM as the admin makes them (with
change history): a phone that SAMHSA changes too (staff must win), Medicare removed
where SAMHSA still lists it (must stay removed), a description written, a TMS variant
described where SAMHSA drops TMS (the described treatment must stay).

    .venv/bin/python bench/next_edition.py               # SQLite (what make run uses)
    .venv/bin/python bench/next_edition.py --postgres    # a scratch PostgreSQL database, bench_next_edition

It prints the import's summary line and details, then one line per check, and exits 1 if a
check fails. The import must finish in under 10 s (issue "The real national directory").
"""

import argparse
import csv
import gzip
import io
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "next-edition"
SEED = 2023
CLOSED, NEW, PHONES, SERVICES, STAFF = 150, 120, 300, 400, 20
BROKEN = [
    {"name1": "", "name2": "", "street1": "1 Nowhere Road", "city": "Tampa", "state": "FL", "zip": "33602"},
    {"name1": "Ghost Clinic", "street1": "2 Nowhere Road", "city": "Atlantis", "state": "ZZ", "zip": "00000"},
    {"name1": "  ", "name2": " ", "street1": "3 Nowhere Road", "city": "Reno", "state": "NV", "zip": "89501"},
]


def derive(rows: list[dict], rng: random.Random) -> tuple[list[dict], dict]:
    """The next edition's rows, and what was changed (by identity) for the checks."""
    from directory.importers.identity import identity_key

    def key(row: dict) -> str:
        return identity_key(row["name1"], row["name2"], row["street1"], row["zip"])

    keys = list(dict.fromkeys(key(row) for row in rows))
    closed = set(rng.sample(keys, CLOSED))
    rest = [k for k in keys if k not in closed]
    phone_changed = set(rng.sample(rest, PHONES))
    service_changed = set(rng.sample([k for k in rest if k not in phone_changed], SERVICES))
    edition, new_keys, services = [], [], {}
    for row in rows:
        k = key(row)
        if k in closed:
            continue
        row = dict(row)
        if k in phone_changed:
            row["phone"] = f"{rng.randint(201, 989)}-{rng.randint(200, 989)}-{rng.randint(0, 9999):04d}"
        if k in service_changed:
            codes = row["service_code_info"].replace("CBT", "").replace(" MC ", " ")
            added = rng.choice(["TMS", "KIT"])
            row["service_code_info"] = f"{codes} * {added}"
            services[k] = added
        edition.append(row)
    for original in rng.sample(edition, NEW):
        new = dict(original, name2="Second site", street1=f"{rng.randint(1, 9999)} Harbor Avenue")
        edition.append(new)
        new_keys.append(key(new))
    for broken in BROKEN:
        edition.append(dict.fromkeys(rows[0], "") | broken | {"phone": "555-555-0100"})
    return edition, {
        "closed": closed,
        "phone_changed": phone_changed,
        "service_changed": services,
        "new": new_keys,
        "broken_rows": list(range(len(edition) - len(BROKEN) + 2, len(edition) + 2)),
    }


def staff_edits(changes: dict, rng: random.Random) -> dict:
    """Edit some listings the way staff do in the admin (saving models, so history records)."""
    from directory.models import Center, CenterTreatment, PaymentOption
    from directory.search.index import centers_refresh_search

    by_key = {center.source_key: center for center in Center.objects.exclude(source_key="")}
    medicare = PaymentOption.objects.get(slug="medicare")
    phone_keys = rng.sample(sorted(changes["phone_changed"]), STAFF)
    for n, key in enumerate(phone_keys):
        center = by_key[key]
        center.phone = f"(904) 555-{n:04d}"
        center.save()
    untouched = sorted(set(by_key) - changes["closed"] - changes["phone_changed"] - set(changes["service_changed"]))
    medicare_keys = [k for k in untouched if by_key[k].payment_options.filter(pk=medicare.pk).exists()][:STAFF]
    for key in medicare_keys:
        by_key[key].payment_options.remove(medicare)
    described_keys = untouched[STAFF : 2 * STAFF]
    for key in described_keys:
        center = by_key[key]
        center.description = "Staff wrote this after calling the center."
        center.save()
    # TMS described by staff at centers whose TMS the next edition drops.
    tms_keys = [k for k in untouched[2 * STAFF :] if "TMS" in by_key[k].source_codes.split()][:5]
    for key in tms_keys:
        detail = CenterTreatment.objects.get(center=by_key[key], treatment__slug="tms")
        detail.tms_variant = "deep"
        detail.save()
    centers_refresh_search(center_ids=[by_key[k].pk for k in medicare_keys + tms_keys])
    return {"phone": phone_keys, "medicare": medicare_keys, "description": described_keys, "tms": tms_keys}


def drop_tms(rows: list[dict], keys: set[str]) -> None:
    from directory.importers.identity import identity_key

    for row in rows:
        if identity_key(row["name1"], row["name2"], row["street1"], row["zip"]) in keys:
            row["service_code_info"] = " ".join(code for code in row["service_code_info"].split() if code != "TMS")


def check(label: str, ok: bool, failures: list[str]) -> None:
    print(f"  {'ok ' if ok else 'FAIL'} {label}")
    if not ok:
        failures.append(label)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="a scratch PostgreSQL database instead of SQLite")
    options = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    server = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
    if options.postgres:
        import psycopg2

        admin = psycopg2.connect(f"{server}/postgres")
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute("DROP DATABASE IF EXISTS bench_next_edition WITH (FORCE)")
            cursor.execute("CREATE DATABASE bench_next_edition")
        os.environ["DATABASE_URL"] = f"{server}/bench_next_edition"
    else:
        database = OUT / "db.sqlite3"
        database.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from directory.importers import BUNDLED_DIRECTORY, samhsa_import
    from directory.importers.identity import identity_key
    from directory.models import Center, CenterTreatment

    failures: list[str] = []
    try:
        call_command("migrate", "--noinput", verbosity=0)
        print(f"First edition: {BUNDLED_DIRECTORY.name}")
        first = samhsa_import(path=BUNDLED_DIRECTORY, report_dir=OUT / "first")
        print(f"  {first.summary_line()} ({first.seconds:.1f} s)")

        text = gzip.decompress(BUNDLED_DIRECTORY.read_bytes()).decode("utf-8")
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        rng = random.Random(SEED)
        edition, changes = derive(rows, rng)
        edits = staff_edits(changes, rng)
        drop_tms(edition, set(edits["tms"]))
        path = OUT / "national_directory_next.csv"
        with open(path, "w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(edition)

        print(
            f"Next edition: {path.relative_to(ROOT)}: {len(edition)} rows; {CLOSED} closed, {NEW} new, "
            f"{PHONES} phones changed, {SERVICES} with services added and removed, {len(BROKEN)} broken rows"
        )
        print(
            f"Staff edits in between: {STAFF} phones (SAMHSA changes them too), {len(edits['medicare'])} Medicare "
            f"removed, {STAFF} descriptions, {len(edits['tms'])} TMS variants where SAMHSA drops TMS"
        )
        load = os.getloadavg()[0]
        started, cpu_started = time.monotonic(), time.process_time()
        report = samhsa_import(path=path, report_dir=OUT / "next")
        seconds, cpu = time.monotonic() - started, time.process_time() - cpu_started
        print(report.summary_line())
        for line in report.detail_lines():
            print(line)
        print(f"took {seconds:.1f} s wall, {cpu:.1f} s CPU in this process (load {load:.1f} before)")
        print(f"report in {(OUT / 'next').relative_to(ROOT)}")

        print("Checks:")
        centers = {center.source_key: center for center in Center.objects.exclude(source_key="")}
        edition_rows = {identity_key(r["name1"], r["name2"], r["street1"], r["zip"]): r for r in edition}
        staff_phone = set(edits["phone"])
        samhsa_phones = [k for k in changes["phone_changed"] if k not in staff_phone]
        from directory.importers.parsing import normalize_phone

        applied = sum(centers[k].phone == normalize_phone(edition_rows[k]["phone"]) for k in samhsa_phones)
        check(
            f"SAMHSA's phone changes applied: {applied}/{len(samhsa_phones)}", applied == len(samhsa_phones), failures
        )  # noqa: E501
        kept = sum(centers[k].phone == f"(904) 555-{n:04d}" for n, k in enumerate(edits["phone"]))
        check(f"staff phones kept over SAMHSA's: {kept}/{len(staff_phone)}", kept == len(staff_phone), failures)
        still_removed = sum(not centers[k].payment_options.filter(slug="medicare").exists() for k in edits["medicare"])
        check(
            f"Medicare removed by staff stays removed: {still_removed}/{len(edits['medicare'])}",
            still_removed == len(edits["medicare"]),
            failures,
        )
        described = sum(centers[k].description.startswith("Staff wrote") for k in edits["description"])
        check(f"staff descriptions kept: {described}/{STAFF}", described == STAFF, failures)
        tms_kept = CenterTreatment.objects.filter(
            center__source_key__in=edits["tms"], treatment__slug="tms", tms_variant="deep"
        ).count()
        check(
            f"TMS described by staff kept though SAMHSA dropped it: {tms_kept}/{len(edits['tms'])}",
            tms_kept == len(edits["tms"]),
            failures,
        )  # noqa: E501
        added = sum(
            centers[k].treatment_details.filter(treatment__slug={"TMS": "tms", "KIT": "ketamine"}[code]).exists()
            for k, code in changes["service_changed"].items()
        )
        check(f"services SAMHSA added applied: {added}/{SERVICES}", added == SERVICES, failures)
        missing = {center.source_key for center in report.missing}
        check(
            f"closures listed as missing: {len(missing & changes['closed'])}/{CLOSED}",
            missing == changes["closed"],
            failures,
        )  # noqa: E501
        alive = sum(k in centers and centers[k].status == Center.Status.PUBLISHED for k in changes["closed"])
        check(f"closures not deleted (still there, for staff to close): {alive}/{CLOSED}", alive == CLOSED, failures)
        check(f"new facilities created: {report.created}/{NEW}", report.created == NEW, failures)
        rejected = sorted(reject.row for reject in report.rejects)
        check(
            f"broken rows rejected with row numbers {rejected} and reasons: "
            + "; ".join(reject.reason for reject in report.rejects),
            rejected == changes["broken_rows"] and all(reject.reason for reject in report.rejects),
            failures,
        )
        check(f"staff edits reported: {report.kept_staff_edits} kept", report.kept_staff_edits >= 2 * STAFF, failures)
        check(f"finished in under 10 s: {seconds:.1f} s", seconds < 10, failures)
    finally:
        if options.postgres:
            from django.db import connections

            connections.close_all()
            with admin.cursor() as cursor:
                cursor.execute("DROP DATABASE IF EXISTS bench_next_edition WITH (FORCE)")
            admin.close()
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
