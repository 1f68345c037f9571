"""What a center page shows beyond the model's fields: the facts worth seeing at a glance,
and the source's other service codes in plain words. Built from what the view prefetched."""

from dataclasses import dataclass

from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from directory import geo, seo
from directory.importers.codes import CodeGroup, shown_code_groups
from directory.models import Center, Location, MedicareBilling, Treatment
from directory.models.medicare import evidence_sentence
from directory.search.params import MAX_RADIUS, Criteria
from directory.search.query import ResultRow, rows_attach_details, search_rows
from directory.search.vocabulary import vocabulary_load
from directory.term_names import term_label

# Lookups a person in a hard moment should see before scrolling: slug -> short label.
GLANCE_CARE = {"telehealth": _("Telehealth visits")}
GLANCE_PAYMENT = {"sliding-fee": _("Sliding fee scale"), "payment-assistance": _("Help paying (payment assistance)")}
GLANCE_CRISIS = {
    "walk-in": _("Walk-in crisis care"),
    "mobile-crisis": _("Mobile crisis team"),
    "emergency-onsite": _("Psychiatric emergency care on site"),
}
# A center not accepting new patients points to this many that are, offering the same treatments.
ACCEPTING_ALTERNATIVES = 3
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
        (gettext("Care settings"), center.care_settings.all()),
        (gettext("Payment"), center.payment_options.all()),
        (gettext("Ages"), center.age_groups.all()),
        (gettext("Languages besides English"), center.languages.all()),
        (gettext("Crisis services"), center.crisis_services.all()),
    ]
    return [_facts(label, [term_label(item.name) for item in items]) for label, items in lists if items]


def center_code_groups(center: Center) -> tuple[list[str], list[Facts]]:
    """(other therapies, the other groups as Facts) from the source's codes that our lookups do not hold,
    in our plain words for them, in the page's language."""
    groups: list[CodeGroup] = shown_code_groups(center.source_codes)
    therapies = next((group.labels for group in groups if group.key == "therapies"), [])
    return [gettext(label) for label in therapies], [
        _facts(gettext(group.heading), [gettext(label) for label in group.labels])
        for group in groups
        if group.key != "therapies"
    ]


@dataclass(frozen=True)
class EvidenceLine:
    """ "Billed Medicare for TMS in 2023: 3 clinicians here", with who billed."""

    treatment: Treatment
    year: int
    clinicians: list[MedicareBilling]
    practices: list[MedicareBilling]  # organization NPIs billing here

    @property
    def text(self) -> str:
        return evidence_sentence(
            treatment=self.treatment.slug,
            year=self.year,
            clinicians=len(self.clinicians),
            phrase=self.treatment.short_name,
        )


def center_medicare_evidence(center: Center) -> list[EvidenceLine]:
    """One line per treatment and year, newest year first (from the prefetched billings)."""
    lines: dict[tuple[int, int], EvidenceLine] = {}
    for billing in center.medicare_billings.all():
        key = (billing.treatment_id, billing.year)
        if key not in lines:
            lines[key] = EvidenceLine(billing.treatment, billing.year, [], [])
        (lines[key].practices if billing.is_organization else lines[key].clinicians).append(billing)
    return list(lines.values())


def registry_contact(lines: list[EvidenceLine]) -> MedicareBilling | None:
    """Whose NPI Registry page to offer a center without a phone: a clinician of the newest line, else its practice."""
    for line in lines:
        for billing in [*line.clinicians, *line.practices]:
            return billing
    return None


def accepting_alternatives(center: Center, locations: list[Location]) -> list[ResultRow]:
    """For a center that is not accepting new patients: the nearest centers (up to
    MAX_RADIUS miles from its first location) that are, offering any of its treatments,
    nearest first, with their nearest location. The listing's own search: two queries."""
    if center.accepting_new_patients != Center.Accepting.NO or not locations:
        return []
    slugs = tuple(offer.treatment.slug for offer in center.treatment_details.all())
    if not slugs:
        return []
    here = locations[0]
    place = geo.Place(f"{here.city}, {here.state}", here.latitude, here.longitude, here.city, here.state)
    criteria = Criteria(place=place, radius=MAX_RADIUS, facets={"treatment": slugs}, accepting=True, sort="distance")
    rows, _ = search_rows(criteria, limit=ACCEPTING_ALTERNATIVES + 1, count=False)
    rows = [row for row in rows if row.id != center.id][:ACCEPTING_ALTERNATIVES]
    if rows:
        rows_attach_details(rows, place=place, vocabulary=vocabulary_load())
    return rows


# What center_page_context() gives the template, besides the center itself.
CENTER_PAGE_NAMES = (
    "locations",
    "offers",
    "glance",
    "facts",
    "other_therapies",
    "code_groups",
    "medicare_evidence",
    "registry_contact",
    "json_ld",
    "alternatives_url",
    "accepting_alternatives",
)


def center_page_context(center: Center, request: HttpRequest) -> dict:
    """Everything the center page shows beyond the center's own row: seven prefetches, and
    two queries more for the alternatives of a center that is not accepting new patients."""
    prefetch_related_objects(
        [center],
        "locations",
        "treatment_details__treatment",
        "care_settings",
        "payment_options",
        "age_groups",
        "languages",
        "crisis_services",
        Prefetch("medicare_billings", queryset=MedicareBilling.objects.for_page()),
    )
    locations = list(center.locations.all())
    other_therapies, code_groups = center_code_groups(center)
    evidence = center_medicare_evidence(center)
    return {
        "locations": locations,
        "offers": list(center.treatment_details.all()),
        "glance": center_glance(center),
        "facts": center_facts(center),
        "other_therapies": other_therapies,
        "code_groups": code_groups,
        "medicare_evidence": evidence,
        "registry_contact": registry_contact(evidence),
        "json_ld": None if center.is_closed else seo.center_json_ld(center, locations, request),
        "alternatives_url": seo.alternatives_url(center, locations),
        "accepting_alternatives": accepting_alternatives(center, locations),
    }
