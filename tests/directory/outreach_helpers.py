"""Helpers for the outreach tests: staff accounts, form data read from real pages."""

import re
from datetime import timedelta

from django import forms
from django.contrib.auth.models import Group
from django.core.mail.backends.base import BaseEmailBackend
from django.db.models import F
from django.utils import timezone

from directory.models import Center, CenterTreatment, Location

BROKEN_MAILERS = {"default": {"BACKEND": "tests.directory.outreach_helpers.BrokenEmailBackend"}}
WORKING_MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

# Values that must never leave the inquiry: not in e-mails, logs or lists.
SECRET_NAME = "Quillonia"
SECRET_PHONE = "904-555-0177"
SECRET_EMAIL = "quillonia@example.net"
SECRET_MESSAGE = "Sertraline-resistant since 2019, asking about esketamine"


class BrokenEmailBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("the mail server is down")


def make_staff(django_user_model, username: str, *groups: str, **fields):
    user = django_user_model.objects.create_user(
        username, f"{username}@example.org", "a-long-test-password", is_staff=True, **fields
    )
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


def filter_choices(html: str, title: str) -> list[tuple[str, str, bool]]:
    """A change list's filter in the sidebar: (link, label, selected) of each choice."""
    section = html[html.index(f'data-filter-title="{title}"') :].split("</details>")[0]
    return [
        (link, label, selected == ' class="selected"')
        for selected, link, label in re.findall(r'<li( class="selected")?>\s*<a href="([^"]*)">([^<]*)</a>', section)
    ]


def hidden_value(html: str, form_prefix: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)" id="{form_prefix}_{name}"', html)
    assert match, f"no {name} field for the {form_prefix} form"
    return match.group(1)


def inquiry_data(page_html: str, **overrides) -> dict:
    """A valid inquiry, with the form-shown stamp taken from the page that showed the form."""
    data = {
        "name": SECRET_NAME,
        "phone": SECRET_PHONE,
        "email": SECRET_EMAIL,
        "preferred_contact": "phone",
        "preferred_time": "evening",
        "message": SECRET_MESSAGE,
        "consent": "on",
        "website_url": "",
        "form_shown": hidden_value(page_html, "inquiry", "form_shown"),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def report_data(page_html: str, **overrides) -> dict:
    data = {
        "kind": "phone",
        "details": "The number now reaches a pizza place; the clinic's new number is 904-555-0199.",
        "contact": "reporter@example.net",
        "website_url": "",
        "form_shown": hidden_value(page_html, "report", "form_shown"),
    }
    data.update(overrides)
    return data


def _put(data: dict, key: str, value, field) -> None:
    if isinstance(field, forms.JSONField):
        data[key] = value  # BoundField.value() has already encoded it
    elif isinstance(field, forms.SplitDateTimeField):
        value = timezone.localtime(value) if value else None
        data[f"{key}_0"] = value.date().isoformat() if value else ""
        data[f"{key}_1"] = value.time().isoformat() if value else ""
    elif isinstance(field, forms.NullBooleanField):
        data[key] = {True: "true", False: "false"}.get(value, "unknown")
    elif isinstance(field, forms.BooleanField):
        if value:
            data[key] = "on"
    elif value is None:
        data[key] = ""
    elif isinstance(value, list | tuple):
        data[key] = [str(item) for item in value]
    else:
        data[key] = str(value)


def admin_form_data(response) -> dict:
    """The POST data an admin change form (with its inlines) would send unchanged."""
    data = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        _put(data, form.add_prefix(name), form[name].value(), field)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for inline_form in formset.forms:
            for name, field in inline_form.fields.items():
                _put(data, inline_form.add_prefix(name), inline_form[name].value(), field)
    return data


def add_inline_row(data: dict, prefix: str, **fields) -> dict:
    """Append one new row to an inline formset in admin POST data."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    for name, value in fields.items():
        data[f"{prefix}-{index}-{name}"] = value
    return data


def listed_days_ago(center: Center, days: int = 30) -> Center:
    """Move a center's whole history back, as if it had been listed `days` ago."""
    shift = F("history_date") - timedelta(days=days)
    Center.history.filter(id=center.pk).update(history_date=shift)
    Location.history.filter(center_id=center.pk).update(history_date=shift)
    CenterTreatment.history.filter(center_id=center.pk).update(history_date=shift)
    return center
