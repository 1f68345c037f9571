"""Fault test: crash and restart PostgreSQL while requests flow; the site must answer 503
(not hang, not 500, no worker lost) during the outage, recover by itself, and keep every
write it acknowledged before the outage.

Run it through bench/faults.sh. It starts its OWN throwaway PostgreSQL cluster (initdb in
a temporary folder, port FAULTS_PG_PORT, default 5544) and never touches the shared one.

Writes, from before the outage until after it, each acknowledged by a redirect: a staff
member adds guide topics in the admin, and a person sends inquiries through a center's
"Ask this center" form. The FAULTS_INQUIRY_* variables point the inquiry check at another
form (see bench/README.md); FAULTS_INQUIRY_URL= (empty) switches it off.
"""

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PG_BIN = Path(os.environ.get("FAULTS_PG_BIN", "/usr/lib/postgresql/15/bin"))
PG_PORT = int(os.environ.get("FAULTS_PG_PORT", "5544"))
WEB_PORT = int(os.environ.get("FAULTS_WEB_PORT", "8766"))
OUTAGE_SECONDS = float(os.environ.get("FAULTS_OUTAGE_SECONDS", "5"))
STOP_MODE = os.environ.get("FAULTS_STOP_MODE", "immediate")  # immediate = like a crash; or fast
READERS = 4
REQUEST_TIMEOUT = 10.0
SLOW_SECONDS = 6.0  # connect_timeout is 5 s: nothing should take longer than this
RECOVERY_LIMIT = 20.0
STAFF = ("faults-staff", "faults-password-long-enough")
ACK_PREFIX = "fault-ack-"

INQUIRY_FIELDS = {
    "name": "Fault Test",
    "email": "fault-test@example.org",
    "preferred_contact": "email",
    "preferred_time": "any",
    "message": "{marker}",
    "consent": "on",
}
INQUIRY = {
    # The form's path; {center} becomes a generated center's slug.
    "url": os.environ.get("FAULTS_INQUIRY_URL", "/centers/{center}/ask/"),
    # Form fields as JSON; {marker} becomes the text the check looks for. The form's hidden
    # inputs (anti-abuse timestamp, honeypot) are taken from the page itself.
    "fields": json.loads(os.environ.get("FAULTS_INQUIRY_FIELDS", "") or json.dumps(INQUIRY_FIELDS)),
    "table": os.environ.get("FAULTS_INQUIRY_TABLE", "directory_inquiry"),
    "column": os.environ.get("FAULTS_INQUIRY_COLUMN", "message"),
}
HIDDEN_INPUT_RE = re.compile(r'<input type="hidden" name="(?P<name>[\w-]+)" value="(?P<value>[^"]*)"')


def log(message: str) -> None:
    print(message, flush=True)


# --- a throwaway PostgreSQL -------------------------------------------------------------


class Cluster:
    def __init__(self, folder: Path):
        self.folder = folder
        self.data = folder / "data"
        self.as_postgres = os.geteuid() == 0  # PostgreSQL refuses to run as root

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = list(args)
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=120)

    def init(self) -> None:
        if self.as_postgres:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    def start(self) -> None:
        options = f"-p {PG_PORT} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=on"
        self._run(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.folder / "pg.log"),
            "-w",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def sql(self, query: str, database: str = "faults") -> str:
        result = self._run(
            str(PG_BIN / "psql"),
            "-h",
            "127.0.0.1",
            "-p",
            str(PG_PORT),
            "-U",
            "postgres",
            "-d",
            database,
            "-qtAc",
            query,
        )
        return result.stdout.strip()


# --- HTTP -------------------------------------------------------------------------------


@dataclass
class Result:
    started: float
    seconds: float
    kind: str  # read or write
    path: str
    status: int | str  # an HTTP status, or "error: ..." when no response came back


def fetch(method: str, path: str, *, body: str = "", headers: dict | None = None) -> tuple[int | str, list[str], str]:
    """One request on a fresh connection: (status or "error: ...", Set-Cookie headers, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", WEB_PORT, timeout=REQUEST_TIMEOUT)
    try:
        connection.request(method, path, body=body or None, headers=headers or {})
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
        return response.status, response.msg.get_all("Set-Cookie") or [], text
    except (OSError, http.client.HTTPException) as error:
        return f"error: {type(error).__name__}", [], ""
    finally:
        connection.close()


@dataclass
class Browser:
    """A person with cookies: enough to log in and post Django forms."""

    cookies: dict = field(default_factory=dict)

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int | str, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = ""
        if data is not None:
            body = urlencode({**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://127.0.0.1:{WEB_PORT}"
            headers["Referer"] = f"http://127.0.0.1:{WEB_PORT}{path}"
        status, set_cookies, text = fetch(method, path, body=body, headers=headers)
        for header in set_cookies:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return status, text


# --- the run ----------------------------------------------------------------------------


class Traffic:
    def __init__(self, read_paths: list[str], writers: list):
        self.read_paths = read_paths
        self.writers = writers
        self.results: list[Result] = []
        # writer name -> {marker: when the acknowledgement arrived}
        self.acknowledged: dict[str, dict[str, float]] = {writer.name: {} for writer in writers}
        self.stop = threading.Event()
        self.lock = threading.Lock()

    def record(self, result: Result) -> None:
        with self.lock:
            self.results.append(result)

    def reader(self, offset: int) -> None:
        n = offset
        while not self.stop.is_set():
            path = self.read_paths[n % len(self.read_paths)]
            n += 1
            started = time.monotonic()
            status, _, _ = fetch("GET", path)
            self.record(Result(started, time.monotonic() - started, "read", path, status))
            time.sleep(0.02)

    def writer(self, writer) -> None:
        n = 0
        while not self.stop.is_set() and n < 2000:
            n += 1
            marker = f"{ACK_PREFIX}{writer.name}-{n}"
            started = time.monotonic()
            status = writer.post(marker)
            self.record(Result(started, time.monotonic() - started, "write", writer.path, status))
            if isinstance(status, int) and 300 <= status < 400:
                with self.lock:
                    self.acknowledged[writer.name][marker] = time.monotonic()
            time.sleep(0.1)

    def start(self) -> list[threading.Thread]:
        threads = [threading.Thread(target=self.reader, args=(i,), daemon=True) for i in range(READERS)]
        threads += [threading.Thread(target=self.writer, args=(w,), daemon=True) for w in self.writers]
        for thread in threads:
            thread.start()
        return threads


class AdminTopicWriter:
    """Staff add guide topics in the admin; a redirect after the post is the acknowledgement."""

    name = "admin-topic"
    path = "/admin/articles/topic/add/"

    def __init__(self, cluster: Cluster):
        self.cluster = cluster
        self.browser = Browser()

    def prepare(self) -> None:
        self.browser.request("GET", "/admin/login/")
        status, _ = self.browser.request(
            "POST", "/admin/login/?next=/admin/", {"username": STAFF[0], "password": STAFF[1]}
        )
        if status != 302 or "sessionid" not in self.browser.cookies:
            raise SystemExit(f"Could not log in to the admin (status {status}).")

    def post(self, marker: str) -> int | str:
        status, _ = self.browser.request(
            "POST", self.path, {"name": marker, "slug": marker, "sort_order": "0", "_save": "Save"}
        )
        return status

    def stored(self) -> set[str]:
        rows = self.cluster.sql(f"SELECT slug FROM articles_topic WHERE slug LIKE '{ACK_PREFIX}%'")  # noqa: S608
        return set(rows.split()) if rows else set()


class InquiryWriter:
    """A person sends inquiries through a center's form; the redirect to "sent" acknowledges each."""

    name = "inquiry"

    def __init__(self, cluster: Cluster, center_slug: str):
        self.cluster = cluster
        self.path = INQUIRY["url"].replace("{center}", center_slug)
        self.browser = Browser()

    def available(self) -> bool:
        status, _html = self.browser.request("GET", self.path)
        if status == 404:
            return False
        if status != 200:
            raise SystemExit(f"The inquiry form {self.path} answered {status}, not 200.")
        return True

    def prepare(self) -> None:
        pass

    def post(self, marker: str) -> int | str:
        """Open the form, then send it, as a person does: each form's stamp is accepted once
        (issue 16, F-07), so every inquiry needs the one its own page carries."""
        status, html = self.browser.request("GET", self.path)
        if status != 200:
            return status
        hidden = {m["name"]: m["value"] for m in HIDDEN_INPUT_RE.finditer(html) if m["name"] != "csrfmiddlewaretoken"}
        fields = {key: str(value).replace("{marker}", marker) for key, value in INQUIRY["fields"].items()}
        status, _ = self.browser.request("POST", self.path, {**hidden, **fields})
        return status

    def stored(self) -> set[str]:
        table, column = INQUIRY["table"], INQUIRY["column"]
        # The names come from the operator's environment, for a throwaway database.
        rows = self.cluster.sql(f"SELECT {column} FROM {table} WHERE {column} LIKE '%{ACK_PREFIX}%'")  # noqa: S608
        return set(re.findall(rf"{ACK_PREFIX}[\w-]+", rows))


def worker_pids(master: int) -> set[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
    return {int(pid) for pid in out.split()}


def wait_workers(master: int, count: int, deadline: float) -> set[int]:
    """The master's worker pids once all `count` have booted (or whatever is there at the deadline)."""
    workers = worker_pids(master)
    while len(workers) < count and time.monotonic() < deadline:
        time.sleep(0.25)
        workers = worker_pids(master)
    return workers


def wait_healthy(deadline: float) -> bool:
    while time.monotonic() < deadline:
        if fetch("GET", "/healthz")[0] == 200:
            return True
        time.sleep(0.25)
    return False


def succeeded(result: Result) -> bool:
    return isinstance(result.status, int) and result.status < 500


def recovery_time(after: list[Result]) -> float | None:
    """When requests started succeeding for good, or None if the last ones still failed."""
    ordered = sorted(after, key=lambda r: r.started)
    if not ordered or not all(succeeded(r) for r in ordered[-10:]):
        return None
    failures = [i for i, r in enumerate(ordered) if not succeeded(r)]
    return ordered[failures[-1] + 1].started if failures else ordered[0].started


def summarize(results: list[Result]) -> str:
    counts = Counter(str(r.status) for r in results)
    return ", ".join(f"{status} x{n}" for status, n in sorted(counts.items())) or "none"


def main() -> int:
    began = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="faults-"))
    cluster = Cluster(folder)
    gunicorn = None
    checks: list[tuple[bool, str]] = []
    try:
        log(f"==> Throwaway PostgreSQL in {folder} on port {PG_PORT}")
        cluster.init()
        cluster.start()
        cluster.sql("CREATE DATABASE faults", database="postgres")
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "GUNICORN_"))},
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PORT}/faults",
            "DATABASE_CONN_MAX_AGE": "60",  # persistent connections: the hard case for recovery
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "faults-" + "k" * 50,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            # Plain http on loopback: no TLS redirect, cookies without the Secure flag.
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_SUPERUSER_PASSWORD": STAFF[1],
            "GUNICORN_BIND": f"127.0.0.1:{WEB_PORT}",
            "GUNICORN_WORKERS": "3",
            "GUNICORN_MAX_REQUESTS": "0",  # no planned worker recycling: any new worker means a crash
            # One test client sends many inquiries at once: no per-address limit, no minimum
            # time between showing the form and sending it.
            "INQUIRY_RATE_LIMIT": "1000000/hour",
            "FORM_MIN_SECONDS": "0",
        }
        log(f"==> Migrate, 30 centers, a staff user, static files ({time.monotonic() - began:.0f} s)")
        for command in (
            ["migrate", "--noinput", "-v0"],
            ["generate_centers", "30"],
            ["createsuperuser", "--noinput", "--username", STAFF[0], "--email", "staff@example.org"],
            ["collectstatic", "--noinput", "-v0"],
        ):
            subprocess.run([PY, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True, timeout=180)
        center = cluster.sql("SELECT slug FROM directory_center ORDER BY id LIMIT 1")

        log(f"==> gunicorn on 127.0.0.1:{WEB_PORT} ({time.monotonic() - began:.0f} s)")
        gunicorn_log = open(folder / "gunicorn.log", "w")  # noqa: SIM115 (closed with the folder)
        gunicorn = subprocess.Popen(
            [GUNICORN, "-c", "gunicorn.conf.py", "config.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=gunicorn_log,
            stderr=gunicorn_log,
        )
        if not wait_healthy(time.monotonic() + 30):
            raise SystemExit("gunicorn did not become healthy:\n" + (folder / "gunicorn.log").read_text()[-2000:])
        # Healthy means one worker answers; on a busy machine the others may still be booting.
        workers_before = wait_workers(gunicorn.pid, int(env["GUNICORN_WORKERS"]), time.monotonic() + 30)

        writers = [AdminTopicWriter(cluster)]
        inquiries = InquiryWriter(cluster, center) if INQUIRY["url"] else None
        if inquiries is not None and inquiries.available():
            writers.append(inquiries)
        else:
            log("    inquiry check off: no inquiry form (FAULTS_INQUIRY_URL, see bench/README.md)")
        for writer in writers:
            writer.prepare()
        # A search with a place: /centers/ alone asks where to look and needs no database (issue 13).
        reads = ["/", "/centers/?near=10001", f"/centers/{center}/", "/healthz"]
        traffic = Traffic(reads, writers)
        threads = traffic.start()
        log(f"==> Traffic: {READERS} readers on {', '.join(reads)}; writers: {', '.join(w.name for w in writers)}")

        time.sleep(2.5)
        t_stopping = time.monotonic()
        log(f"==> PostgreSQL stopped ({STOP_MODE}) for {OUTAGE_SECONDS:.0f} s")
        cluster.stop(STOP_MODE)
        t_stop = time.monotonic()  # the database is down from here on
        time.sleep(OUTAGE_SECONDS)
        t_restart = time.monotonic()
        cluster.start()
        t_start = time.monotonic()  # accepting connections again: the outage is over
        log(
            f"==> PostgreSQL accepting connections again after {t_start - t_stop:.1f} s "
            f"(its start took {t_start - t_restart:.1f} s)"
        )
        # Keep the traffic going until 20 requests in a row succeed (or the limit), then 3 s more.
        deadline = t_start + RECOVERY_LIMIT
        while time.monotonic() < deadline:
            time.sleep(0.5)
            with traffic.lock:
                recent = [r for r in traffic.results if r.started >= t_start][-20:]
            if len(recent) == 20 and all(succeeded(r) for r in recent):
                break
        time.sleep(3)
        traffic.stop.set()
        for thread in threads:
            thread.join(timeout=REQUEST_TIMEOUT + 2)
        workers_after = worker_pids(gunicorn.pid)

        results = traffic.results
        before = [r for r in results if r.started + r.seconds < t_stopping]
        # PostgreSQL may accept connections a moment before pg_ctl says so: only requests
        # answered before its start began count as "during"; the starting window is shown apart.
        during = [r for r in results if r.started >= t_stop and r.started + r.seconds < t_restart]
        starting = [r for r in results if r.started >= t_restart and r.started < t_start]
        after = [r for r in results if r.started >= t_start]
        log("")
        log(f"Before the outage : {len(before):4d} requests: {summarize(before)}")
        log(f"During the outage : {len(during):4d} requests: {summarize(during)}")
        log(f"While it started  : {len(starting):4d} requests: {summarize(starting)}")
        log(f"After the restart : {len(after):4d} requests: {summarize(after)}")
        slowest = max((r.seconds for r in results), default=0)
        slowest_during = max((r.seconds for r in during), default=0)
        log(f"Slowest request   : {slowest:.2f} s overall, {slowest_during:.2f} s during the outage")

        errors = [r for r in results if not isinstance(r.status, int)]
        server_errors = [r for r in results if r.status == 500]
        checks.append((all(r.status in (200, 302) for r in before), "before the outage every request succeeded"))
        checks.append(
            (bool(during) and all(r.status == 503 for r in during), "during the outage every request got 503")
        )
        checks.append((not server_errors, "no 500 at any time"))
        checks.append((not errors, f"no hung or dropped connection ({len(errors)} seen)"))
        checks.append(
            (slowest < SLOW_SECONDS, f"no request took {SLOW_SECONDS:.0f} s or more (slowest {slowest:.2f} s)")
        )
        recovered_at = recovery_time(after)
        if recovered_at is not None:
            checks.append((True, f"recovered by itself {recovered_at - t_start:.1f} s after PostgreSQL was back"))
        else:
            checks.append((False, f"did not recover within {RECOVERY_LIMIT:.0f} s"))
        checks.append(
            (workers_before == workers_after, f"no worker crashed or was replaced ({len(workers_before)} workers)")
        )
        for writer in writers:
            acknowledged = traffic.acknowledged[writer.name]
            before_outage = sum(1 for at in acknowledged.values() if at < t_stopping)
            lost = set(acknowledged) - writer.stored()
            checks.append(
                (
                    before_outage > 0 and not lost,
                    f"{writer.name}: every acknowledged write is stored after the crash "
                    f"({before_outage} acknowledged before the outage, {len(acknowledged) - before_outage} after)"
                    + (f"; LOST: {sorted(lost)[:5]}" if lost else ""),
                )
            )
    finally:
        if gunicorn is not None:
            gunicorn.send_signal(signal.SIGTERM)
            try:
                gunicorn.wait(timeout=35)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
        cluster.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)

    log("")
    for ok, text in checks:
        log(f"{'PASS' if ok else 'FAIL'}  {text}")
    passed = all(ok for ok, _ in checks)
    log("")
    log(f"Faults: {'OK' if passed else 'FAILED'} ({time.monotonic() - began:.0f} s)")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
