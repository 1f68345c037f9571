"""Settings come from the environment and refuse bad values with a clear message."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import database_from_url, env_bool, env_int

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env: str) -> subprocess.CompletedProcess:
    """Import the settings module in a fresh interpreter with exactly these variables."""
    return run_python("import config.settings", **env)


def run_python(script: str, **env: str) -> subprocess.CompletedProcess:
    """Run `script` in a fresh interpreter with exactly these DJANGO_/DATABASE_ variables."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_"))}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_require_a_secret_key():
    result = load_settings(DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


def test_production_settings_require_allowed_hosts():
    result = load_settings(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is required" in result.stderr


def test_a_yes_no_variable_refuses_other_words():
    result = load_settings(DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG='maybe' is not a yes/no value" in result.stderr


def test_an_unknown_database_url_is_refused():
    result = load_settings(DJANGO_DEBUG="1", DATABASE_URL="mysql://db/x")
    assert result.returncode != 0
    assert "must start with sqlite:// or postgres://" in result.stderr


def test_production_settings_load_with_the_required_variables():
    result = load_settings(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="example.org")
    assert result.returncode == 0, result.stderr


def test_production_keeps_compiled_templates_and_finds_the_apps_templates():
    script = (
        "import django; django.setup()\n"
        "from django.template import engines\n"
        "loader = engines['django'].engine.template_loaders[0]\n"
        "print(type(loader).__module__, loader.get_template('admin/base.html').origin.loader_name)"
    )
    result = run_python(
        script,
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.template.loaders.cached", "django.template.loaders.app_directories.Loader"]


def test_database_url_parses_postgres_and_sqlite(tmp_path):
    pg = database_from_url("postgres://user:p%40ss@db.internal:6543/treatment", base_dir=tmp_path)
    assert pg["ENGINE"] == "django.db.backends.postgresql"
    assert (pg["NAME"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == (
        "treatment",
        "user",
        "p@ss",
        "db.internal",
        "6543",
    )
    assert database_from_url("sqlite:///db.sqlite3", base_dir=tmp_path)["NAME"] == str(tmp_path / "db.sqlite3")
    assert database_from_url("sqlite:////tmp/x.sqlite3", base_dir=tmp_path)["NAME"] == "/tmp/x.sqlite3"


@pytest.mark.parametrize("url", ["postgres://host/", "sqlite://", "postgres://h:port/x"])
def test_database_url_refuses_incomplete_urls(url, tmp_path):
    with pytest.raises(ImproperlyConfigured):
        database_from_url(url, base_dir=tmp_path)


def test_number_and_boolean_helpers_refuse_garbage(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("SOME_NUMBER", 1)
    monkeypatch.setenv("SOME_NUMBER", "-1")
    with pytest.raises(ImproperlyConfigured, match="at least 0"):
        env_int("SOME_NUMBER", 1, minimum=0)
    monkeypatch.setenv("SOME_FLAG", "On")
    assert env_bool("SOME_FLAG", False) is True


def test_the_wsgi_module_builds_the_geocoding_index_and_opens_no_database_connection():
    """gunicorn preloads config.wsgi before forking: the index must be built by then, not
    by the first search (which would take about two seconds longer than the rest)."""
    script = (
        "from directory import geo\n"
        "before = geo._cities_by_key.cache_info().currsize\n"
        "import config.wsgi\n"
        "print(before, geo._cities_by_key.cache_info().currsize, geo._index.cache_info().currsize,"
        " geo._city_keys_by_state.cache_info().currsize)\n"
        "from django.db import connections\n"
        "print(all(connection.connection is None for connection in connections.all()))\n"
    )
    result = run_python(script, DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    # And no database connection is open: gunicorn forks its workers from this process.
    assert result.stdout.split() == ["0", "1", "1", "1", "True"]
