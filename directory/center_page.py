"""What a center page shows beyond the model's fields: the facts worth seeing at a glance,
and the source's other service codes in plain words. Built from what the view prefetched."""

from dataclasses import dataclass

from directory.importers.codes import CodeGroup, shown_code_groups
from directory.models import Center

# Lookups a person in a hard moment should see before scrolling: slug -> short label.
GLANCE_CARE = {"telehealth": "Telehealth visits"}
GLANCE_PAYMENT = {"sliding-fee": "Sliding fee scale", "payment-assistance": "Help paying (payment assistance)"}
GLANCE_CRISIS = {
    "walk-in": "Walk-in crisis care",
    "mobile-crisis": "Mobile crisis team",
    "emergency-onsite": "Psychiatric emergency care on site",
}
# Long lists (languages above all) show this many, then "and N more" behind a disclosure.
SHORT_LIST = 6


@dataclass(frozen=True)
class Facts:
    """One row of the "Care, payment and access" list: the first few items, and the rest."""

    label: str
    shown: list[str]
    more: list[str]


def center_glance(center: Center) -> list[str]:
    """Short labels for crisis services, telehealth and help with paying, in that order."""
    labels = [GLANCE_CRISIS[item.slug] for item in center.crisis_services.all() if item.slug in GLANCE_CRISIS]
    labels += [GLANCE_CARE[item.slug] for item in center.care_settings.all() if item.slug in GLANCE_CARE]
    labels += [GLANCE_PAYMENT[item.slug] for item in center.payment_options.all() if item.slug in GLANCE_PAYMENT]
    return labels


def _facts(label: str, names: list[str]) -> Facts:
    cut = len(names) if len(names) <= SHORT_LIST + 1 else SHORT_LIST  # never "and 1 more"
    return Facts(label, names[:cut], names[cut:])


def center_facts(center: Center) -> list[Facts]:
    """The care, payment, age, language and crisis lists that have something in them."""
    lists = [
        ("Care settings", center.care_settings.all()),
        ("Payment", center.payment_options.all()),
        ("Ages", center.age_groups.all()),
        ("Languages besides English", center.languages.all()),
        ("Crisis services", center.crisis_services.all()),
    ]
    return [_facts(label, [item.name for item in items]) for label, items in lists if items]


def center_code_groups(center: Center) -> tuple[list[str], list[Facts]]:
    """(other therapies, the other groups as Facts) from the source's codes that our lookups do not hold."""
    groups: list[CodeGroup] = shown_code_groups(center.source_codes)
    therapies = next((group.labels for group in groups if group.key == "therapies"), [])
    return therapies, [_facts(group.heading, group.labels) for group in groups if group.key != "therapies"]
