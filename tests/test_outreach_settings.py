"""The outreach settings refuse bad values with a message naming the variable."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_email, env_rate, parse_rate


@pytest.mark.parametrize(("rate", "parsed"), [("5/hour", (5, 3600)), ("10/minute", (10, 60)), (" 2/day ", (2, 86400))])
def test_rates_read_as_count_and_seconds(rate, parsed):
    assert parse_rate(rate) == parsed


@pytest.mark.parametrize("rate", ["5", "five/hour", "0/hour", "5/fortnight", "-1/day"])
def test_a_bad_rate_is_refused_with_the_variable_name(monkeypatch, rate):
    monkeypatch.setenv("INQUIRY_RATE_LIMIT", rate)
    with pytest.raises(ImproperlyConfigured, match="INQUIRY_RATE_LIMIT="):
        env_rate("INQUIRY_RATE_LIMIT", "5/hour")


def test_an_intake_address_must_look_like_one(monkeypatch):
    monkeypatch.setenv("INTAKE_EMAIL", "intake team")
    with pytest.raises(ImproperlyConfigured, match="INTAKE_EMAIL='intake team' is not an e-mail address"):
        env_email("INTAKE_EMAIL", "x@example.org")
    monkeypatch.setenv("INTAKE_EMAIL", "")
    assert env_email("INTAKE_EMAIL", "x@example.org") == "x@example.org"
