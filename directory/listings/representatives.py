"""Write rules for claims and representatives: claim a listing, prove control by e-mail
or by a code read out on the phone, sign in with an e-mailed link, confirm availability
in one click, revoke. Nothing changes for a center until control is proven.
"""

import hmac
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from directory.listings.links import link_issue
from directory.listings.services import absolute, action_record, listing_mail_send, staff_actor
from directory.models import AccessLink, Center, CenterClaim, Representation, Representative

logger = logging.getLogger(__name__)

SESSION_KEY = "listings_representative_id"
CODE_ATTEMPTS = 5


def representative_actor(representative: Representative) -> str:
    return f"representative #{representative.pk}"


def claim_submit(*, center: Center, name: str, role: str, email: str, method: str) -> CenterClaim:
    """Store a claim and send the claimant what proves it: a link (e-mail proof), or a link
    to the page where they type the code staff will read out on the center's phone."""
    email = email.lower()
    if method == CenterClaim.Method.EMAIL:
        claim = CenterClaim.objects.create(
            center=center, name=name, role=role, email=email, method=method, status=CenterClaim.Status.EMAIL_SENT
        )
        token = link_issue(
            purpose=AccessLink.Purpose.CLAIM_EMAIL, lifetime=timedelta(hours=settings.CLAIM_LINK_HOURS), claim=claim
        )
        url = absolute(reverse("directory:claim_confirm", args=[token]))
        template = "emails/listings/claim_email.txt"
    else:
        claim = CenterClaim.objects.create(
            center=center,
            name=name,
            role=role,
            email=email,
            method=method,
            status=CenterClaim.Status.CALL_NEEDED,
            phone_code=f"{secrets.randbelow(10**6):06d}",
        )
        token = link_issue(
            purpose=AccessLink.Purpose.CLAIM_CODE, lifetime=timedelta(days=settings.CLAIM_CODE_LINK_DAYS), claim=claim
        )
        url = absolute(reverse("directory:claim_code", args=[token]))
        template = "emails/listings/claim_phone.txt"
    action_record(actor="public", action=f"claimed the listing ({method})", center=center, target=f"claim #{claim.pk}")
    listing_mail_send(
        to=email,
        subject=f"Confirm that you work at {center.name}",
        template=template,
        context={"claim": claim, "center": center, "url": url, "hours": settings.CLAIM_LINK_HOURS},
    )
    return claim


def claim_verify(*, claim: CenterClaim) -> Representative:
    """Control is proven: the claimant becomes (or stays) a representative of the center."""
    with transaction.atomic():
        representative, _ = Representative.objects.get_or_create(email=claim.email, defaults={"name": claim.name})
        representation, created = Representation.objects.get_or_create(
            representative=representative,
            center=claim.center,
            defaults={"role": claim.role, "proof": claim.method},
        )
        if not created:
            representation.revoked_at = None
            representation.revoked_by = None
            representation.role, representation.proof, representation.granted_at = (
                claim.role,
                claim.method,
                timezone.now(),
            )
            representation.save()
        claim.status = CenterClaim.Status.VERIFIED
        claim.decided_at = timezone.now()
        claim.save(update_fields=["status", "decided_at"])
        center = Center.objects.select_for_update().get(pk=claim.center_id)
        # Inquiry announcements go to the center's own proven address unless staff set one.
        updates = {}
        if not center.inquiry_email:
            updates["inquiry_email"] = representative.email
        if center.center_confirmed_on is None:
            updates["center_confirmed_on"] = timezone.localdate()
        if updates:
            Center.objects.filter(pk=center.pk).update(**updates)
        action_record(
            actor=representative_actor(representative),
            action=f"proved control of the listing ({claim.method})",
            center=claim.center,
            target=f"claim #{claim.pk}",
        )
    return representative


def claim_code_check(*, claim: CenterClaim, code: str) -> bool | None:
    """True when the code is right, False when wrong, None when too many tries were made."""
    if claim.code_attempts >= CODE_ATTEMPTS or claim.status != CenterClaim.Status.CALL_NEEDED:
        return None
    CenterClaim.objects.filter(pk=claim.pk).update(code_attempts=claim.code_attempts + 1)
    claim.code_attempts += 1
    return bool(claim.phone_code) and hmac.compare_digest(claim.phone_code, "".join(code.split()))


def claim_mark_called(*, claim: CenterClaim, user: AbstractBaseUser) -> None:
    claim.called_at, claim.called_by = timezone.now(), user
    claim.save(update_fields=["called_at", "called_by"])
    action_record(
        actor=staff_actor(user), action="called to verify a claim", center=claim.center, target=f"claim #{claim.pk}"
    )


def claim_reject(*, claim: CenterClaim, user: AbstractBaseUser, note: str = "") -> None:
    claim.status, claim.decided_at = CenterClaim.Status.REJECTED, timezone.now()
    claim.note = note or claim.note
    claim.save(update_fields=["status", "decided_at", "note"])
    action_record(actor=staff_actor(user), action="rejected a claim", center=claim.center, target=f"claim #{claim.pk}")


def representation_revoke(*, representation: Representation, user: AbstractBaseUser) -> None:
    if representation.revoked_at is not None:
        return
    representation.revoked_at, representation.revoked_by = timezone.now(), user
    representation.save(update_fields=["revoked_at", "revoked_by"])
    action_record(
        actor=staff_actor(user),
        action="revoked a representative",
        center=representation.center,
        target=representative_actor(representation.representative),
    )


def sign_in_request(*, email: str) -> None:
    """E-mail a sign-in link if the address belongs to an active representative; otherwise
    do nothing. The caller answers the same either way."""
    representative = Representative.objects.filter(email=email.lower()).first()
    if representative is None or not representative.representations.active().exists():
        return
    token = link_issue(
        purpose=AccessLink.Purpose.SIGN_IN,
        lifetime=timedelta(minutes=settings.SIGN_IN_LINK_MINUTES),
        representative=representative,
    )
    listing_mail_send(
        to=representative.email,
        subject="Your sign-in link",
        template="emails/listings/sign_in.txt",
        context={
            "url": absolute(reverse("directory:representative_link", args=[token])),
            "minutes": settings.SIGN_IN_LINK_MINUTES,
        },
    )


def representative_sign_in(request: HttpRequest, representative: Representative) -> None:
    """A representative's own session: never a Django user, so never the admin."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = representative.pk
    request.session.set_expiry(settings.REPRESENTATIVE_SESSION_HOURS * 3600)
    Representative.objects.filter(pk=representative.pk).update(last_signed_in_at=timezone.now())
    action_record(actor=representative_actor(representative), action="signed in")


def representative_sign_out(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()


def signed_in_representative(request: HttpRequest) -> Representative | None:
    pk = request.session.get(SESSION_KEY)
    if pk is None:
        return None
    return Representative.objects.filter(pk=pk).first()


def availability_confirm(
    *, center: Center, representative: Representative, accepting: str, typical_wait: str
) -> Center:
    """The one click: applies at once, dated today, shown as reported by the center."""
    today = timezone.localdate()
    center.accepting_new_patients = accepting
    center.accepting_checked_on = today
    center.accepting_reported_by_center = True
    center.center_confirmed_on = today
    center.typical_wait = typical_wait
    center._change_reason = "Availability reported by the center"
    center.save()
    action_record(
        actor=representative_actor(representative),
        action="still accepting" if accepting == Center.Accepting.YES else "not accepting",
        center=center,
    )
    return center
