"""Production static files: collectstatic makes hashed, compressed copies that whitenoise
serves with a far-future, immutable cache header, and pages link to the hashed names."""

import re

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_static(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "config.cached_urls.StaticStorage"},  # as in production
    }
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    settings.WHITENOISE_MAX_AGE = 31536000
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


def test_collectstatic_makes_hashed_compressed_files_served_with_long_cache_headers(production_static):
    client = Client()  # a new client builds the middleware, and so whitenoise, with these settings
    html = client.get("/").content.decode()
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html)
    assert stylesheet, "pages link to the hashed file name"
    path = stylesheet.group(1)
    assert (production_static / path.removeprefix("/static/")).with_suffix(".css.gz").exists()

    response = client.get(path, headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
