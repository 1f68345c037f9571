"""Real-browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

They skip, saying why, when /usr/bin/chromium or the playwright package is missing; under
CI=true they fail instead (CI installs both, and a green run must have run them).
Playwright's own browser downloads are never used.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.db import connections

from tests.browser.support import PHONE, PageWatch, axe_source
from tests.conftest import unavailable

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Mark browser tests, and run them last: the shared browser's event loop stays open until the end."""
    browser_tests = [item for item in items if "tests/browser/" in str(item.path).replace(os.sep, "/")]
    for item in browser_tests:
        item.add_marker(pytest.mark.browser)
    items[:] = [item for item in items if item not in browser_tests] + browser_tests


@pytest.fixture(scope="session")
def browser(django_db_setup):
    if not CHROMIUM.exists() and not shutil.which(str(CHROMIUM)):
        unavailable(f"Browser tests cannot run: {CHROMIUM} is missing (apt-get install -y chromium).")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Browser tests cannot run: the playwright package is missing (pip install -r requirements.txt).")
    try:
        import axe_playwright_python  # noqa: F401
    except ImportError:
        unavailable("Browser tests cannot run: axe-playwright-python is missing (pip install -r requirements.txt).")
    # While Playwright's event loop runs, Django hands this thread new database connections
    # (asgiref keys them by context). Give those the snapshot of the seeded rows that
    # serialized_rollback restores after each transactional test flushes the database.
    # Playwright's sync API keeps an event loop in the test thread; the ORM calls the tests
    # make to set up rows are still plain synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    snapshots = {alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections}
    with sync_playwright() as playwright:
        for alias, snapshot in snapshots.items():
            if snapshot is not None:
                connections[alias]._test_serialized_contents = snapshot
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture(scope="session")
def axe() -> str:
    return axe_source()


@pytest.fixture
def page_watch(browser, axe, live_server):
    """A fresh phone-sized tab (375 px wide), watched for console errors and CSP violations."""
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, service_workers="block")
    context.set_default_timeout(10_000)
    watch = PageWatch(context.new_page(), axe)
    yield watch
    context.close()


@pytest.fixture
def page(page_watch):
    return page_watch.page


@pytest.fixture
def check_page(page_watch):
    """Call on every page a journey visits: fails on console errors, CSP violations and axe violations."""
    return page_watch.assert_ok
