"""What people send us about centers, and what staff record about them.

Inquiries are health data: collected minimally, visible only to the Intake group and
superusers (every view of one is recorded as an InquiryView), never logged, and deleted
INQUIRY_RETENTION_DAYS after they arrive (`manage.py purge_inquiries`).
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models.centers import Center
from directory.validators import validate_one_line


def retention_cutoff():
    """Inquiries received before this moment are past their retention period."""
    return timezone.now() - timedelta(days=settings.INQUIRY_RETENTION_DAYS)


class InquiryQuerySet(models.QuerySet):
    def unsent(self):
        """Inquiries whose notification e-mail has not gone out yet (to be retried)."""
        return self.filter(notified_at__isnull=True)

    def expired(self):
        return self.filter(created_at__lt=retention_cutoff())


class Inquiry(models.Model):
    class ContactMethod(models.TextChoices):
        PHONE = "phone", _("Phone call")
        TEXT = "text", _("Text message")
        EMAIL = "email", _("E-mail")

    class ContactTime(models.TextChoices):
        ANY = "any", _("Any time")
        MORNING = "morning", _("Morning")
        AFTERNOON = "afternoon", _("Afternoon")
        EVENING = "evening", _("Evening")

    class Status(models.TextChoices):
        NEW = "new", "New"
        IN_PROGRESS = "in_progress", "Being handled"
        CLOSED = "closed", "Closed"

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="inquiries")
    name = models.CharField(max_length=100, validators=[validate_one_line])
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True, validators=[validate_one_line])
    preferred_contact = models.CharField(max_length=10, choices=ContactMethod.choices)
    preferred_time = models.CharField(max_length=10, choices=ContactTime.choices, default=ContactTime.ANY)
    message = models.TextField(max_length=1000)
    consent_given_at = models.DateTimeField(help_text="When the person agreed to share the message with the center.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    # The notification e-mail (a link to this page, never the message). Unsent ones are
    # retried by `manage.py send_pending_notifications`.
    notified_to = models.EmailField(blank=True)
    notified_at = models.DateTimeField(null=True, blank=True, db_index=True)
    notification_attempts = models.PositiveSmallIntegerField(default=0)
    notification_error = models.CharField(max_length=200, blank=True, help_text="The kind of the last failure.")

    objects = InquiryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "inquiries"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(email="") | ~models.Q(phone=""), name="inquiry_has_a_reply_path"
            ),
        ]

    def __str__(self) -> str:
        # Never the person's name: this string appears in admin messages and logs.
        return f"Inquiry #{self.pk} for {self.center}"

    @property
    def notification_recipient(self) -> str:
        return self.center.inquiry_email or settings.INTAKE_EMAIL


class InquiryView(models.Model):
    """One opening of an inquiry's admin page: who and when (an audit trail)."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="views")
    viewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # Kept when the account is deleted, so the trail still names who it was.
    viewed_by_username = models.CharField(max_length=150)
    viewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-viewed_at"]
        verbose_name = "inquiry view"

    def __str__(self) -> str:
        return f"{self.viewed_by_username} viewed inquiry #{self.inquiry_id} at {self.viewed_at:%Y-%m-%d %H:%M}"


class ProblemReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ProblemReport.Status.OPEN)

    def changed_listing(self):
        """Resolved reports that led to a change of the listing."""
        return self.filter(status=ProblemReport.Status.RESOLVED, listing_changed=True)


class ProblemReport(models.Model):
    class Kind(models.TextChoices):
        CLOSED = "closed", _("The center has closed")
        PHONE = "phone", _("Phone number")
        ADDRESS = "address", _("Address")
        TREATMENTS = "treatments", _("Treatments offered")
        INSURANCE = "insurance", _("Insurance or payment")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"
        REJECTED = "rejected", "Rejected"

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="problem_reports")
    kind = models.CharField("what is wrong", max_length=12, choices=Kind.choices)
    details = models.TextField(max_length=2000)
    contact = models.CharField(
        max_length=200,
        blank=True,
        help_text="Optional e-mail or phone of the reporter, for questions.",
        validators=[validate_one_line],
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    listing_changed = models.BooleanField(
        "listing changed",
        default=False,
        help_text='Resolved with a change: the center page shows "Updated DATE after a report".',
    )
    resolution_note = models.TextField(blank=True, help_text="For staff: what was checked and done.")
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = ProblemReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "problem report"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(listing_changed=False) | models.Q(status="resolved"),
                name="only_resolved_reports_change_listings",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.center}"

    def clean(self):
        if self.listing_changed and self.status != self.Status.RESOLVED:
            raise ValidationError({"listing_changed": "Only a resolved report can have changed the listing."})


class Verification(models.Model):
    """A check that a listing is true: the newest one sets the center's "last verified" line."""

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="verifications")
    verified_on = models.DateField(default=timezone.localdate)
    method = models.CharField(max_length=20, choices=Center.VerificationMethod.choices)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True, help_text="e.g. 'Called the front desk; phone and hours confirmed.'")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-verified_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.center} verified on {self.verified_on} by {self.get_method_display()}"

    def clean(self):
        if self.verified_on and self.verified_on > timezone.localdate():
            raise ValidationError({"verified_on": "A verification cannot be in the future."})
