"""Centers keeping their own listings: submissions, claims, representatives, proposed
changes, the one-time links that prove who is who, and a record of every action.

Who sent what is personal data: visible only to listing editors and superusers
(directory/listings/admin.py), never logged, never public. The audit trail names who did
what to which center and when, and nothing else.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from directory.models.centers import Center
from directory.validators import NAME_VALIDATORS, validate_one_line


class ListingSubmission(models.Model):
    """A center asking to be listed. Nothing of it is public until an editor decides."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an editor"
        APPROVED = "approved", "Approved as a new center"
        MERGED = "merged", "Merged into an existing center"
        REJECTED = "rejected", "Rejected"

    # The listing as the center wrote it. Treatments, locations and the lists are kept as
    # given (slugs and plain values) and become rows only when an editor approves.
    center_name = models.CharField(max_length=200, validators=NAME_VALIDATORS)
    website = models.URLField()
    phone = models.CharField("main phone", max_length=40, validators=[validate_one_line])
    description = models.TextField(blank=True, max_length=1000)
    locations = models.JSONField(default=list, help_text="Each location's address, as submitted.")
    treatments = models.JSONField(default=list, help_text="Each treatment with its details and price.")
    care_settings = models.JSONField(default=list, blank=True)
    payment_options = models.JSONField(default=list, blank=True)
    age_groups = models.JSONField(default=list, blank=True)
    languages = models.JSONField(default=list, blank=True)
    accepting_new_patients = models.CharField(max_length=10, choices=Center.Accepting.choices)
    typical_wait = models.CharField(max_length=100, blank=True, validators=[validate_one_line])

    # Who sent it: the minimum to reply, and to judge whether they speak for the center.
    submitter_name = models.CharField(max_length=100, validators=[validate_one_line])
    submitter_role = models.CharField(max_length=100, validators=[validate_one_line])
    submitter_email = models.EmailField()

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    center = models.ForeignKey(
        Center,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
        help_text="The center it became, or was merged into.",
    )
    decision_reason = models.TextField(blank=True, help_text="Sent to the submitter when the submission is rejected.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "listing submission"

    def __str__(self) -> str:
        return f"Submission #{self.pk}: {self.center_name}"


class Representative(models.Model):
    """A person who proved they speak for one or more centers. Not a staff account: a
    representative signs in with e-mailed links and can never reach the admin."""

    email = models.EmailField(unique=True)
    name = models.CharField(max_length=100, validators=[validate_one_line])
    created_at = models.DateTimeField(default=timezone.now)
    last_signed_in_at = models.DateTimeField(null=True, blank=True)

    centers = models.ManyToManyField(Center, through="Representation", related_name="representatives")

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return f"Representative #{self.pk}"

    def active_centers(self):
        return Center.objects.filter(
            representations__representative=self, representations__revoked_at__isnull=True
        ).distinct()


class RepresentationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class Representation(models.Model):
    """That a representative may act for a center, since when, proven how; until revoked."""

    class Proof(models.TextChoices):
        EMAIL = "email", "E-mail at the center's website domain"
        PHONE = "phone", "Code read out on the center's listed phone"

    representative = models.ForeignKey(Representative, on_delete=models.CASCADE, related_name="representations")
    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="representations")
    role = models.CharField(max_length=100, blank=True, validators=[validate_one_line])
    proof = models.CharField(max_length=10, choices=Proof.choices)
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_checkup_sent_at = models.DateTimeField(null=True, blank=True)

    objects = RepresentationQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(fields=["representative", "center"], name="one_representation_per_center"),
        ]

    def __str__(self) -> str:
        return f"{self.representative} for {self.center}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class CenterClaimQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=[CenterClaim.Status.EMAIL_SENT, CenterClaim.Status.CALL_NEEDED])

    def calls_to_make(self):
        return self.filter(status=CenterClaim.Status.CALL_NEEDED, called_at__isnull=True)


class CenterClaim(models.Model):
    """Someone saying "this is my center". Nothing changes until they prove control."""

    class Method(models.TextChoices):
        EMAIL = "email", "E-mail at the center's website domain"
        PHONE = "phone", "A code read out on the center's listed phone"

    class Status(models.TextChoices):
        EMAIL_SENT = "email_sent", "Waiting for the e-mail link"
        CALL_NEEDED = "call_needed", "Call to verify"
        VERIFIED = "verified", "Verified"
        REJECTED = "rejected", "Rejected"

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="claims")
    name = models.CharField("claimant's name", max_length=100, validators=[validate_one_line])
    role = models.CharField("claimant's role", max_length=100, validators=[validate_one_line])
    email = models.EmailField("work e-mail")
    method = models.CharField(max_length=10, choices=Method.choices)
    status = models.CharField(max_length=12, choices=Status.choices, db_index=True)
    # For phone proof: staff read this code out on the center's listed number, and the
    # claimant types it on the page their e-mail links to.
    phone_code = models.CharField(max_length=8, blank=True)
    code_attempts = models.PositiveSmallIntegerField(default=0)
    called_at = models.DateTimeField(null=True, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, help_text="For staff: what was checked.")

    objects = CenterClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "claim"

    def __str__(self) -> str:
        return f"Claim #{self.pk} for {self.center}"


class AccessLink(models.Model):
    """A single-use, expiring link sent by e-mail. Only a hash of its secret is stored;
    the link itself is also signed (directory/listings/links.py)."""

    class Purpose(models.TextChoices):
        SIGN_IN = "sign_in", "Sign in"
        CLAIM_EMAIL = "claim_email", "Prove a claim by e-mail"
        CLAIM_CODE = "claim_code", "Enter a claim's phone code"
        CHECKUP = "checkup", "Listing checkup"

    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    secret_hash = models.CharField(max_length=64, unique=True)
    representative = models.ForeignKey(Representative, null=True, blank=True, on_delete=models.CASCADE)
    claim = models.ForeignKey(CenterClaim, null=True, blank=True, on_delete=models.CASCADE)
    center = models.ForeignKey(Center, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "access link"

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} link #{self.pk}"


class ChangeProposal(models.Model):
    """Changes a representative asks for; an editor applies or rejects them."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an editor"
        APPROVED = "approved", "Approved and applied"
        REJECTED = "rejected", "Rejected"

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="change_proposals")
    representative = models.ForeignKey(
        Representative, null=True, on_delete=models.SET_NULL, related_name="change_proposals"
    )
    changes = models.JSONField(help_text="Field name to proposed value; only what differs from the listing.")
    previous = models.JSONField(help_text="The same fields as the listing had them when proposed.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    decision_reason = models.TextField(blank=True, help_text="Sent to the representative when rejected.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "proposed change"

    def __str__(self) -> str:
        return f"Proposed change #{self.pk} for {self.center}"


class ListingAction(models.Model):
    """Who did what to which center, and when: never what anyone wrote."""

    center = models.ForeignKey(Center, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor = models.CharField(max_length=160, help_text="'staff NAME', 'representative #N' or 'public'.")
    action = models.CharField(max_length=60)
    target = models.CharField(max_length=80, blank=True, help_text="e.g. 'submission #12'.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "listing action"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor}: {self.action}"
