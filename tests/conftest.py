import os
from typing import NoReturn

import pytest
from django.db import connection

from tests.factories import make_center

# CI sets CI=true (.ci/run): there every test must run, so a missing tool fails instead of skipping.
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def unavailable(reason: str) -> NoReturn:
    """Skip a test that needs something this machine lacks, saying what; under CI=true, fail it."""
    if IN_CI:
        pytest.fail(f"{reason} CI=true: a missing tool fails the run instead of skipping.", pytrace=False)
    pytest.skip(reason)


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        unavailable(
            "PostgreSQL only (full-text search, trigram similarity, GiST): run with DATABASE_URL=postgres://..., "
            "or deselect these tests with -m 'not postgres'."
        )


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.org", "a-long-test-password")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def center(db):
    return make_center(name="Harbor Test Clinic", city="Jacksonville", state="FL", zip_code="32207")


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    """Queued tasks (the e-mails) run at once in tests, so mail.outbox has them after the request;
    retries wait in the backend's `deferred` list. Tests of the real queue switch to the database."""
    from tests.tasks_backend import IMMEDIATE, use_task_backend

    return use_task_backend(settings, IMMEDIATE)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # The production hasher is deliberately slow; tests only need logins to work.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with empty caches (search vocabulary, counts, drawn fragments) and leaves none."""
    from django.core.cache import caches

    for alias in ("default", "fragments"):
        caches[alias].clear()
    yield
    for alias in ("default", "fragments"):
        caches[alias].clear()


@pytest.fixture(autouse=True)
def english_between_tests():
    """A request to /es/ leaves Spanish active in this thread (as LocaleMiddleware does in a
    server's worker until its next request); each test starts and ends in English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True, scope="session")
def search_statements_prepared_at_once():
    """On PostgreSQL the search prepares a statement after a few runs on a connection
    (directory/search/query.py _run); here on its first, so every statement the tests reach
    is prepared and then answered from its saved plan."""
    from directory.search import query

    query.PREPARE_AFTER, before = 1, query.PREPARE_AFTER
    yield
    query.PREPARE_AFTER = before
