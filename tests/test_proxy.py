"""nginx in front of gunicorn (deploy/nginx.conf), run for real on loopback: idle and
half-sent connections no longer hold gunicorn's sync workers (issue 16, F-01), bodies are
bounded, and nginx logs neither query strings nor client addresses.

Needs nginx (`apt-get install nginx-light`; .ci/run installs it): skipped without it, a
failure under CI=true.
"""

import socket

import pytest

from tests.conftest import unavailable
from tests.proxy_stack import Stack, get, nginx_available, stall

STALLED = 50


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    if not nginx_available():
        unavailable("nginx is not installed: apt-get install nginx-light (tests/test_proxy.py runs it on loopback).")
    stack = Stack(tmp_path_factory.mktemp("proxy"), workers=2).start()
    yield stack
    stack.stop()


def test_fifty_stalled_connections_through_nginx_leave_the_site_answering(stack):
    stalled = stall(stack.proxy_port, STALLED)
    try:
        # Each probe would wait on a free gunicorn worker; the timeout only turns a hang into a failure.
        for path in ["/healthz", "/centers/?near=32207", "/healthz", "/centers/?near=Jacksonville%2C+FL"]:
            status, _ = get(stack.proxy_port, path, timeout=5)
            assert status == 200, path
    finally:
        for connection in stalled:
            connection.close()


def test_a_request_body_over_one_megabyte_is_refused_by_nginx(stack):
    with socket.create_connection(("127.0.0.1", stack.proxy_port), timeout=5) as connection:
        connection.sendall(
            b"POST /centers/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 5242880\r\n\r\n"
        )
        assert connection.recv(100).startswith(b"HTTP/1.1 413")
    # The admin's import upload may be larger (up to 51 MB): nginx waits for that body instead.
    with socket.create_connection(("127.0.0.1", stack.proxy_port), timeout=5) as connection:
        connection.sendall(b"POST /admin/ HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5242880\r\n\r\n")
        connection.sendall(b"x" * 5242880)
        assert not connection.recv(100).startswith(b"HTTP/1.1 413")


def test_nginx_logs_the_path_only(stack):
    assert get(stack.proxy_port, "/centers/?near=32207&q=ketamine")[0] == 200
    logged = stack.access_log.read_text()
    assert '"GET /centers/"' in logged
    assert "32207" not in logged and "ketamine" not in logged and "127.0.0.1" not in logged


def test_without_nginx_the_same_stalled_connections_hold_every_worker(stack):
    """The control: the probe above can fail. Straight to gunicorn, two stalled connections
    hold both sync workers and a request waits (gunicorn's 30 s timeout)."""
    stalled = stall(stack.app_port, 4)
    try:
        with pytest.raises(TimeoutError):
            get(stack.app_port, "/healthz", timeout=3)
    finally:
        for connection in stalled:
            connection.close()
