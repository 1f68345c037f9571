"""Slow clients: 50 connections that send nothing or half a request, against gunicorn alone
and against nginx in front of it (deploy/nginx.conf). Meanwhile /healthz and a listing are
asked for, one after the other, and timed.

    .venv/bin/python bench/slow_clients.py      # numbers: bench/README.md, "Slow clients"

gunicorn runs with GUNICORN_WORKERS (5 by default, as in the probe of issue 16) sync workers
on SLOW_CLIENTS_APP_PORT (8303), nginx on SLOW_CLIENTS_PROXY_PORT (8304), both on loopback,
on a scratch SQLite database (tests/proxy_stack.py). Needs nginx (apt-get install nginx-light).
"""

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.proxy_stack import Stack, get, nginx_available, stall  # noqa: E402

STALLED = int(os.environ.get("SLOW_CLIENTS_STALLED", "50"))
WORKERS = int(os.environ.get("GUNICORN_WORKERS", "5"))
PATHS = ["/healthz", "/centers/?near=32207"]


def probe(port: int, rounds: int, timeout: float) -> list[tuple[str, str, float]]:
    results = []
    for _ in range(rounds):
        for path in PATHS:
            started = time.monotonic()
            try:
                outcome = str(get(port, path, timeout=timeout)[0])
            except OSError as error:
                outcome = type(error).__name__
            results.append((path, outcome, time.monotonic() - started))
    return results


def report(label: str, results: list[tuple[str, str, float]]) -> None:
    seconds = sorted(s for _, _, s in results)
    outcomes = sorted({outcome for _, outcome, _ in results})
    print(f"{label}: {len(results)} requests ({', '.join(outcomes)}); "
          f"median {seconds[len(seconds) // 2]:.3f} s, max {seconds[-1]:.3f} s")  # fmt: skip


def main() -> int:
    if not nginx_available():
        print("nginx is not installed: apt-get install nginx-light")
        return 2
    with tempfile.TemporaryDirectory(prefix="slow_clients.") as folder:
        stack = Stack(
            Path(folder),
            workers=WORKERS,
            app_port=int(os.environ.get("SLOW_CLIENTS_APP_PORT", "8303")),
            proxy_port=int(os.environ.get("SLOW_CLIENTS_PROXY_PORT", "8304")),
        ).start()
        try:
            probe(stack.proxy_port, 3, 10)  # warm every worker up
            print(f"{STALLED} stalled connections, {WORKERS} gunicorn sync workers")
            report("  no stalled connections, through nginx", probe(stack.proxy_port, 10, 10))
            stalled = stall(stack.proxy_port, STALLED)
            time.sleep(1)
            through_nginx = probe(stack.proxy_port, 10, 10)
            for connection in stalled:
                connection.close()
            report("  stalled at nginx, asked through nginx", through_nginx)
            stalled = stall(stack.app_port, STALLED)
            time.sleep(1)
            alone = probe(stack.app_port, 2, 40)
            for connection in stalled:
                connection.close()
            report("  stalled at gunicorn, asked of gunicorn alone", alone)
        finally:
            stack.stop()
    return 0 if max(s for _, _, s in through_nginx) < 1 else 1


if __name__ == "__main__":
    sys.exit(main())
