"""Helpers for the tests of centers keeping their own listings."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from tests.directory.outreach_helpers import WORKING_MAILERS, hidden_value

SUBMITTER_EMAIL = "pat.quorrel@northshoretms.example"


@pytest.fixture
def quick_forms(settings):
    """People in tests type instantly; rate-limit counts start empty; mail is kept."""
    settings.FORM_MIN_SECONDS = 0
    settings.MAILERS = WORKING_MAILERS
    settings.SITE_URL = "http://testserver"
    cache.clear()
    yield
    cache.clear()


def listing_data(page_html: str, **overrides) -> dict:
    """A TMS clinic in Jacksonville that offers deep TMS and Spravato, with prices."""
    data = {
        "center_name": "North Shore TMS and Spravato Clinic",
        "website": "https://www.northshoretms.example",
        "phone": "904-555-0142",
        "description": "Outpatient brain stimulation clinic.",
        "location_1_street1": "4410 Beach Boulevard",
        "location_1_street2": "Suite 200",
        "location_1_city": "Jacksonville",
        "location_1_state": "FL",
        "location_1_zip": "32207",
        "offers_tms": "on",
        "detail_tms": "deep",
        "price_tms": "300",
        "price_unit_tms": "per session",
        "offers_esketamine": "on",
        "detail_esketamine": "yes",
        "price_esketamine": "",
        "payment_options": ["medicare", "self-pay"],
        "age_groups": ["adults"],
        "languages": ["spanish"],
        "accepting_new_patients": "yes",
        "typical_wait": "about 1 week",
        "submitter_name": "Pat Quorrel",
        "submitter_role": "Practice manager",
        "submitter_email": SUBMITTER_EMAIL,
        "confirm": "on",
        "website_url": "",
        "form_shown": hidden_value(page_html, "id", "form_shown"),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def submit_listing(client, **overrides):
    page = client.get(reverse("directory:list_your_center")).content.decode()
    return client.post(reverse("directory:list_your_center"), listing_data(page, **overrides))


def link_in_mail(pattern: str, *, to: str | None = None) -> str:
    """The last e-mailed link matching `pattern` (a path fragment), as a path."""
    for message in reversed(mail.outbox):
        if to and to not in message.to:
            continue
        match = re.search(rf"http://testserver(\S*{pattern}\S*)", message.body)
        if match:
            return match.group(1)
    raise AssertionError(f"no e-mailed link matching {pattern}")
