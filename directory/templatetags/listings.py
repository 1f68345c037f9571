from django import template
from django.conf import settings
from django.urls import reverse

register = template.Library()


@register.simple_tag
def portal_inquiry_url(inquiry) -> str:
    """Where a center's representative reads an inquiry (the admin link is for staff)."""
    return settings.SITE_URL + reverse("directory:portal_inquiry", args=[inquiry.center_id, inquiry.pk])


@register.simple_tag
def listing_queue_counts(user) -> dict | None:
    """Open counts of the three queues and the claimed/unclaimed/unconfirmed centers, for
    the admin index; None for staff who are not listing editors."""
    from directory.listings.admin import may_edit_listings
    from directory.listings.counts import listing_counts

    return listing_counts() if may_edit_listings(user) else None
