"""Hung mail server: inquiries posted while the mail server accepts connections and never
answers. Before issue 16 (F-02) each POST waited for the SMTP timeout (10 s) inside the
request and the whole site stalled; now mail is queued and the POST answers at once.

    .venv/bin/python bench/hung_mail.py        # numbers: bench/README.md, "Hung mail server"

It starts its own hung SMTP server on loopback, gunicorn (GUNICORN_WORKERS, 3 by default)
on HUNG_MAIL_PORT (8302) against a scratch PostgreSQL database (created and dropped), then
sends POSTS (6) inquiries at once while a prober reads /healthz and a city listing.
The worker is not started: nothing here waits for it.
"""

import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PORT = int(os.environ.get("HUNG_MAIL_PORT", "8302"))
POSTS = int(os.environ.get("HUNG_MAIL_POSTS", "6"))
WORKERS = os.environ.get("GUNICORN_WORKERS", "3")
PG = os.environ.get("HUNG_MAIL_PG", "postgres://postgres@127.0.0.1:5432")
DATABASE = "bench_hung_mail"


class HungSmtpServer:
    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepted: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                self.accepted.append(self.listener.accept()[0])
            except OSError:
                return


def environment(smtp_port: int) -> dict:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_", "GUNICORN_"))},
        "DATABASE_URL": f"{PG}/{DATABASE}",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "0",
        "FORM_MIN_SECONDS": "0",
        "INQUIRY_RATE_LIMIT": "1000/hour",
        "INTAKE_EMAIL": "intake@example.org",
        "GUNICORN_BIND": f"127.0.0.1:{PORT}",
        "GUNICORN_WORKERS": WORKERS,
        "GUNICORN_ACCESSLOG": "/dev/null",
    }


def request(method: str, path: str, body: str = "", headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    started = time.monotonic()
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    content = response.read().decode(errors="replace")
    connection.close()
    return response.status, response.getheader("Set-Cookie", ""), content, time.monotonic() - started


def ask(slug: str) -> tuple[int, float]:
    """One person: open the ask page, then send the form. Returns (status, seconds of the POST)."""
    path = f"/centers/{slug}/ask/"
    _, set_cookie, page, _ = request("GET", path)
    csrf = SimpleCookie(set_cookie)["csrftoken"].value
    shown = re.search(r'name="form_shown" value="([^"]*)"', page).group(1)
    form = {
        "name": "Bench Person", "email": "bench@example.net", "preferred_contact": "email", "preferred_time": "evening",
        "message": "A bench question", "consent": "on", "website_url": "", "form_shown": shown,
        "csrfmiddlewaretoken": csrf,
    }  # fmt: skip
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf}"}
    status, _, _, seconds = request("POST", path, urlencode(form), headers)
    return status, seconds


def main() -> int:
    smtp = HungSmtpServer()
    env = environment(smtp.port)
    psql = ["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-c"]
    subprocess.run([*psql, f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"], check=True)
    subprocess.run([*psql, f"CREATE DATABASE {DATABASE}"], check=True)
    server = None
    try:
        subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        script = (
            "from tests.factories import make_center; "
            "print(make_center(name='Bench Clinic', city='Jacksonville', state='FL', zip_code='32207').slug)"
        )
        slug = subprocess.run([PY, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, check=True,
                              capture_output=True, text=True).stdout.strip().splitlines()[-1]  # fmt: skip
        server_log = tempfile.NamedTemporaryFile("w", prefix="bench_hung_mail.", suffix=".log", delete=False)  # noqa: SIM115
        server = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "config.wsgi"],
                                  cwd=ROOT, env=env, stderr=server_log)  # fmt: skip
        for _ in range(120):
            try:
                if request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.5)
        for _ in range(3):  # warm every worker up: the first requests fill per-process caches
            for path in ("/healthz", "/centers/fl/jacksonville/", f"/centers/{slug}/ask/"):
                request("GET", path)
        probes: list[float] = []
        posts: list[tuple[int, float]] = []
        done = threading.Event()

        def prober():
            while not done.is_set():
                for path in ("/healthz", "/centers/fl/jacksonville/"):
                    probes.append(request("GET", path)[3])
                time.sleep(0.1)

        def person():
            posts.append(ask(slug))

        probe_thread = threading.Thread(target=prober)
        probe_thread.start()
        people = [threading.Thread(target=person) for _ in range(POSTS)]
        started = time.monotonic()
        for thread in people:
            thread.start()
        for thread in people:
            thread.join()
        elapsed = time.monotonic() - started
        done.set()
        probe_thread.join()
        times = sorted(seconds for _, seconds in posts)
        print(f"{POSTS} inquiry POSTs at once, {WORKERS} gunicorn workers, mail server hung:")
        print(f"  statuses {sorted(status for status, _ in posts)}; all answered in {elapsed:.2f} s")
        print(f"  POST seconds: min {times[0]:.3f}, median {times[len(times) // 2]:.3f}, max {times[-1]:.3f}")
        print(f"  /healthz and listing during: {len(probes)} requests, max {max(probes):.3f} s")
        print(f"  SMTP connections opened by the web workers: {len(smtp.accepted)}")
        print(f"  gunicorn's log: {server_log.name}")
        accepted = all(status == 302 for status, _ in posts)
        return 0 if accepted and times[-1] < 1 and max(probes) < 1 else 1
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
        subprocess.run([*psql, f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"], check=False)


if __name__ == "__main__":
    sys.exit(main())
