"""Production static files: collectstatic makes hashed, compressed copies that whitenoise
serves with a far-future, immutable cache header, and pages link to the hashed names.
Unhashed names change in place on a deploy, so caches keep them only briefly."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def production_max_age() -> int:
    """WHITENOISE_MAX_AGE as the settings module computes it with production variables."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="s" * 50, DJANGO_ALLOWED_HOSTS="treatment.example.org")
    script = "from config import settings; print(settings.WHITENOISE_MAX_AGE)"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return int(result.stdout)


@pytest.fixture
def production_static(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "config.cached_urls.StaticStorage"},  # as in production
    }
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    settings.WHITENOISE_MAX_AGE = production_max_age()
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


def test_collectstatic_makes_hashed_compressed_files_served_with_long_cache_headers(production_static):
    client = Client()  # a new client builds the middleware, and so whitenoise, with these settings
    html = client.get("/").content.decode()
    script = re.search(r'src="(/static/js/menu\.[0-9a-f]{12}\.js)"', html)
    assert script, "pages link to the hashed file name"
    path = script.group(1)
    assert (production_static / path.removeprefix("/static/")).with_suffix(".js.gz").exists()

    response = client.get(path, headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]


def test_unhashed_static_names_are_cached_for_an_hour_only(production_static):
    # /static/css/site.css changes in place on a deploy: a year in caches served stale styles (F-19).
    client = Client()
    assert (production_static / "css" / "site.css").exists()
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=3600, public"
