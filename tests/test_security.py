"""Production responses carry the security headers we promise, and /healthz tells the truth.

The production values are computed by importing the settings module in a fresh
interpreter with production variables (DJANGO_DEBUG=0, ...), then applied to this test
process, so these tests check what a deployed site sends, not what debug mode sends.
"""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client
from django.urls import path

from config.health import server_error
from config.inline_css import stylesheet_hashes
from config.logging import JsonFormatter, StripQueryStringFilter
from tests.factories import make_center

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
HOST = "treatment.example.org"
SECURITY_SETTINGS = [
    "ALLOWED_HOSTS",
    "SECURE_CSP",
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "X_FRAME_OPTIONS",
    "PERMISSIONS_POLICY",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE",
    "PUBLIC_CACHE_SECONDS",
]
# Inline styles: only the site's own stylesheets, each allowed by its hash (config/inline_css.py).
STRICT_POLICY = (
    f"default-src 'self'; script-src 'self'; style-src 'self' {' '.join(stylesheet_hashes())}; "
    "img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def production_settings(**extra_env: str) -> dict:
    """The security settings as the settings module computes them with production variables."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "MAP_TILE"))}
    env.update(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="s" * 50, DJANGO_ALLOWED_HOSTS=HOST, **extra_env)
    script = (
        "import json; from config import settings as s; "
        f"print(json.dumps({{name: getattr(s, name, None) for name in {SECURITY_SETTINGS!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    if values["SECURE_PROXY_SSL_HEADER"]:
        values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


@pytest.fixture(scope="module")
def production_values() -> dict:
    return production_settings()


@pytest.fixture
def production(settings, production_values):
    """Apply the production security settings to this test."""
    for name, value in production_values.items():
        setattr(settings, name, value)
    return settings


def https_client(**headers) -> Client:
    """A browser reaching the site through the TLS-terminating load balancer."""
    return Client(HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https", **headers)


def test_production_pages_send_a_strict_content_security_policy(production):
    response = https_client().get("/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert policy == STRICT_POLICY
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "http" not in policy, "no third-party host without MAP_TILE_URL"


def test_the_map_tile_host_is_the_only_third_party_source_allowed():
    values = production_settings(MAP_TILE_URL="https://{s}.tile.example.net/{z}/{x}/{y}.png")
    with_tiles = {directive: list(sources) for directive, sources in values["SECURE_CSP"].items()}
    assert with_tiles.pop("img-src") == ["'self'", "data:", "https://*.tile.example.net"]
    without_tiles = production_settings()["SECURE_CSP"]
    without_tiles.pop("img-src")
    assert with_tiles == without_tiles


def test_a_map_tile_url_that_is_not_http_is_refused():
    with pytest.raises(AssertionError, match="is not an http"):
        production_settings(MAP_TILE_URL="javascript:alert(1)")


def test_production_pages_cannot_be_framed_and_leak_no_referrer_or_features(production):
    response = https_client().get("/centers/")
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    permissions = dict(item.strip().split("=", 1) for item in response["Permissions-Policy"].split(","))
    for feature in ["camera", "microphone", "payment", "browsing-topics"]:
        assert permissions[feature] == "()"
    # "Use my location" (issue 13): this site's own pages may ask, no other origin, no frame.
    assert permissions["geolocation"] == "(self)"


def test_https_responses_send_hsts_for_a_year_with_subdomains_and_preload(production):
    response = https_client().get("/")
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_plain_http_is_redirected_to_https_unless_the_proxy_says_https(production):
    response = Client(HTTP_HOST=HOST).get("/centers/?near=32207")
    assert response.status_code == 301
    assert response["Location"] == f"https://{HOST}/centers/?near=32207"
    assert https_client().get("/centers/?near=32207").status_code == 200


def test_session_and_csrf_cookies_are_secure_and_http_only(production, django_user_model):
    django_user_model.objects.create_user("staff", password="a-long-test-password", is_staff=True)
    client = https_client()
    login_page = client.get("/admin/login/")
    csrf_cookie = login_page.cookies["csrftoken"]
    assert csrf_cookie["secure"] and csrf_cookie["httponly"]
    response = client.post("/admin/login/", {"username": "staff", "password": "a-long-test-password"})
    assert response.status_code == 302
    session_cookie = response.cookies["sessionid"]
    assert session_cookie["secure"] and session_cookie["httponly"]
    assert session_cookie["samesite"] == "Lax"


def test_healthz_answers_ok_over_plain_http_to_any_host(production):
    response = Client(HTTP_HOST="10.0.3.7:8000").get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-store" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_does_not(client):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"database unavailable\n"
    assert "no-store" in response["Cache-Control"]
    assert client.get("/healthz").status_code == 200


def test_pages_answer_503_with_crisis_help_while_the_database_is_away(client, caplog):
    make_center()
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("server closed the connection")
    ):
        response = client.get("/centers/?near=32207&treatment=tms")
    assert response.status_code == 503
    html = response.content.decode()
    assert "briefly unavailable" in html
    assert 'href="tel:988"' in html and 'href="tel:911"' in html and "741741" in html
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert client.get("/centers/").status_code == 200, "the next request recovers by itself"


def test_a_database_outage_met_outside_a_view_still_answers_503(rf):
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = server_error(rf.get("/"))
    assert response.status_code == 503
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500


def test_anonymous_public_pages_may_be_cached_briefly_by_shared_caches(client):
    make_center()
    for url in ["/", "/centers/?near=32207&treatment=tms", "/treatments/tms/", "/guide/"]:
        response = client.get(url)
        assert response["Cache-Control"] == "public, max-age=300", url
        assert "Cookie" in response["Vary"], url


def test_the_ask_page_with_its_inquiry_form_is_never_cached(client):
    response = client.get(make_center().get_absolute_url() + "ask/")
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_staff_with_a_session_and_other_methods_are_never_cached(admin_client):
    assert "no-store" in admin_client.get("/").headers["Cache-Control"]
    assert "no-store" in admin_client.get("/admin/").headers["Cache-Control"]
    anonymous = Client()
    assert "no-store" in anonymous.post("/centers/").headers["Cache-Control"]
    assert "Cache-Control" not in anonymous.get("/centers/no-such-center/")


def page_with_a_form(request):
    return HttpResponse(f'<form method="post"><input name="csrfmiddlewaretoken" value="{get_token(request)}"></form>')


urlpatterns = [path("form/", page_with_a_form)]


@pytest.mark.urls("tests.test_security")
def test_a_page_that_hands_out_a_csrf_token_is_never_cached(client):
    response = client.get("/form/")
    assert "csrftoken" in response.cookies
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_logs_are_json_lines_without_query_strings(client, caplog):
    with (
        caplog.at_level(logging.WARNING),
        mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")),
    ):
        client.get("/centers/?near=32207&q=my+private+search")
    lines = [JsonFormatter().format(record) for record in caplog.records]
    assert lines
    for line in lines:
        entry = json.loads(line)
        assert "\n" not in line
        assert "private" not in line and "32207" not in line
        assert {"time", "level", "logger", "message"} <= entry.keys()
    request_entry = json.loads(next(line for line in lines if '"django.request"' in line))
    assert request_entry["path"] == "/centers/" and request_entry["status"] == 503


def test_gunicorn_access_lines_keep_the_path_and_drop_the_query_string():
    atoms = {"m": "GET", "U": "/centers/", "q": "near=32207", "s": "200", "B": 512, "M": 12, "h": "203.0.113.9"}
    record = logging.LogRecord("gunicorn.access", logging.INFO, "", 0, '"%(m)s %(U)s" %(s)s', (atoms,), None)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == '"GET /centers/" 200'
    assert (entry["method"], entry["path"], entry["status"], entry["duration_ms"]) == ("GET", "/centers/", "200", 12)
    assert "32207" not in json.dumps(entry) and "203.0.113.9" not in json.dumps(entry)


def test_the_development_server_log_loses_query_strings():
    record = logging.LogRecord(
        "django.server", logging.INFO, "", 0, '"%s" %s %s', ("GET /centers/?near=32207 HTTP/1.1", "200", "9"), None
    )
    StripQueryStringFilter().filter(record)
    assert record.getMessage() == '"GET /centers/ HTTP/1.1" 200 9'


def gunicorn_settings(**env: str) -> dict:
    config = (ROOT / "gunicorn.conf.py").read_text()
    namespace: dict = {}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        exec(compile(config, "gunicorn.conf.py", "exec"), namespace)  # noqa: S102
    return namespace


def test_gunicorn_access_log_format_has_no_request_line_or_query_string():
    namespace = gunicorn_settings()
    assert "%(U)s" in namespace["access_log_format"]
    for atom in ["%(r)s", "%(q)s", "%(h)s", "%(a)s", "%(f)s"]:
        assert atom not in namespace["access_log_format"]
    assert 3 <= namespace["workers"] <= 8 or "GUNICORN_WORKERS" in os.environ


def test_gunicorn_preloads_the_app_unless_told_not_to():
    assert gunicorn_settings(GUNICORN_PRELOAD="")["preload_app"] is True
    assert gunicorn_settings(GUNICORN_PRELOAD="0")["preload_app"] is False
    assert gunicorn_settings(GUNICORN_PRELOAD="yes")["preload_app"] is True
    with pytest.raises(ValueError, match="GUNICORN_PRELOAD must be 1 or 0"):
        gunicorn_settings(GUNICORN_PRELOAD="maybe")


def test_gunicorn_spreads_worker_recycling_over_half_of_max_requests():
    # A jitter of 200 on 2,000 recycled all five workers within 1.7 s (issue 16, F-16).
    namespace = gunicorn_settings(GUNICORN_MAX_REQUESTS_JITTER="")
    assert namespace["max_requests"] == 2000
    assert namespace["max_requests_jitter"] == 1000
    assert gunicorn_settings(GUNICORN_MAX_REQUESTS="600")["max_requests_jitter"] == 300
