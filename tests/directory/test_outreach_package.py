"""The outreach package: admins are registered by admin modules only, never as a side
effect of importing views, forms, services, template tags or URLs."""

from tests.test_settings import run_python

IMPORT_EVERYTHING_BUT_ADMIN = """
import importlib, pkgutil
from django.conf import settings
# The admin without autodiscover, so that only our own imports can register anything.
settings.INSTALLED_APPS = [
    "django.contrib.admin.apps.SimpleAdminConfig" if app == "django.contrib.admin" else app
    for app in settings.INSTALLED_APPS
]
import django
django.setup()
from django.contrib import admin
import directory

def registered():
    return sorted(m._meta.label for m in admin.site._registry if m._meta.app_label == "directory")

modules = [
    info.name
    for info in pkgutil.walk_packages(directory.__path__, "directory.")
    if info.name.rsplit(".", 1)[-1] != "admin" and ".migrations" not in info.name
]
for name in [*modules, "config.urls"]:
    importlib.import_module(name)
print("without admin modules:", registered())
importlib.import_module("directory.admin")
print("with directory.admin:", registered())
"""


def test_only_the_admin_modules_register_admins():
    result = run_python(IMPORT_EVERYTHING_BUT_ADMIN, DJANGO_SETTINGS_MODULE="config.settings", DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    without, with_admin = result.stdout.strip().splitlines()[-2:]
    assert without == "without admin modules: []"
    for label in ("Inquiry", "InquiryView", "ProblemReport", "Verification", "Center", "Location"):
        assert f"'directory.{label}'" in with_admin
