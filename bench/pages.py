#!/usr/bin/env python
"""Render cost, throughput and page weight of the pages search engines send people to.

    .venv/bin/python bench/pages.py              # fills bench_pages once (the real directory), then measures
    .venv/bin/python bench/pages.py --seconds 20 # longer wrk runs
    .venv/bin/python bench/pages.py --no-http    # in-process timings and page weight only

On PostgreSQL with the national directory the project ships (SAMHSA 2022, `import_samhsa`)
and the guide (`load_guide`), with production settings (DEBUG off, cached template loader,
hashed static files), it prints for center pages, city pages and treatment-in-city pages:
- in this process: median milliseconds per page, wall clock and CPU, and queries per page,
  over distinct real pages (every page once cold, then again warm);
- over HTTP: gunicorn (bench/gunicorn_conf.py, 2 sync workers) and wrk (1 thread, 4
  connections) cycling through the same pages, after each was asked for three times:
  requests per second;
- page weight of home, a 20-result listing, a center page and a guide article: HTML as
  sent plain and gzipped, and everything else the page loads (CSS, JS, icon) gzipped,
  as a phone on a fresh visit would fetch it.
The database (bench_pages) is kept between runs; --fresh fills it again.
"""

import argparse
import gzip
import os
import random
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATABASE_SERVER = "postgres://postgres@127.0.0.1:5432/"
PAGES_PER_KIND = 150
WEIGHT_PAGES = {
    "home": "/",
    "listing, 20 results": "/centers/?near=Chicago%2C+IL&radius=50",
    "center page": None,  # filled with a real center
    "guide article": "/guide/what-is-treatment-resistant-depression/",
}


def configure(database_url: str) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
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


def database_exists(name: str) -> bool:
    import psycopg2

    admin = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        found = cursor.fetchone() is not None
    admin.close()
    return found


def create_database(name: str) -> None:
    import psycopg2

    admin = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def fill() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_guide", verbosity=0)
    started = time.perf_counter()
    call_command("import_samhsa", verbosity=0)
    print(f"  imported the national directory in {time.perf_counter() - started:.0f} s")


def sample_urls(rng: random.Random) -> dict[str, list[str]]:
    """Distinct real pages of each kind, drawn at random from the published directory."""
    from directory.models import Center, CenterTreatment, Location

    published = Center.objects.published()
    slugs = list(published.values_list("slug", flat=True))
    cities = sorted(set(Location.objects.filter(center__in=published).values_list("state", "city_slug").distinct()))
    offered = sorted(
        set(
            CenterTreatment.objects.filter(center__in=published)
            .values_list("treatment__slug", "center__locations__state", "center__locations__city_slug")
            .distinct()
        )
    )
    return {
        "center": [f"/centers/{slug}/" for slug in rng.sample(slugs, PAGES_PER_KIND)],
        "city": [f"/centers/{state.lower()}/{city}/" for state, city in rng.sample(cities, PAGES_PER_KIND)],
        "treatment in city": [
            f"/treatments/{slug}/{state.lower()}/{city}/"
            for slug, state, city in rng.sample([row for row in offered if row[1]], PAGES_PER_KIND)
        ],
    }


def render_times(urls: dict[str, list[str]]) -> None:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.get("/")  # the first request loads the ZIP index and compiles templates
    print(f"\nIn this process, {PAGES_PER_KIND} distinct pages of each kind, median ms per page")
    print("(wall clock, and CPU of this process, which a busy machine disturbs less; not the database's work):")
    print(f"  {'page':18} {'cold wall':>9} {'cold CPU':>9} {'warm wall':>9} {'warm CPU':>9} {'queries':>8}")
    for kind, paths in urls.items():
        rows = {}
        for label in ("cold", "warm"):
            wall, cpu = [], []
            for path in paths:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(path)
                wall.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
                assert response.status_code == 200, (path, response.status_code)
            rows[label] = (statistics.median(wall), statistics.median(cpu))
        reset_queries()  # the client's request_started signal clears the log: start from empty
        with CaptureQueriesContext(connection) as queries:
            client.get(paths[0])
        print(
            f"  {kind:18} {rows['cold'][0]:9.1f} {rows['cold'][1]:9.1f} {rows['warm'][0]:9.1f} "
            f"{rows['warm'][1]:9.1f} {len(queries):8d}"
        )


def page_weight(center_url: str) -> None:
    from django.test import Client

    client = Client()
    pages = {**WEIGHT_PAGES, "center page": center_url}
    print("\nPage weight, fresh visit (KiB; gzip as the app or whitenoise sends it):")
    print(f"  {'page':22} {'HTML':>7} {'HTML gz':>8} {'CSS gz':>7} {'JS gz':>7} {'other':>7} {'total gz':>9}")
    for label, path in pages.items():
        response = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
        body = response.content
        sent = len(body)
        html = gzip.decompress(body) if response.get("Content-Encoding") == "gzip" else body
        html_gz = sent if response.get("Content-Encoding") == "gzip" else len(gzip.compress(html, 9))
        text = html.decode()
        # Stylesheets written into the page (config/inline_css.py) are counted in its HTML.
        assets = re.findall(r'<link rel="(?:stylesheet|icon|preload)"[^>]*href="([^"]+)"', text)
        assets += re.findall(r'<script src="([^"]+)"', text)
        sizes = {"css": 0, "js": 0, "other": 0}
        for asset in dict.fromkeys(assets):
            kind = "css" if asset.endswith(".css") else "js" if asset.endswith(".js") else "other"
            data = b"".join(client.get(asset).streaming_content)
            sizes[kind] += len(gzip.compress(data, 9)) if kind != "other" else len(data)
        total = html_gz + sum(sizes.values())
        print(
            f"  {label:22} {len(html) / 1024:7.1f} {html_gz / 1024:8.1f} {sizes['css'] / 1024:7.1f} "
            f"{sizes['js'] / 1024:7.1f} {sizes['other'] / 1024:7.1f} {total / 1024:9.1f}"
        )


def http_throughput(database_url: str, urls: dict[str, list[str]], *, seconds: int, port: int) -> None:
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install wrk): skipping HTTP")
        return
    env = {**os.environ, "DATABASE_URL": database_url}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "bench/gunicorn_conf.py", "-b", f"127.0.0.1:{port}", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    scripts = []
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):
                    break
            except OSError:
                time.sleep(1)
        print(f"\nOver HTTP: gunicorn (2 sync workers, production settings), wrk 4 connections, {seconds} s each:")
        for kind, paths in urls.items():
            with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
                listed = ", ".join(f'"{path}"' for path in paths)
                script.write(
                    f"local paths = {{{listed}}}\nlocal i = 0\n"
                    "request = function()\n  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend\n"
                )
            scripts.append(script.name)
            base = f"http://127.0.0.1:{port}"
            # Each worker keeps the pages it drew (the fragments cache): ask for every page a few
            # times first, so that wrk measures pages as a running site serves them, not first draws.
            for path in paths * 3:
                with urllib.request.urlopen(base + path, timeout=30):  # noqa: S310 (our gunicorn, loopback)
                    pass
            subprocess.run(["wrk", "-t1", "-c2", "-d5s", "-s", script.name, base], capture_output=True, check=True)
            result = subprocess.run(
                ["wrk", "-t1", "-c4", f"-d{seconds}s", "--latency", "-s", script.name, base],
                capture_output=True,
                text=True,
                check=True,
            )
            lines = result.stdout.splitlines()
            requests = int(next(line for line in lines if "requests in" in line).split()[0])
            median = next(line.split()[1] for line in lines if line.strip().startswith("50%"))
            non2xx = " ".join(line.strip() for line in lines if "Non-2xx" in line)
            print(f"  {kind:18} {requests / seconds:8.1f} requests/s   median {median:>8}  {non2xx}")
    finally:
        server.terminate()
        server.wait()
        for name in scripts:
            os.unlink(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="bench_pages")
    parser.add_argument("--fresh", action="store_true", help="fill the database again")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8161")))
    args = parser.parse_args()

    database_url = DATABASE_SERVER + args.database
    fresh = args.fresh or not database_exists(args.database)
    if fresh:
        create_database(args.database)
    configure(database_url)
    if fresh:
        fill()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # hashed names, as production serves
    print(f"load average before the run: {os.getloadavg()[0]:.1f}; {os.cpu_count()} CPUs")
    urls = sample_urls(random.Random(2026))
    render_times(urls)
    page_weight(urls["center"][0])
    if not args.no_http:
        http_throughput(database_url, urls, seconds=args.seconds, port=args.port)


if __name__ == "__main__":
    main()
