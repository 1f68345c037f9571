"""Generated query strings and form posts never make the site answer 500 (Hypothesis).

Unknown or malformed values must be answered with 200 (saying what could not be used) or
400; never a server error, and a form post stores nothing it should not. The example
counts stay modest so CI stays fast; raise them locally with HYPOTHESIS_PROFILE=thorough.
"""

import os
import re
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.models import Inquiry, ProblemReport
from tests.factories import make_center

pytestmark = pytest.mark.django_db

settings.register_profile(
    "ci", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
settings.register_profile(
    "thorough", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

LISTING_PARAMETERS = [
    "q", "near", "radius", "treatment", "setting", "payment", "age", "language", "accepting", "sort", "page",
]  # fmt: skip
TRICKY_VALUES = [
    "tms", "ketamine", "32207", "32207-1234", "00000", "99999", "Jacksonville, FL", "jacksonville fl", ", FL",
    "0", "-1", "1e308", "NaN", "inf", "99999999999999999999", "1.5", "", " ", "distance", "name", "verified",
    "\x00", "%00", "' OR 1=1 --", "<script>alert(1)</script>", "../../etc/passwd", "ｔｍｓ", "🙂", "a" * 500,
]  # fmt: skip
# Any text a browser could send (no lone surrogates: they cannot be encoded as UTF-8).
any_text = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=60)
values = st.one_of(st.sampled_from(TRICKY_VALUES), any_text, st.integers().map(str))
pairs = st.lists(st.tuples(st.sampled_from([*LISTING_PARAMETERS, "unknown", ""]), values), max_size=10)
# Raw query strings, including broken percent-escapes and bytes that are not UTF-8.
raw_queries = st.text(alphabet="%&=+;#?abcfFtmsnear0123456789 \x00ÿ-_.,", max_size=80)


def assert_no_server_error(client, url: str) -> None:
    response = client.get(url)
    assert response.status_code < 500, url
    assert response.status_code in (200, 301, 302, 400, 404), (url, response.status_code)


@pytest.fixture
def centers(db):
    make_center(name="Harbor Test Clinic", city="Jacksonville", state="FL", zip_code="32207", treatments=("tms",))
    make_center(name="Desert Mood Center", city="Phoenix", state="AZ", zip_code="85004", treatments=("ect", "cbt"))


@given(query=pairs)
def test_generated_listing_queries_never_cause_a_server_error(client, centers, query):
    assert_no_server_error(client, "/centers/?" + urlencode(query))


@given(query=raw_queries)
def test_raw_and_broken_listing_query_strings_never_cause_a_server_error(client, centers, query):
    assert_no_server_error(client, "/centers/?" + query)


def test_generated_api_queries_never_cause_a_server_error(client, centers):
    assert client.get("/api/centers/").status_code == 200

    @given(query=pairs)
    def fuzz(query):
        assert_no_server_error(client, "/api/centers/?" + urlencode(query))

    fuzz()


SELF_CHECK_FIELDS = [f"item{n}" for n in range(1, 10)] + ["difficulty"]
self_check_values = st.one_of(
    st.sampled_from(["0", "1", "2", "3", "4", "-1", "", "not", "very", "1.0", "0x1", "\x00", "３"]), any_text
)
self_check_posts = st.dictionaries(st.sampled_from([*SELF_CHECK_FIELDS, "unknown"]), self_check_values, max_size=11)


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@given(post=self_check_posts)
def test_generated_self_check_posts_never_cause_a_server_error_or_store_anything(client, post):
    before = row_counts()
    response = client.post("/self-check/", post)
    assert response.status_code in (200, 400), (post, response.status_code)
    assert not response.cookies, "the self-check sets no cookie"
    assert row_counts() == before


# The outreach forms: a valid post as a person sends it, which the fuzzer then bends.
VALID_INQUIRY = {
    "name": "Sam",
    "email": "sam@example.net",
    "phone": "904-555-0123",
    "preferred_contact": "email",
    "preferred_time": "any",
    "message": "Do you take Florida Blue for TMS?",
    "consent": "on",
    "website_url": "",
}
VALID_REPORT = {"kind": "phone", "details": "The number is now 904-555-0199.", "contact": "", "website_url": ""}
FORM_TRICKY = ["", " ", "on", "off", "email", "phone", "text", "any", "evening", "closed", "other", "x" * 2001]
form_values = st.one_of(st.sampled_from(FORM_TRICKY + TRICKY_VALUES), any_text)


def bent_posts(valid: dict) -> st.SearchStrategy:
    """A valid post with some fields dropped, some replaced and some unknown ones added."""
    fields = sorted(valid)
    return st.builds(
        lambda dropped, replaced: {
            **{key: value for key, value in valid.items() if key not in dropped},
            **replaced,
        },
        st.sets(st.sampled_from(fields), max_size=3),
        st.dictionaries(st.sampled_from([*fields, "form_shown", "unknown"]), form_values, max_size=4),
    )


@pytest.fixture
def outreach_center(db, settings):
    settings.FORM_MIN_SECONDS = 0
    settings.INQUIRY_RATE_LIMIT = settings.REPORT_RATE_LIMIT = "1000000/hour"
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    yield make_center(name="Harbor Test Clinic")
    cache.clear()  # the posts counted against 127.0.0.1's rate limit; later tests start afresh


def form_shown(client, url: str) -> str:
    return re.search(r'name="form_shown" value="([^"]*)"', client.get(url).content.decode()).group(1)


def assert_stored_only_when_accepted(client, url: str, post: dict, model) -> None:
    before = model.objects.count()
    response = client.post(url, post)
    assert response.status_code < 500, (post, response.status_code)
    accepted = response.status_code == 302
    assert model.objects.count() == before + (1 if accepted else 0), (post, response.status_code)


@pytest.mark.parametrize(
    ("path", "valid", "model"),
    [("ask/", VALID_INQUIRY, Inquiry), ("report/", VALID_REPORT, ProblemReport)],
    ids=["inquiry", "problem report"],
)
def test_generated_outreach_posts_never_cause_a_server_error_and_store_only_what_was_accepted(
    client, outreach_center, path, valid, model
):
    url = f"{outreach_center.get_absolute_url()}{path}"
    token = form_shown(client, url)
    assert_stored_only_when_accepted(client, url, {**valid, "form_shown": token}, model)
    assert model.objects.count() == 1, "the valid post itself is accepted"

    @given(post=bent_posts({**valid, "form_shown": token}))
    def fuzz(post):
        assert_stored_only_when_accepted(client, url, post, model)

    fuzz()
