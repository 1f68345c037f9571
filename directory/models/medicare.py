from django.db import models
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from directory.models.centers import Center, Treatment
from directory.validators import NAME_VALIDATORS

NPI_REGISTRY_URL = "https://npiregistry.cms.hhs.gov/provider-view/{npi}"
# How the evidence line names each treatment mid-sentence ("Billed Medicare for TMS in 2023").
EVIDENCE_PHRASES = {
    "tms": pgettext_lazy("directory term", "TMS"),
    "ect": pgettext_lazy("directory term", "ECT"),
    "esketamine": _("esketamine (Spravato)"),
}


def evidence_sentence(*, treatment: str, year: int, clinicians: int, practices: int = 0, phrase: str = "") -> str:
    """ "Billed Medicare for TMS in 2023: 3 clinicians here." (`treatment` is a slug; `phrase`
    names it when it has no EVIDENCE_PHRASES entry)."""
    values = {"treatment": EVIDENCE_PHRASES.get(treatment, phrase or treatment), "year": year, "count": clinicians}
    if clinicians:
        return (
            ngettext(
                "Billed Medicare for %(treatment)s in %(year)s: %(count)s clinician here.",
                "Billed Medicare for %(treatment)s in %(year)s: %(count)s clinicians here.",
                clinicians,
            )
            % values
        )
    return gettext("Billed Medicare for %(treatment)s in %(year)s, under the practice's own NPI.") % values


class MedicareBillingQuerySet(models.QuerySet):
    def for_page(self):
        """In the order the center page shows them: newest year first, then treatment, people before practices."""
        return self.select_related("treatment").order_by(
            "-year", "treatment__sort_order", "treatment_id", "is_organization", "name", "npi"
        )


class MedicareBilling(models.Model):
    """Evidence from CMS's "Medicare Physician & Other Practitioners: by Provider and Service"
    data: one clinician (or practice) billed Medicare for one treatment at this center in one
    data year. Written by `manage.py import_medicare`; no counts or amounts are kept."""

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="medicare_billings")
    treatment = models.ForeignKey(Treatment, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(help_text="The data year of CMS's file.")
    npi = models.CharField("NPI", max_length=10, help_text="National Provider Identifier.")
    name = models.CharField(
        max_length=200,
        help_text="The clinician's or the organization's name, as CMS gives it.",
        validators=NAME_VALIDATORS,
    )
    credentials = models.CharField(max_length=60, blank=True)
    is_organization = models.BooleanField(default=False)
    codes = models.CharField(max_length=60, help_text="The billing codes (HCPCS) behind this line.")
    # Where CMS places the billing (normalized street and ZIP): how later years find it again.
    location_key = models.CharField(max_length=220)

    objects = MedicareBillingQuerySet.as_manager()

    class Meta:
        verbose_name = "Medicare billing"
        constraints = [
            models.UniqueConstraint(
                fields=["center", "treatment", "year", "npi"], name="one_medicare_billing_per_center_treatment_year"
            )
        ]
        indexes = [models.Index(fields=["location_key"], name="medicare_location_key_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.npi}): {self.treatment} in {self.year}"

    @property
    def display_name(self) -> str:
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    @property
    def registry_url(self) -> str:
        """The clinician's public page in the NPPES NPI Registry (with their phone number)."""
        return NPI_REGISTRY_URL.format(npi=self.npi)
