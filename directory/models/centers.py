import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from directory.formatting import postal_address
from directory.validators import NAME_VALIDATORS, validate_one_line


class Lookup(models.Model):
    """A small, seeded vocabulary whose slugs appear in public URLs."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=60, unique=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Treatment(Lookup):
    class Category(models.TextChoices):
        NEUROMODULATION = "neuromodulation", _("Brain stimulation")
        MEDICATION = "medication", _("Medication")
        PSYCHOTHERAPY = "psychotherapy", _("Psychotherapy")
        EMERGING = "emerging", _("Emerging and investigational")

    short_name = models.CharField(max_length=40, help_text="Used in chips and titles, e.g. 'TMS'.")
    category = models.CharField(max_length=20, choices=Category.choices)
    summary = models.TextField(help_text="Two or three plain-language sentences.")
    guide_slug = models.SlugField(
        max_length=120, blank=True, help_text="Slug of the guide article about this treatment."
    )

    class Meta(Lookup.Meta):
        pass

    def get_absolute_url(self) -> str:
        return reverse("directory:treatment_detail", args=[self.slug])


class CareSetting(Lookup):
    class Meta(Lookup.Meta):
        verbose_name = "care setting"


class PaymentOption(Lookup):
    class Meta(Lookup.Meta):
        verbose_name = "payment option"


class AgeGroup(Lookup):
    class Meta(Lookup.Meta):
        verbose_name = "age group"


class Language(Lookup):
    class Meta(Lookup.Meta):
        pass


class CrisisService(Lookup):
    class Meta(Lookup.Meta):
        verbose_name = "crisis service"


class CenterQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Center.Status.PUBLISHED)

    def visible(self):
        """Centers the public may open: published, or closed (which say so)."""
        return self.filter(status__in=[Center.Status.PUBLISHED, Center.Status.CLOSED])

    # These filters use EXISTS rather than joins: a center matches once however many of
    # its rows match, so they combine without DISTINCT. The center search is not here:
    # it is one query in directory/search/query.py.

    def offering(self, *treatment_slugs: str):
        """Centers offering any of these treatments."""
        return self.filter(
            Exists(CenterTreatment.objects.filter(center=OuterRef("pk"), treatment__slug__in=treatment_slugs))
        )

    def with_crisis_services(self, slugs) -> "CenterQuerySet":
        """Centers with any of these crisis services (the listing's search has no such filter)."""
        links = Center.crisis_services.through.objects.filter(center=OuterRef("pk"), crisisservice__slug__in=slugs)
        return self.filter(Exists(links))

    def accepting_new_patients(self):
        return self.filter(accepting_new_patients=Center.Accepting.YES)

    def in_state(self, state: str):
        return self.filter(Exists(Location.objects.filter(center=OuterRef("pk"), state=state.upper())))

    def with_care_setting(self, slug: str):
        return self.filter(care_settings__slug=slug)

    def in_city(self, state: str, city_slug: str):
        return self.filter(
            Exists(Location.objects.filter(center=OuterRef("pk"), state=state.upper(), city_slug=city_slug))
        )

    def stale(self, *, months: int = 12):
        cutoff = stale_cutoff(months=months)
        return self.filter(models.Q(last_verified_on__isnull=True) | models.Q(last_verified_on__lt=cutoff))


def stale_cutoff(*, months: int = 12):
    """Listings last verified before this date are stale."""
    return timezone.localdate() - timezone.timedelta(days=months * 365 // 12)


class Center(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        CLOSED = "closed", "Closed"

    class Accepting(models.TextChoices):
        YES = "yes", _("Accepting new patients")
        NO = "no", _("Not accepting new patients")
        UNKNOWN = "unknown", _("Unknown")

    class VerificationMethod(models.TextChoices):
        PHONE = "phone", _("phone call")
        WEBSITE = "website", _("website check")
        EMAIL = "email", _("e-mail")
        IN_PERSON = "in_person", _("in-person visit")
        OFFICIAL_LIST = "official_list", _("official list")

    name = models.CharField(max_length=200, validators=NAME_VALIDATORS)
    slug = models.SlugField(max_length=220, unique=True)
    description = models.TextField(blank=True)
    description_es = models.TextField(
        "description in Spanish",
        blank=True,
        help_text="Optional. Spanish pages (/es/) show it instead of the English description; leave empty if unsure.",
    )
    phone = models.CharField(max_length=40, blank=True, validators=[validate_one_line])
    intake_phones = models.CharField(
        max_length=200,
        blank=True,
        help_text="New-patient intake lines besides the main phone, separated by commas (SAMHSA lists up to two).",
    )
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True, help_text="Public e-mail address, shown on the page.")
    inquiry_email = models.EmailField(
        blank=True,
        help_text="Where inquiries from patients are announced (never shown). Empty: the intake team.",
    )

    treatments = models.ManyToManyField(Treatment, through="CenterTreatment", related_name="centers")
    care_settings = models.ManyToManyField(CareSetting, blank=True, related_name="centers")
    payment_options = models.ManyToManyField(PaymentOption, blank=True, related_name="centers")
    insurers = models.TextField(
        blank=True,
        help_text="Insurance plans the center takes, one per line, as staff confirmed them or the center "
        "named them (e.g. 'Florida Blue'). Shown on the center's page.",
    )
    age_groups = models.ManyToManyField(AgeGroup, blank=True, related_name="centers")
    languages = models.ManyToManyField(Language, blank=True, related_name="centers")
    crisis_services = models.ManyToManyField(CrisisService, blank=True, related_name="centers")

    accepting_new_patients = models.CharField(max_length=10, choices=Accepting.choices, default=Accepting.UNKNOWN)
    accepting_checked_on = models.DateField(null=True, blank=True)
    typical_wait = models.CharField(
        max_length=100, blank=True, help_text="e.g. 'about 2 weeks'.", validators=[validate_one_line]
    )
    # True when the availability above was reported by the center itself (a representative's
    # one click), so the page says "reported by the center"; a staff edit sets it back.
    accepting_reported_by_center = models.BooleanField("availability reported by the center", default=False)
    center_confirmed_on = models.DateField(
        null=True, blank=True, help_text="When a representative of the center last confirmed its availability."
    )

    # Provenance: where the listing came from and when someone last confirmed it.
    source = models.CharField(max_length=120, blank=True, help_text="e.g. 'SAMHSA National Directory 2022'.")
    source_key = models.CharField(max_length=200, blank=True, db_index=True)
    source_codes = models.TextField(blank=True, help_text="Raw service codes from the source, kept as given.")
    last_verified_on = models.DateField(null=True, blank=True, db_index=True)
    verification_method = models.CharField(max_length=20, choices=VerificationMethod.choices, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    is_demo = models.BooleanField(default=False, help_text="Fictional demo listing.")
    # A stable public identifier for open data (HSDS); never changes for a center.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # What the last import wrote, field by field: lets a re-import tell staff edits apart.
    source_snapshot = models.JSONField(default=dict, blank=True, editable=False)
    # Denormalized for search, kept by directory.search.index.centers_refresh_search():
    # the slugs of the center's treatments, settings, payment options, ages and languages
    # (" treatment:tms setting:outpatient ... "), and on PostgreSQL the full-text document
    # (name, treatments, cities, description; NULL on SQLite, which does not use it).
    search_facets = models.TextField(blank=True, default="", editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    # Denormalized from MedicareBilling by directory.medicare.writing.centers_refresh_medicare(),
    # for result cards and the API without a query of their own: one entry per treatment and
    # year, newest year first: {"treatment": "tms", "year": 2023, "clinicians": 3, "practices": 1}.
    medicare_evidence = models.JSONField(default=list, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CenterQuerySet.as_manager()
    # Who changed what and when (admin "History", public change log). The import
    # bookkeeping is left out; the care and payment lists are kept with each version.
    history = HistoricalRecords(
        excluded_fields=["source_snapshot", "updated_at", "search_facets", "search_vector", "medicare_evidence"],
        m2m_fields=["care_settings", "payment_options", "age_groups", "languages", "crisis_services"],
    )

    class Meta:
        ordering = ["name"]
        permissions = [("import_centers", "Can import centers from the national directory")]
        indexes = [
            models.Index(fields=["status", "name"], name="center_status_name_idx"),
            models.Index(fields=["is_demo"], name="center_is_demo_idx"),
            # The few centers accepting new patients, for a search that asks for them alone.
            models.Index(fields=["id"], condition=models.Q(accepting_new_patients="yes"), name="center_accepting_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:center_detail", args=[self.slug])

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def insurer_list(self) -> list[str]:
        return [line.strip() for line in self.insurers.splitlines() if line.strip()]

    @property
    def intake_phone_list(self) -> list[str]:
        return [phone.strip() for phone in self.intake_phones.split(",") if phone.strip()]

    @property
    def unconfirmed_since(self):
        """The date the center last confirmed its listing, once that is longer ago than
        CENTER_CONFIRMATION_DAYS; None otherwise (or when the center never claimed it)."""
        if self.center_confirmed_on is None:
            return None
        cutoff = timezone.localdate() - timezone.timedelta(days=settings.CENTER_CONFIRMATION_DAYS)
        return self.center_confirmed_on if self.center_confirmed_on < cutoff else None

    @property
    def is_stale(self) -> bool:
        return self.last_verified_on is None or self.last_verified_on < stale_cutoff()


class Location(models.Model):
    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="locations")
    label = models.CharField(
        max_length=100, blank=True, help_text="e.g. 'Main clinic'.", validators=[validate_one_line]
    )
    street1 = models.CharField(max_length=200, validators=[validate_one_line])
    street2 = models.CharField(max_length=200, blank=True, validators=[validate_one_line])
    city = models.CharField(max_length=100, validators=[validate_one_line])
    city_slug = models.SlugField(max_length=100, editable=False)
    state = models.CharField(max_length=2, help_text="Two-letter postal code, e.g. FL.")
    zip = models.CharField("ZIP", max_length=10)
    latitude = models.FloatField()
    longitude = models.FloatField()
    phone = models.CharField(max_length=40, blank=True, validators=[validate_one_line])
    hours = models.CharField(
        max_length=200, blank=True, help_text="e.g. 'Mon-Fri 8am-6pm'.", validators=[validate_one_line]
    )
    wheelchair_accessible = models.BooleanField(null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    # A copy of the center's search_facets (directory/search/index.py): a search near a
    # place tests the locations in its box before reading any center.
    search_facets = models.TextField(blank=True, default="", editable=False)

    history = HistoricalRecords(excluded_fields=["search_facets"])

    class Meta:
        ordering = ["sort_order", "id"]
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="location_lat_lng_idx"),
            models.Index(fields=["state", "city_slug"], name="location_state_city_idx"),
            models.Index(fields=["zip"], name="location_zip_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90)
                & models.Q(longitude__gte=-180, longitude__lte=180),
                name="location_coordinates_in_range",
            ),
        ]

    def __str__(self) -> str:
        return postal_address(self.street1, "", self.city, self.state, self.zip)

    def save(self, *args, **kwargs):
        # city_slug is derived so that city pages can be looked up by URL.
        self.state = self.state.upper()
        self.city_slug = slugify(self.city)
        super().save(*args, **kwargs)

    @property
    def address(self) -> str:
        return postal_address(self.street1, self.street2, self.city, self.state, self.zip)

    @property
    def phone_or_center(self) -> str:
        return self.phone or self.center.phone

    def get_city_url(self) -> str:
        return reverse("directory:city", args=[self.state.lower(), self.city_slug])


class OfferLabels:
    """How a center offers a treatment, in words. Shared by CenterTreatment and the plain
    rows the listing reads (directory/search/query.py OfferRow), which carry the same fields."""

    @property
    def detail_labels(self) -> list[str]:
        """e.g. ["Deep TMS (H-coil)"]."""
        labels = [
            _label(CenterTreatment.TmsVariant, self.tms_variant),
            _label(CenterTreatment.KetamineRoute, self.ketamine_route),
            gettext("REMS-certified for Spravato") if self.spravato_rems_certified else "",
            _label(CenterTreatment.EctSetting, self.ect_setting),
            _label(CenterTreatment.VnsRole, self.vns_role),
            _label(CenterTreatment.PsychedelicProgram, self.psychedelic_program),
        ]
        return [label for label in labels if label]

    @property
    def price_label(self) -> str:
        """ "Self-pay $250 per session", or "" when the price is not known."""
        if self.self_pay_price is None:
            return ""
        amount = f"{self.self_pay_price:,.2f}".removesuffix(".00")
        return (gettext("Self-pay $%(amount)s") % {"amount": amount} + f" {self.price_unit}").strip()


class CenterTreatment(OfferLabels, models.Model):
    """How one center offers one treatment: the details TRD patients ask about."""

    class TmsVariant(models.TextChoices):
        STANDARD = "standard", _("Standard rTMS")
        DEEP = "deep", _("Deep TMS (H-coil)")
        THETA_BURST = "theta_burst", _("Theta-burst")
        ACCELERATED = "accelerated", _("Accelerated theta-burst")

    class KetamineRoute(models.TextChoices):
        IV = "iv", _("Intravenous (IV)")
        IM = "im", _("Intramuscular (IM)")
        INTRANASAL = "intranasal", _("Intranasal")
        ORAL = "oral", _("Oral or sublingual")

    class EctSetting(models.TextChoices):
        INPATIENT = "inpatient", _("Inpatient")
        OUTPATIENT = "outpatient", _("Outpatient")
        BOTH = "both", _("Inpatient and outpatient")

    class VnsRole(models.TextChoices):
        IMPLANTING = "implanting", _("Implants the device")
        PROGRAMMING = "programming", _("Programs and follows up")
        BOTH = "both", _("Implants and programs")

    class PsychedelicProgram(models.TextChoices):
        CLINICAL_TRIAL = "clinical_trial", _("Clinical trial")
        STATE_LICENSED = "state_licensed", _("State-licensed program")

    # The TRD detail each treatment asks about (its field here), by treatment slug: the "list your
    # center" form asks it and the admin shows only it on that treatment's row.
    DETAIL_FIELD_BY_TREATMENT = {
        "tms": "tms_variant",
        "ketamine": "ketamine_route",
        "esketamine": "spravato_rems_certified",
        "ect": "ect_setting",
        "vns": "vns_role",
        "psychedelic": "psychedelic_program",
    }

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="treatment_details")
    treatment = models.ForeignKey(Treatment, on_delete=models.PROTECT, related_name="center_details")
    tms_variant = models.CharField("TMS variant", max_length=20, choices=TmsVariant.choices, blank=True)
    ketamine_route = models.CharField(max_length=20, choices=KetamineRoute.choices, blank=True)
    spravato_rems_certified = models.BooleanField("Spravato REMS certified", null=True, blank=True)
    ect_setting = models.CharField("ECT setting", max_length=20, choices=EctSetting.choices, blank=True)
    vns_role = models.CharField("VNS role", max_length=20, choices=VnsRole.choices, blank=True)
    psychedelic_program = models.CharField(max_length=20, choices=PsychedelicProgram.choices, blank=True)
    self_pay_price = models.DecimalField(
        max_digits=9, decimal_places=2, null=True, blank=True, help_text="US dollars, without insurance."
    )
    price_unit = models.CharField(max_length=40, blank=True, help_text="e.g. 'per session', 'full course'.")
    prior_authorization_help = models.BooleanField(null=True, blank=True)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["treatment__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["center", "treatment"], name="one_detail_per_center_treatment"),
            models.CheckConstraint(
                condition=models.Q(self_pay_price__isnull=True) | models.Q(self_pay_price__gte=0),
                name="self_pay_price_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.treatment} at {self.center}"


def _label(choices: type[models.TextChoices], value: str) -> str:
    """The label of a stored choice ("" when empty); faster than get_FOO_display() in lists."""
    try:
        return choices(value).label if value else ""
    except ValueError:
        return value
