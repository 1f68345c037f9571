"""Write rules for inquiries, problem reports and verifications.

Inquiries are stored first and announced second, by e-mail queued in the same transaction
and sent outside the request (config/mail.py): a failed or hung mail server never loses an
inquiry or holds a request. The announcement carries only a link to the admin; no log line
carries a field value.
"""

import logging

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from config.mail import email_send_later
from directory.fragments import center_changed
from directory.models import Center, Inquiry, InquiryView, ProblemReport, Verification
from directory.models.outreach import retention_cutoff
from directory.validators import one_line

logger = logging.getLogger(__name__)


def inquiry_submit(
    *,
    center: Center,
    name: str,
    email: str,
    phone: str,
    preferred_contact: str,
    preferred_time: str,
    message: str,
) -> Inquiry:
    inquiry = Inquiry.objects.create(
        center=center,
        name=name,
        email=email,
        phone=phone,
        preferred_contact=preferred_contact,
        preferred_time=preferred_time,
        message=message,
        consent_given_at=timezone.now(),
    )
    logger.info("Inquiry %s stored for center %s.", inquiry.pk, center.pk)
    inquiry_notify(inquiry=inquiry)
    return inquiry


def inquiry_admin_url(inquiry: Inquiry) -> str:
    return settings.SITE_URL + reverse("admin:directory_inquiry_change", args=[inquiry.pk])


def inquiry_notify(*, inquiry: Inquiry) -> None:
    """Queue the e-mail to the center's inquiry address (or the intake team): a link to the
    inquiry, nothing it says. The worker sends it (config/mail.py) and records the outcome
    on the inquiry; failures are retried there, with backoff."""
    recipient = inquiry.notification_recipient
    # Centers and staff read English: the words, the date and the links stay English even when
    # the person asked from a Spanish page (the request's language is active here).
    with translation.override("en"):
        body = render_to_string(
            "emails/inquiry_notification.txt",
            {"inquiry": inquiry, "center": inquiry.center, "admin_url": inquiry_admin_url(inquiry)},
        )
    email_send_later(
        to=[recipient],
        # One line whatever the name holds: a line break in a header makes Django refuse the whole e-mail.
        subject=one_line(f"New inquiry #{inquiry.pk} for {inquiry.center.name}"),
        body=body,
        hook="directory.outreach.services.inquiry_notification_record",
        hook_kwargs={"inquiry_id": inquiry.pk, "recipient": recipient},
    )


def inquiry_notification_record(*, inquiry_id: int, recipient: str, sent: bool, error: str, final: bool) -> None:
    """The worker's word on one delivery attempt (config/mail.py calls it): the kind of error only."""
    attempts = F("notification_attempts") + 1
    if sent:
        Inquiry.objects.filter(pk=inquiry_id).update(
            notified_at=timezone.now(), notified_to=recipient, notification_attempts=attempts, notification_error=""
        )
        return
    Inquiry.objects.filter(pk=inquiry_id).update(notification_attempts=attempts, notification_error=error[:200])
    logger.warning(
        "Notification for inquiry %s failed (%s); %s.",
        inquiry_id,
        error,
        "given up: send_pending_notifications queues it again" if final else "it will be retried",
    )


def inquiries_send_pending() -> int:
    """Queue again the notification of every inquiry not yet announced, oldest first. Returns how many."""
    queued = 0
    for inquiry in Inquiry.objects.unsent().select_related("center").order_by("created_at"):
        inquiry_notify(inquiry=inquiry)
        queued += 1
    return queued


def inquiries_purge() -> int:
    """Delete inquiries past their retention period (their view records go with them)."""
    with transaction.atomic():
        expired = Inquiry.objects.expired()
        count = expired.count()
        expired.delete()
    return count


def problem_reports_forget_contacts() -> int:
    """Blank the reporter's contact on reports older than the retention period."""
    return ProblemReport.objects.filter(created_at__lt=retention_cutoff()).exclude(contact="").update(contact="")


def inquiry_view_record(*, inquiry: Inquiry, user: AbstractBaseUser) -> InquiryView:
    return InquiryView.objects.create(inquiry=inquiry, viewed_by=user, viewed_by_username=user.get_username())


def problem_report_submit(*, center: Center, kind: str, details: str, contact: str) -> ProblemReport:
    report = ProblemReport.objects.create(center=center, kind=kind, details=details, contact=contact)
    logger.info("Problem report %s stored for center %s.", report.pk, center.pk)
    return report


def problem_report_decide(
    *, report: ProblemReport, status: str, listing_changed: bool, note: str, user: AbstractBaseUser
) -> ProblemReport:
    """Move a report through the queue: resolved (with or without a change), rejected, or reopened.

    Who decided and when is set when the decision changes, not when only the note does.
    """
    stored = ProblemReport.objects.filter(pk=report.pk).values_list("status", "listing_changed").first()
    report.status = status
    report.listing_changed = listing_changed and status == ProblemReport.Status.RESOLVED
    report.resolution_note = note
    if status == ProblemReport.Status.OPEN:
        report.resolved_by, report.resolved_at = None, None
    elif stored != (report.status, report.listing_changed) or report.resolved_at is None:
        report.resolved_by, report.resolved_at = user, timezone.now()
    report.save()
    return report


def verification_record(
    *, center: Center, verified_on, method: str, note: str = "", user: AbstractBaseUser | None
) -> Verification:
    """Store a verification; the newest one sets the center's "last verified" line."""
    verification = Verification.objects.create(
        center=center, verified_on=verified_on, method=method, note=note, verified_by=user
    )
    center_provenance_refresh(center=center)
    return verification


def center_provenance_refresh(*, center: Center) -> None:
    """Copy the newest verification onto the center (date, method, who)."""
    newest = center.verifications.order_by("-verified_on", "-created_at").first()
    if newest is None:
        return
    if center.last_verified_on and center.last_verified_on > newest.verified_on:
        return  # an older verification was added after a newer one
    # A queryset update: a verification is not an edit of the listing, so it makes no
    # history entry and leaves updated_at alone.
    Center.objects.filter(pk=center.pk).update(
        last_verified_on=newest.verified_on, verification_method=newest.method, verified_by=newest.verified_by
    )
    center_changed(center.pk)  # no signal either: the page shows the new date
    center.last_verified_on = newest.verified_on
    center.verification_method = newest.method
    center.verified_by = newest.verified_by
