"""What the admin index shows listing editors: open queues and how fresh claimed listings are."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from directory.models import Center, CenterClaim, ChangeProposal, ListingSubmission, Representation


def listing_counts() -> dict[str, int]:
    """Also "days": the CENTER_CONFIRMATION_DAYS the "unconfirmed" count uses."""
    claimed = Exists(Representation.objects.active().filter(center=OuterRef("pk")))
    published = Center.objects.published().annotate(claimed=claimed)
    cutoff = timezone.localdate() - timedelta(days=settings.CENTER_CONFIRMATION_DAYS)
    return {
        "submissions": ListingSubmission.objects.filter(status=ListingSubmission.Status.PENDING).count(),
        "claims": CenterClaim.objects.open().count(),
        "calls": CenterClaim.objects.calls_to_make().count(),
        "proposals": ChangeProposal.objects.filter(status=ChangeProposal.Status.PENDING).count(),
        "claimed": published.filter(claimed=True).count(),
        "unclaimed": published.filter(claimed=False).count(),
        "unconfirmed": published.filter(claimed=True)
        .filter(Q(center_confirmed_on__isnull=True) | Q(center_confirmed_on__lt=cutoff))
        .count(),
        "days": settings.CENTER_CONFIRMATION_DAYS,
    }
