"""Keeping availability fresh: `manage.py send_listing_checkups` writes to each claimed
center's representatives with three one-click links ("still accepting", "not accepting",
"something changed"); each e-mail's links share one single-use token."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from directory.listings.links import link_issue
from directory.listings.services import absolute, listing_mail_send
from directory.models import AccessLink, Center, Representation

ANSWERS = {
    "accepting": "Still accepting new patients",
    "not-accepting": "Not accepting new patients",
    "changed": "Something changed",
}


def representations_due():
    """Active representations of visible centers not written to for CHECKUP_INTERVAL_DAYS."""
    cutoff = timezone.now() - timedelta(days=settings.CHECKUP_INTERVAL_DAYS)
    return (
        Representation.objects.active()
        .filter(center__status=Center.Status.PUBLISHED)
        .filter(Q(last_checkup_sent_at__isnull=True) | Q(last_checkup_sent_at__lt=cutoff))
        .select_related("center", "representative")
        .order_by("pk")
    )


def checkups_send() -> tuple[int, int]:
    """Send the due checkups. Returns (sent, failed); a failed one is tried again next run."""
    sent = failed = 0
    for representation in representations_due():
        token = link_issue(
            purpose=AccessLink.Purpose.CHECKUP,
            lifetime=timedelta(days=settings.CHECKUP_LINK_DAYS),
            representative=representation.representative,
            center=representation.center,
        )
        base = absolute(reverse("directory:checkup", args=[token]))
        links = [(label, f"{base}?answer={answer}") for answer, label in ANSWERS.items()]
        ok = listing_mail_send(
            to=representation.representative.email,
            subject=f"Is {representation.center.name} accepting new patients?",
            template="emails/listings/checkup.txt",
            context={"center": representation.center, "links": links, "days": settings.CHECKUP_LINK_DAYS},
        )
        if ok:
            Representation.objects.filter(pk=representation.pk).update(last_checkup_sent_at=timezone.now())
            sent += 1
        else:
            failed += 1
    return sent, failed
