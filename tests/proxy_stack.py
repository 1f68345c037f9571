"""gunicorn, and nginx with deploy/nginx.conf in front of it, on loopback: for tests/test_proxy.py
and bench/slow_clients.py. Each stack has its own SQLite database in a scratch folder."""

import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def nginx_available() -> bool:
    return os.access(NGINX, os.X_OK)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str, *, timeout: float = 5.0) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": "localhost"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


class Stack:
    """Start with `start()`, stop with `stop()`; `app_port` is gunicorn's, `proxy_port` nginx's."""

    def __init__(self, folder: Path, *, workers: int = 2, app_port: int = 0, proxy_port: int = 0):
        self.folder = folder
        self.workers = workers
        self.app_port = app_port or free_port()
        self.proxy_port = proxy_port or free_port()
        self.access_log = folder / "nginx-access.log"
        self.processes: list[subprocess.Popen] = []

    def environment(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_", "DATABASE_"))}
        env.update(
            DATABASE_URL=f"sqlite:///{self.folder / 'db.sqlite3'}",
            DJANGO_DEBUG="1",
            DJANGO_LOG_LEVEL="WARNING",
            DJANGO_TRUSTED_PROXY_COUNT="1",
            GUNICORN_BIND=f"127.0.0.1:{self.app_port}",
            GUNICORN_WORKERS=str(self.workers),
            GUNICORN_ACCESSLOG=str(self.folder / "gunicorn-access.log"),
        )
        return env

    def nginx_config(self) -> Path:
        site = (ROOT / "deploy" / "nginx.conf").read_text()
        site = site.replace("server web:8000;", f"server 127.0.0.1:{self.app_port};")
        site = site.replace("listen 8080;", f"listen 127.0.0.1:{self.proxy_port};")
        site = site.replace("access_log /dev/stdout", f"access_log {self.access_log}")
        site = site.replace("error_log /dev/stderr", f"error_log {self.folder / 'nginx-error.log'}")
        (self.folder / "site.conf").write_text(site)
        # The main file the Debian package would provide; nginx started as root switches its
        # workers to `nobody`, which cannot enter pytest's private temporary folders.
        user = "user root;\n" if os.geteuid() == 0 else ""
        main = (
            f"{user}worker_processes 1;\npid {self.folder / 'nginx.pid'};\n"
            f"error_log {self.folder / 'nginx-error.log'} crit;\n"
            "events { worker_connections 512; }\n"
            "http {\n"
            f"  client_body_temp_path {self.folder / 'body'};\n  proxy_temp_path {self.folder / 'proxy'};\n"
            f"  fastcgi_temp_path {self.folder / 'fastcgi'};\n  uwsgi_temp_path {self.folder / 'uwsgi'};\n"
            f"  scgi_temp_path {self.folder / 'scgi'};\n"
            f"  include {self.folder / 'site.conf'};\n"
            "}\n"
        )
        path = self.folder / "nginx.conf"
        path.write_text(main)
        return path

    def start(self) -> "Stack":
        env = self.environment()
        python = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
        subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True,
                       capture_output=True)  # fmt: skip
        gunicorn = str(Path(python).with_name("gunicorn"))
        log = open(self.folder / "gunicorn.log", "w")  # noqa: SIM115 - closed with the process
        self.processes.append(
            subprocess.Popen([gunicorn, "-c", "gunicorn.conf.py", "config.wsgi"], cwd=ROOT, env=env, stderr=log)
        )
        config = self.nginx_config()
        self.processes.append(
            subprocess.Popen(
                [
                    NGINX,
                    "-p",
                    str(self.folder),
                    "-e",
                    str(self.folder / "nginx-error.log"),
                    "-c",
                    str(config),
                    "-g",
                    "daemon off;",
                ],
                stderr=log,
            )  # fmt: skip
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if get(self.proxy_port, "/healthz")[0] == 200 and get(self.app_port, "/healthz")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"the stack did not start; see {self.folder}/gunicorn.log")

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes = []


def stall(port: int, count: int) -> list[socket.socket]:
    """`count` connections that never finish a request: half send nothing, half half a request."""
    stalled = []
    for number in range(count):
        connection = socket.create_connection(("127.0.0.1", port))
        if number % 2:
            connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")  # and never the blank line
        stalled.append(connection)
    return stalled
