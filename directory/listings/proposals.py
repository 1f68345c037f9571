"""Changes a representative proposes to their listing, and the editor's decision.

A representative never changes the name, address, phone or anything else of a listing
directly: every proposal waits for a listing editor, who sees it as a diff next to the
current listing. Approved changes are saved with the change reason "Proposed by the
center", which the admin's History shows.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from directory import geo
from directory.listings.representatives import representative_actor
from directory.listings.services import absolute, action_record, listing_mail_send, staff_actor
from directory.models import Center, ChangeProposal, Representative
from directory.search.index import centers_refresh_search

# What a representative may propose: field -> label. "location_*" are the first location's.
CENTER_FIELDS = {
    "name": "Name",
    "phone": "Main phone",
    "website": "Website",
    "email": "Public e-mail",
    "description": "About the center",
}
LOCATION_FIELDS = {
    "location_street1": "Street address",
    "location_street2": "Suite, floor",
    "location_city": "City",
    "location_state": "State",
    "location_zip": "ZIP",
    "location_phone": "Phone at this location",
    "location_hours": "Hours",
}
PROPOSABLE = {**CENTER_FIELDS, **LOCATION_FIELDS}
CHANGE_REASON = "Proposed by the center"


def listing_values(center: Center) -> dict[str, str]:
    """The proposable fields as the listing has them now."""
    values = {field: getattr(center, field) or "" for field in CENTER_FIELDS}
    location = center.locations.first()
    for field in LOCATION_FIELDS:
        values[field] = (getattr(location, field.removeprefix("location_")) or "") if location else ""
    return values


def proposal_submit(*, center: Center, representative: Representative, proposed: dict[str, str]) -> ChangeProposal:
    current = listing_values(center)
    changes = {field: value for field, value in proposed.items() if field in PROPOSABLE and value != current[field]}
    proposal = ChangeProposal.objects.create(
        center=center,
        representative=representative,
        changes=changes,
        previous={field: current[field] for field in changes},
    )
    action_record(
        actor=representative_actor(representative),
        action="proposed changes",
        center=center,
        target=f"proposed change #{proposal.pk}",
    )
    return proposal


def proposal_diff(proposal: ChangeProposal) -> list[dict]:
    """Rows for the editor: the field, the listing now, what was proposed, and whether the
    listing changed since the proposal was made."""
    current = listing_values(proposal.center)
    return [
        {
            "label": PROPOSABLE.get(field, field),
            "current": current.get(field, ""),
            "proposed": value,
            "changed_since": current.get(field, "") != proposal.previous.get(field, ""),
        }
        for field, value in proposal.changes.items()
    ]


def proposal_approve(*, proposal: ChangeProposal, user: AbstractBaseUser) -> Center:
    with transaction.atomic():
        center = Center.objects.select_for_update().get(pk=proposal.center_id)
        center_changes = {f: v for f, v in proposal.changes.items() if f in CENTER_FIELDS}
        if center_changes:
            for field, value in center_changes.items():
                setattr(center, field, value)
            center._change_reason = CHANGE_REASON
            center.save()
        location_changes = {f.removeprefix("location_"): v for f, v in proposal.changes.items() if f in LOCATION_FIELDS}
        if location_changes:
            _location_apply(center, location_changes)
        proposal.status = ChangeProposal.Status.APPROVED
        proposal.decided_by, proposal.decided_at = user, timezone.now()
        proposal.save(update_fields=["status", "decided_by", "decided_at"])
        action_record(
            actor=staff_actor(user),
            action="approved proposed changes",
            center=center,
            target=f"proposed change #{proposal.pk}",
        )
    centers_refresh_search(center_ids=[center.pk])
    proposal_notify(proposal=proposal)
    return center


def _location_apply(center: Center, changes: dict[str, str]) -> None:
    location = center.locations.first()
    if location is None:
        return
    for field, value in changes.items():
        setattr(location, field, value)
    place = geo.zip_place(location.zip)
    if "zip" in changes and place is not None:
        location.latitude, location.longitude = place.latitude, place.longitude
    location._change_reason = CHANGE_REASON
    location.save()


def proposal_reject(*, proposal: ChangeProposal, user: AbstractBaseUser, reason: str) -> None:
    proposal.status = ChangeProposal.Status.REJECTED
    proposal.decision_reason = reason
    proposal.decided_by, proposal.decided_at = user, timezone.now()
    proposal.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
    action_record(
        actor=staff_actor(user),
        action="rejected proposed changes",
        center=proposal.center,
        target=f"proposed change #{proposal.pk}",
    )
    proposal_notify(proposal=proposal)


def proposal_notify(*, proposal: ChangeProposal) -> bool:
    if proposal.representative is None:
        return False
    return listing_mail_send(
        to=proposal.representative.email,
        subject=f"Your proposed changes to {proposal.center.name}",
        template="emails/listings/proposal_decided.txt",
        context={
            "proposal": proposal,
            "center": proposal.center,
            "center_url": absolute(proposal.center.get_absolute_url()),
            "portal_url": absolute(reverse("directory:portal_center", args=[proposal.center_id])),
        },
    )
