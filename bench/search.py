#!/usr/bin/env python
"""Benchmark of the center search, through the full Django stack, on PostgreSQL.

    .venv/bin/python bench/search.py                  # the real national directory, fresh database, dropped after
    .venv/bin/python bench/search.py --centers 100000 # generated centers instead (scale runs)
    .venv/bin/python bench/search.py --keep            # keep the database; then --reuse skips the fill
    .venv/bin/python bench/search.py --reuse --profile zip+treatment
    .venv/bin/python bench/search.py --reuse --http    # also: gunicorn (2 workers) + wrk on the mix

It fills a fresh database (by default bench_search_s_real, or bench_search_s_N for N
generated centers: names no test or CI run uses) with the national directory the project
ships (SAMHSA 2022, imported with `manage.py import_samhsa`), or with N generated centers
spread over real US ZIP codes, then times, in this process with DEBUG off:
- five typical searches (ZIP + treatment, city + radius 50, text, every filter at once,
  no filter), each as the listing page and as the API, 50 distinct URLs each;
- a mix of 300 distinct ZIP/radius/treatment searches through our listing and through the
  straightforward implementation of the same search (bench/baseline.py);
- a trivial view through the same middleware, the unit of the "x trivial" column.
It prints median and 95th-percentile milliseconds and queries per request. Numbers and
the machine they came from go in bench/README.md.
"""

import argparse
import cProfile
import io
import os
import platform
import pstats
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATABASE_SERVER = "postgres://postgres@127.0.0.1:5432/"
# The national directory the project ships; before it is committed, the shared copy beside the project.
DIRECTORY_FILES = [
    ROOT / "directory/data/samhsa/national_directory_mh_2022.csv.gz",
    ROOT.parent / "shared/data/samhsa/national_directory_mh_2022.csv",
]
DISTINCT_URLS = 50
MIX_SIZE = 300

NAME_FIRST = [
    "Harbor Light", "Riverbend", "Clear Path", "Northstar", "Willow Creek", "Bayside", "Cedar Grove", "Lantern",
    "Open Door", "Evergreen", "Summit", "Still Water", "Sunrise", "Blue Ridge", "Oak Hollow", "Meridian", "Beacon",
    "New Leaf", "Pinecrest", "Silver Lake", "Horizon", "Keystone", "Maple Street", "Brightwater", "Lakeshore",
    "Prairie", "Canyon", "Harmony", "Stonebridge",
]  # fmt: skip
NAME_SECOND = [
    "Mind Health", "Brain Wellness Clinic", "TMS & Psychiatry", "Behavioral Health", "Mood Center",
    "Psychiatric Associates", "Counseling Center", "Neuromodulation Center", "Ketamine Clinic",
    "Mental Health Center", "Recovery Services", "Depression Center",
]  # fmt: skip
# (slug, share of centers offering it)
TREATMENT_SHARES = [
    ("tms", 0.25), ("ketamine", 0.15), ("esketamine", 0.12), ("ect", 0.06), ("vns", 0.03),
    ("psychedelic", 0.02), ("cbt", 0.55), ("ipt", 0.12), ("dbt", 0.2), ("medication-management", 0.6),
]  # fmt: skip
TEXT_QUERIES = [
    "ketamine", "tms", "spravato", "harbor", "riverbend tms", "sunrise", "sunrse", "clear path", "willow",
    "northstar ketamine", "bayside", "counseling", "neuromodulation", "beacon", "summit psychiatry",
    "ect", "depression center", "new leaf", "maple", "oak hollow", "brain wellness", "lantern", "horizon tms",
    "keystone", "lakeshore", "prairie", "canyon", "harmony", "stonebridge", "meridian", "evergreen",
    "silver lake", "blue ridge", "pinecrest", "brightwater", "open door", "still water", "cedar grove",
    "mood", "recovery", "behavioral", "psychiatric", "mind health", "ketamin", "harbr", "wilow creek",
    "esketamine", "vagus", "electroconvulsive", "magnetic stimulation",
]  # fmt: skip


def configure(database_url: str) -> None:
    """Production-like settings (DEBUG off, static manifest), on the benchmark database."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_BEHIND_PROXY": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_LOG_LEVEL": "WARNING",
            "DATABASE_URL": database_url,
        }
    )
    import django

    django.setup()


def recreate_database(database_url: str) -> None:
    import psycopg2

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password, dbname="postgres"
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def drop_database(database_url: str) -> None:
    import psycopg2
    from django.db import connections

    connections.close_all()
    parts = urlsplit(database_url)
    admin = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password, dbname="postgres"
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}"')
    admin.close()


def fill(count: int, *, seed: int = 2026) -> None:
    """`count` generated centers over real US ZIP codes, with treatments, details and lookups."""
    from datetime import date, timedelta
    from decimal import Decimal

    import zipcodes
    from django.db import connection, transaction
    from django.utils.text import slugify

    from directory.models import (
        AgeGroup,
        CareSetting,
        Center,
        CenterTreatment,
        Language,
        Location,
        PaymentOption,
        Treatment,
    )
    from directory.search.index import centers_refresh_search

    rng = random.Random(seed)
    zips = [row for row in zipcodes.list_all() if row["lat"] and row["long"] and row["state"] not in {"AA", "AE", "AP"}]
    treatments = {t.slug: t for t in Treatment.objects.all()}
    settings_ = list(CareSetting.objects.all())
    payments = list(PaymentOption.objects.all())
    ages = list(AgeGroup.objects.all())
    languages = list(Language.objects.filter(slug__in=["spanish", "asl", "vietnamese", "chinese", "haitian-creole"]))
    today = date(2026, 11, 1)
    started = time.perf_counter()
    batch = 5000
    for start in range(0, count, batch):
        with transaction.atomic():
            centers = []
            for n in range(start, min(start + batch, count)):
                name = f"{rng.choice(NAME_FIRST)} {rng.choice(NAME_SECOND)}"
                roll = rng.random()
                centers.append(
                    Center(
                        name=name,
                        slug=f"{slugify(name)}-{n}",
                        description=f"{name} is a generated benchmark center. It treats depression that has "
                        "not responded to medication, with a team of psychiatrists and therapists.",
                        phone=f"({rng.randint(201, 989)}) 555-{rng.randint(100, 199):04d}",
                        status="published" if roll < 0.95 else ("draft" if roll < 0.98 else "closed"),
                        accepting_new_patients=rng.choice(["yes", "yes", "no", "unknown"]),
                        accepting_checked_on=today - timedelta(days=rng.randint(1, 90)),
                        source="Benchmark (generated)",
                        source_key=f"bench-{n}",
                        last_verified_on=None if rng.random() < 0.2 else today - timedelta(days=rng.randint(1, 700)),
                        verification_method=rng.choice(["phone", "website", "official_list"]),
                    )
                )
            Center.objects.bulk_create(centers)
            locations, offers = [], []
            through = {
                "care_settings": (Center.care_settings.through, "caresetting", settings_, 2),
                "payment_options": (Center.payment_options.through, "paymentoption", payments, 3),
                "age_groups": (Center.age_groups.through, "agegroup", ages, 3),
                "languages": (Center.languages.through, "language", languages, 1),
            }
            links = {relation: [] for relation in through}
            for center in centers:
                for order in range(2 if rng.random() < 0.1 else 1):
                    row = rng.choice(zips)
                    locations.append(
                        Location(
                            center=center,
                            street1=f"{rng.randint(1, 9999)} {rng.choice(['Main', 'Oak', 'River', 'Park'])} Street",
                            city=row["city"],
                            city_slug=slugify(row["city"]),
                            state=row["state"].upper(),
                            zip=row["zip_code"],
                            latitude=float(row["lat"]) + rng.uniform(-0.01, 0.01),
                            longitude=float(row["long"]) + rng.uniform(-0.01, 0.01),
                            phone=center.phone,
                            hours="Mon-Fri 8am-5pm",
                            sort_order=order,
                        )
                    )
                offered = [slug for slug, share in TREATMENT_SHARES if rng.random() < share] or ["cbt"]
                for slug in offered:
                    offers.append(
                        CenterTreatment(
                            center=center,
                            treatment=treatments[slug],
                            tms_variant=rng.choice(["standard", "deep", "theta_burst"]) if slug == "tms" else "",
                            ketamine_route=rng.choice(["iv", "im"]) if slug == "ketamine" else "",
                            spravato_rems_certified=True if slug == "esketamine" else None,
                            self_pay_price=Decimal(rng.choice([250, 300, 450, 900]))
                            if slug in {"tms", "ketamine", "esketamine"} and rng.random() < 0.6
                            else None,
                            price_unit="per session",
                        )
                    )
                for relation, (model, field, choices, most) in through.items():
                    if relation == "languages":
                        if rng.random() < 0.5:
                            continue
                        # Spanish is by far the most offered language besides English.
                        choices = choices[:1] if rng.random() < 0.8 else choices
                    for choice in rng.sample(choices, rng.randint(1, min(most, len(choices)))):
                        links[relation].append(model(center_id=center.pk, **{f"{field}_id": choice.pk}))
            Location.objects.bulk_create(locations)
            CenterTreatment.objects.bulk_create(offers)
            for relation, rows in links.items():
                through[relation][0].objects.bulk_create(rows)
        print(f"  filled {min(start + batch, count):,} centers ({time.perf_counter() - started:.0f} s)", flush=True)
    centers_refresh_search()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"  search documents and VACUUM ANALYZE done ({time.perf_counter() - started:.0f} s)", flush=True)


def build_searches(rng: random.Random) -> tuple[dict[str, list[str]], list[str]]:
    """Five typical searches (DISTINCT_URLS query strings each) and the mix of MIX_SIZE."""
    from directory.models import Location

    # Drawn with the seeded generator, not the database's random order, so that every run (and
    # every database, for --scale-against) times the same URLs.
    published = list(
        Location.objects.filter(center__status="published").order_by("id").values_list("zip", "city", "state")
    )
    places = rng.sample(published, min(len(published), DISTINCT_URLS * 8))
    zips = list(dict.fromkeys(zip_code for zip_code, _city, _state in places))
    cities = list(dict.fromkeys(f"{city}, {state}" for _zip, city, state in places))
    treatments = ["tms", "ketamine", "esketamine", "ect", "cbt"]
    searches = {
        "zip+treatment": [urlencode({"near": z, "treatment": rng.choice(treatments)}) for z in zips[:DISTINCT_URLS]],
        "city+radius 50": [urlencode({"near": c, "radius": 50}) for c in cities[:DISTINCT_URLS]],
        "text": [urlencode({"q": q}) for q in TEXT_QUERIES[:DISTINCT_URLS]],
        "every filter": [
            urlencode(
                [
                    ("q", rng.choice(["depression", "psychiatrists", "therapists", "medication"])),
                    ("near", z),
                    ("radius", 100),
                    ("treatment", "tms"),
                    ("treatment", "ketamine"),
                    ("treatment", "cbt"),
                    ("setting", "outpatient"),
                    ("setting", "telehealth"),
                    ("payment", "private-insurance"),
                    ("payment", "medicare"),
                    ("age", "adults"),
                    ("language", "spanish"),
                    ("accepting", "1"),
                    ("sort", "verified"),
                ]
            )
            for z in zips[DISTINCT_URLS : DISTINCT_URLS * 2]
        ],
        "no filter": [""] + [f"page={n}" for n in range(2, DISTINCT_URLS + 1)],
    }
    mix = []
    for zip_code in zips[: MIX_SIZE * 2]:
        radius = rng.choice([10, 25, 25, 50])
        treatment = rng.choice(["tms", "ketamine", "esketamine", "ect", "vns", "cbt", "dbt", ""])
        query = urlencode({"near": zip_code, "radius": radius, **({"treatment": treatment} if treatment else {})})
        if query not in mix:
            mix.append(query)
        if len(mix) == MIX_SIZE:
            break
    return searches, mix


def run(client, paths: list[str]) -> list[float]:
    samples = []
    for path in paths:
        started = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    return samples


def queries_for(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    return len(captured.captured_queries)


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18] if len(samples) >= 20 else max(samples)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {platform.system()} {platform.release()}, Python {platform.python_version()}"
    )


def scale_check(client, mix: list[str], first_url: str, second_url: str, *, rounds: int) -> None:
    """The same listing URLs on two databases, in alternating blocks of 50 (so that both see
    the same machine load); the connection is switched between blocks, outside the timing."""
    from django.core.cache import cache
    from django.db import connection, connections

    from directory.models import Center
    from directory.search import query

    def use(url: str) -> None:
        connections["default"].close()
        connections["default"].settings_dict["NAME"] = urlsplit(url).path.lstrip("/")
        cache.clear()
        query._facet_counts_held[:] = [0.0, None]  # this database's counts
        client.get("/centers/")  # connects and reads the vocabulary
        # Read here, outside the timing, as the vocabulary is: a process keeps them ten minutes
        # (query.FACET_COUNTS_SECONDS), and recounting them in the first timed empty page of
        # every block charged 50 requests with what a process pays once in ten minutes
        # (234 ms at 100,000 centers, 50 ms at 10,000).
        query.facet_counts()

    text = {q for q in mix if q.startswith("q=")}
    sizes, samples, text_samples = {}, {first_url: [], second_url: []}, {first_url: [], second_url: []}
    for url in (first_url, second_url):
        use(url)
        sizes[url] = Center.objects.count()
        run(client, [f"/centers/?{q}" for q in mix])  # warm-up
    for round_ in range(rounds):
        for start in range(0, len(mix), 50):
            block = [f"/centers/?{q}" for q in mix[start : start + 50]]
            for url in (first_url, second_url) if round_ % 2 == 0 else (second_url, first_url):
                use(url)
                times = run(client, block)
                samples[url] += times
                text_samples[url] += [ms for q, ms in zip(mix[start : start + 50], times, strict=True) if q in text]
    print(f"\nThe same mix on two databases (listing pages, alternating blocks of 50, {connection.vendor}):")
    for url in (first_url, second_url):
        print(
            f"  {sizes[url]:>8,} centers  mean {statistics.mean(samples[url]):6.2f} ms  "
            f"median {statistics.median(samples[url]):6.2f}  p95 {p95(samples[url]):6.2f}"
        )
    ratio = statistics.mean(samples[second_url]) / statistics.mean(samples[first_url])
    print(f"  time at {sizes[second_url]:,} / time at {sizes[first_url]:,}: {ratio:.2f}x")
    if text_samples[first_url]:
        text_ratio = statistics.mean(text_samples[second_url]) / statistics.mean(text_samples[first_url])
        print(f"  of which the {len(text)} text searches alone: {text_ratio:.2f}x")
        others = {url: list(samples[url]) for url in samples}
        for url in others:
            for ms in text_samples[url]:
                others[url].remove(ms)
        other_ratio = statistics.mean(others[second_url]) / statistics.mean(others[first_url])
        print(f"  and the {len(mix) - len(text)} others: {other_ratio:.2f}x")
    use(first_url)


def nearest_check(mix: list[str], *, rounds: int) -> None:
    """The nearest-match lookup alone (what a no-result page near a place adds), for filters
    that match only a few dozen locations nationwide, a rare one, one nobody matches and a
    common one, from the mix's ZIP codes."""
    from django.http import QueryDict

    from directory.search import query
    from directory.search.params import MAX_RADIUS, CenterFilterSet

    counts = query.facet_counts()
    zips = list(dict.fromkeys(QueryDict(q)["near"] for q in mix))[:50]
    filters = {
        "ketamine + medicare": "treatment=ketamine&payment=medicare",
        "tms + spanish": "treatment=tms&language=spanish",
        "tms": "treatment=tms",
        "esketamine": "treatment=esketamine",
        "cbt": "treatment=cbt",
    }
    print(f"\nNearest match alone ({len(zips)} ZIP codes x {rounds} rounds; locations the filter can match):")
    for label, filters_query in filters.items():
        criteria = [CenterFilterSet(QueryDict(f"near={z}&{filters_query}")).criteria for z in zips]
        for each in criteria:
            query.nearest_match_miles(each, within=float(MAX_RADIUS))  # warm-up
        samples = []
        for _ in range(rounds):
            for each in criteria:
                started = time.perf_counter()
                query.nearest_match_miles(each, within=float(MAX_RADIUS))
                samples.append((time.perf_counter() - started) * 1000)
        print(
            f"  {label:22} at most {query._most_matches(criteria[0]):6,} locations  "
            f"median {statistics.median(samples):5.2f} ms  p95 {p95(samples):5.2f} ms  ({len(counts):,} facet counts)"
        )


def http_mix(database_url: str, mix: list[str], *, seconds: int) -> None:
    """The mix under gunicorn (2 workers) and wrk, for ours and for the baseline."""
    if not shutil.which("wrk"):
        print("wrk is not installed: skipping --http")
        return
    port = int(os.environ.get("BENCH_PORT", "8097"))
    env = {**os.environ, "DATABASE_URL": database_url}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "bench/gunicorn_conf.py", "-b", f"127.0.0.1:{port}", "bench.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        # Both workers boot (each builds the geocoding index) before anything is measured.
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/trivial/", timeout=5):
                    break
            except OSError:
                time.sleep(1)
        scripts = {}
        for label, prefix in [("baseline", "/bench/baseline/"), ("ours", "/centers/")]:
            with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
                paths = ", ".join(f'"{prefix}?{query}"' for query in mix)
                script.write(
                    f"local paths = {{{paths}}}\nlocal i = 0\n"
                    "request = function()\n  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend\n"
                )
            scripts[label] = script.name
            # Warm both workers (geocoding index, templates), then measure.
            subprocess.run(
                ["wrk", "-t1", "-c2", "-d10s", "-s", script.name, f"http://127.0.0.1:{port}"],
                capture_output=True,
                check=True,
            )
        # Alternating halves (baseline, ours, ours, baseline), so that both see the same machine load.
        totals = {label: [0, 0.0, []] for label in scripts}
        for label in ["baseline", "ours", "ours", "baseline"]:
            result = subprocess.run(
                ["wrk", "-t1", "-c4", f"-d{seconds // 2}s", "-s", scripts[label], f"http://127.0.0.1:{port}"],
                capture_output=True,
                text=True,
                check=True,
            )
            lines = result.stdout.splitlines()
            totals[label][0] += int(next(line for line in lines if "requests in" in line).split()[0])
            totals[label][1] += seconds // 2
            totals[label][2] += [line.strip() for line in lines if "Non-2xx" in line]
        for label, (requests, elapsed, non2xx) in totals.items():
            print(f"  {label:9} {requests / elapsed:8.0f} requests/s  {' '.join(non2xx)}")
        print(f"  ours serves {totals['ours'][0] / totals['baseline'][0]:.2f}x the baseline's throughput over HTTP")
        for name in scripts.values():
            os.unlink(name)
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--centers", type=int, help="generate this many centers instead of the real directory")
    parser.add_argument("--directory", type=Path, help="the national directory file to import [the bundled one]")
    parser.add_argument(
        "--database-url", help=f"a scratch database [{DATABASE_SERVER}bench_search_s_real, or bench_search_s_N]"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards (for --reuse)")
    parser.add_argument("--reuse", action="store_true", help="use the kept database as it is (and keep it)")
    parser.add_argument("--rounds", type=int, default=3, help="timed passes over each URL list [3]")
    parser.add_argument("--profile", metavar="SEARCH", help="profile one search (e.g. 'mix') instead of timing")
    parser.add_argument("--mix-only", action="store_true", help="skip the five typical searches")
    parser.add_argument("--http-only", action="store_true", help="only the mix over HTTP (with --http)")
    parser.add_argument("--scale-only", action="store_true", help="only the comparison with --scale-against")
    parser.add_argument(
        "--scale-against",
        metavar="DATABASE_URL",
        help="a second filled database (e.g. 100,000 centers, kept with --keep): time the same mix on both, "
        "alternating, and print the ratio",
    )
    parser.add_argument("--http", action="store_true", help="also measure the mix under gunicorn + wrk")
    parser.add_argument("--http-seconds", type=int, default=20)
    parser.add_argument(
        "--no-fragment-cache",
        action="store_true",
        help="draw every result card and checkbox group on every request (no 'fragments' cache)",
    )
    args = parser.parse_args()
    if not args.database_url:
        args.database_url = DATABASE_SERVER + (
            f"bench_search_s_{args.centers}" if args.centers else "bench_search_s_real"
        )
    directory = args.directory or next((path for path in DIRECTORY_FILES if path.exists()), None)
    if not args.centers and not args.reuse and directory is None:
        raise SystemExit(f"No national directory file at {' or '.join(map(str, DIRECTORY_FILES))}: give --directory")

    if not args.reuse:
        recreate_database(args.database_url)
    configure(args.database_url)

    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    settings.ROOT_URLCONF = "bench.urls"
    if args.no_fragment_cache:
        settings.CACHES["fragments"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
        os.environ["BENCH_NO_FRAGMENT_CACHE"] = "1"  # for gunicorn (bench/wsgi.py)
    if not args.reuse:
        call_command("migrate", verbosity=0)
        if args.centers:
            print(f"Filling {args.centers:,} centers...", flush=True)
            fill(args.centers)
        else:
            print(f"Importing {directory}...", flush=True)
            call_command("import_samhsa", str(directory), "--report-dir", tempfile.mkdtemp(prefix="bench-import-"))
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
    call_command("collectstatic", interactive=False, verbosity=0)

    from django.db import connection

    from directory.models import Center, Location

    rng = random.Random(7)
    searches, mix = build_searches(rng)
    client = Client()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
    print(
        f"\n{Center.objects.count():,} centers ({Center.objects.published().count():,} published), "
        f"{Location.objects.count():,} locations; PostgreSQL {server_version}; {machine()}"
    )

    if args.profile:
        paths = (
            [f"/centers/?{q}" for q in mix]
            if args.profile == "mix"
            else [f"/centers/?{q}" for q in searches[args.profile]]
        )
        run(client, paths)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.rounds):
            run(client, paths)
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
        stats.print_stats(45)
        stats.sort_stats("tottime").print_stats(30)
        print(out.getvalue())
        return

    if args.scale_only:
        urls = mix[: MIX_SIZE - DISTINCT_URLS] + searches["text"][:DISTINCT_URLS]
        scale_check(client, urls, args.database_url, args.scale_against, rounds=args.rounds)
        return
    if args.http_only:
        print(f"\nThe same mix over HTTP: gunicorn, 2 workers, wrk 4 connections, {args.http_seconds} s:")
        http_mix(args.database_url, mix, seconds=args.http_seconds)
        return

    trivial = ["/bench/trivial/"] * 200
    run(client, trivial)
    trivial_ms = statistics.median(run(client, trivial))
    print(f"\nTrivial view (same middleware): median {trivial_ms:.2f} ms\n")
    print(f"{'search':16} {'page':5} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'x trivial':>10} {'results':>8}")
    for name, queries in ({} if args.mix_only else searches).items():
        for page, prefix in [("html", "/centers/"), ("api", "/api/centers/")]:
            paths = [f"{prefix}?{q}" if q else prefix for q in queries]
            run(client, paths)  # warm-up
            samples = [ms for _ in range(args.rounds) for ms in run(client, paths)]
            median = statistics.median(samples)
            count = client.get(f"/api/centers/?{queries[0]}").json()["count"]
            print(
                f"{name:16} {page:5} {median:10.2f} {p95(samples):8.2f} {queries_for(client, paths[0]):8d} "
                f"{median / trivial_ms:9.0f}x {count:8,}"
            )

    print(f"\nMix of {len(mix)} distinct ZIP/radius/treatment searches (listing pages, interleaved):")
    implementations = {"baseline": "/bench/baseline/", "ours": "/centers/"}
    samples: dict[str, list[float]] = {label: [] for label in implementations}
    for prefix in implementations.values():
        run(client, [f"{prefix}?{q}" for q in mix])  # warm-up
    # Alternate the two on every URL, so that both see the same machine load.
    for round_ in range(args.rounds):
        for query in mix:
            labels = list(implementations) if round_ % 2 == 0 else list(reversed(implementations))
            for label in labels:
                samples[label] += run(client, [f"{implementations[label]}?{query}"])
    for label, prefix in implementations.items():
        mean = statistics.mean(samples[label])
        print(
            f"  {label:9} mean {mean:6.2f} ms  median {statistics.median(samples[label]):6.2f}  "
            f"p95 {p95(samples[label]):6.2f}  = {1000 / mean:5.0f} requests/s in one process  "
            f"queries {queries_for(client, f'{prefix}?{mix[0]}')}"
        )
    ratio = statistics.mean(samples["baseline"]) / statistics.mean(samples["ours"])
    print(f"  ours serves {ratio:.2f}x the baseline's throughput")

    if connection.vendor == "postgresql":
        nearest_check(mix, rounds=args.rounds)

    if args.scale_against:
        # The mix with a sixth of it replaced by text searches (the 300 URLs, text included).
        urls = mix[: MIX_SIZE - DISTINCT_URLS] + searches["text"][:DISTINCT_URLS]
        scale_check(client, urls, args.database_url, args.scale_against, rounds=args.rounds)

    if args.http:
        print(f"\nThe same mix over HTTP: gunicorn, 2 workers, wrk 4 connections, {args.http_seconds} s:")
        http_mix(args.database_url, mix, seconds=args.http_seconds)

    if not (args.keep or args.reuse):
        drop_database(args.database_url)


if __name__ == "__main__":
    main()
