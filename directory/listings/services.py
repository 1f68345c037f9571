"""Write rules for listing submissions: store, approve as a new center, merge into an
existing one, reject; tell the submitter; record who did what.

No log line or audit row carries what a person wrote: record numbers and actions only.
"""

import logging
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from config.mail import email_send_later
from directory import geo
from directory.importers.identity import slug_candidate
from directory.models import (
    AgeGroup,
    CareSetting,
    Center,
    CenterTreatment,
    Language,
    ListingAction,
    ListingSubmission,
    Location,
    PaymentOption,
    Treatment,
)
from directory.outreach.services import verification_record
from directory.search.index import centers_refresh_search
from directory.validators import one_line

logger = logging.getLogger(__name__)

SOURCE_LISTED_BY_CENTER = "Listed by the center"
LOOKUPS = {
    "care_settings": CareSetting,
    "payment_options": PaymentOption,
    "age_groups": AgeGroup,
    "languages": Language,
}
DETAIL_FIELDS = ("tms_variant", "ketamine_route", "ect_setting", "vns_role", "psychedelic_program")


def staff_actor(user: AbstractBaseUser) -> str:
    return f"staff {user.get_username()}"


def action_record(*, actor: str, action: str, center: Center | None = None, target: str = "") -> ListingAction:
    """One line of the listing audit trail: never a field value, only who, what, which center."""
    return ListingAction.objects.create(center=center, actor=actor[:160], action=action[:60], target=target[:80])


def listing_mail_send(*, to: str, subject: str, template: str, context: dict) -> bool:
    """Queue one e-mail about a listing (config/mail.py sends and retries it outside the
    request). Returns True once queued: a mail failure never undoes the decision it reports."""
    # E-mails to centers and staff are in English, with English dates, whatever page the action came from.
    with translation.override("en"):
        body = render_to_string(template, {**context, "site_url": settings.SITE_URL})
    # One line whatever a center's name holds: a line break in a header makes Django refuse the e-mail.
    email_send_later(to=[to], subject=one_line(subject), body=body)
    return True


def absolute(url: str) -> str:
    return settings.SITE_URL + url


def submission_store(*, listing: dict, submitter: dict) -> ListingSubmission:
    submission = ListingSubmission.objects.create(**listing, **submitter)
    logger.info("Listing submission %s stored.", submission.pk)
    action_record(actor="public", action="submitted a listing", target=f"submission #{submission.pk}")
    return submission


def _unique_slug(name: str, city: str, state: str) -> str:
    candidate = slug_candidate(name, city, state)
    slug, serial = candidate, 1
    while Center.objects.filter(slug=slug).exists():
        serial += 1
        slug = f"{candidate}-{serial}"
    return slug


def _location_create(center: Center, location: dict, sort_order: int) -> Location | None:
    place = geo.zip_place(location["zip"])
    if place is None:
        return None
    return Location.objects.create(
        center=center,
        street1=location["street1"],
        street2=location.get("street2", ""),
        city=location["city"],
        state=location["state"],
        zip=location["zip"],
        latitude=place.latitude,
        longitude=place.longitude,
        phone=location.get("phone", ""),
        sort_order=sort_order,
    )


def _offer_values(offer: dict) -> dict:
    values = {field: offer.get(field, "") for field in DETAIL_FIELDS}
    rems = offer.get("spravato_rems_certified", "")
    values["spravato_rems_certified"] = {"yes": True, "no": False}.get(rems)
    price = offer.get("self_pay_price") or ""
    values["self_pay_price"] = Decimal(price) if price else None
    values["price_unit"] = offer.get("price_unit", "")
    values["prior_authorization_help"] = True if offer.get("prior_authorization_help") else None
    return values


def _offers_apply(center: Center, treatments: list[dict]) -> None:
    """Add the submitted treatments; for ones already listed, fill in what was given."""
    by_slug = {treatment.slug: treatment for treatment in Treatment.objects.all()}
    for offer in treatments:
        treatment = by_slug.get(offer.get("slug"))
        if treatment is None:
            continue
        values = {key: value for key, value in _offer_values(offer).items() if value not in ("", None)}
        detail, created = CenterTreatment.objects.get_or_create(center=center, treatment=treatment, defaults=values)
        if not created and values:
            for key, value in values.items():
                setattr(detail, key, value)
            detail.save()


def _lookups_add(center: Center, submission: ListingSubmission) -> None:
    for field, model in LOOKUPS.items():
        slugs = getattr(submission, field) or []
        if slugs:
            getattr(center, field).add(*model.objects.filter(slug__in=slugs))


def _decide(submission: ListingSubmission, *, status: str, user: AbstractBaseUser, center=None, reason="") -> None:
    submission.status = status
    submission.center = center
    submission.decision_reason = reason
    submission.decided_by = user
    submission.decided_at = timezone.now()
    submission.save(update_fields=["status", "center", "decision_reason", "decided_by", "decided_at"])


def _availability_from(submission: ListingSubmission) -> dict:
    return {
        "accepting_new_patients": submission.accepting_new_patients,
        "accepting_checked_on": timezone.localdate(submission.created_at),
        "accepting_reported_by_center": True,
        "typical_wait": submission.typical_wait,
    }


def submission_approve(*, submission: ListingSubmission, user: AbstractBaseUser, method: str) -> Center:
    """Publish the submission as a new center, verified today by `method`."""
    first = submission.locations[0]
    with transaction.atomic():
        center = Center.objects.create(
            name=submission.center_name,
            slug=_unique_slug(submission.center_name, first["city"], first["state"]),
            description=submission.description,
            phone=submission.phone,
            website=submission.website,
            status=Center.Status.PUBLISHED,
            source=SOURCE_LISTED_BY_CENTER,
            source_key=f"submission:{submission.pk}",
            **_availability_from(submission),
        )
        for order, location in enumerate(submission.locations):
            _location_create(center, location, order)
        _offers_apply(center, submission.treatments)
        _lookups_add(center, submission)
        verification_record(
            center=center,
            verified_on=timezone.localdate(),
            method=method,
            note=f"Approved listing submission #{submission.pk}.",
            user=user,
        )
        _decide(submission, status=ListingSubmission.Status.APPROVED, user=user, center=center)
        action_record(
            actor=staff_actor(user), action="approved a listing", center=center, target=f"submission #{submission.pk}"
        )
    centers_refresh_search(center_ids=[center.pk])
    submission_notify(submission=submission)
    return center


def submission_merge(*, submission: ListingSubmission, center: Center, user: AbstractBaseUser) -> Center:
    """Apply the submission to an existing center: add what it lacks, take the center's
    word on treatments and availability; name, phone and website stay as they are unless empty."""
    with transaction.atomic():
        center = Center.objects.select_for_update().get(pk=center.pk)
        for field in ("phone", "website", "description"):
            if not getattr(center, field) and getattr(submission, field):
                setattr(center, field, getattr(submission, field))
        for key, value in _availability_from(submission).items():
            setattr(center, key, value)
        center.save()
        known = {(loc.street1.casefold().strip(), loc.zip[:5]) for loc in center.locations.all()}
        order = center.locations.count()
        for location in submission.locations:
            if (location["street1"].casefold().strip(), location["zip"][:5]) not in known:
                _location_create(center, location, order)
                order += 1
        _offers_apply(center, submission.treatments)
        _lookups_add(center, submission)
        _decide(submission, status=ListingSubmission.Status.MERGED, user=user, center=center)
        action_record(
            actor=staff_actor(user),
            action="merged a submission into the listing",
            center=center,
            target=f"submission #{submission.pk}",
        )
    centers_refresh_search(center_ids=[center.pk])
    submission_notify(submission=submission)
    return center


def submission_reject(*, submission: ListingSubmission, user: AbstractBaseUser, reason: str) -> None:
    _decide(submission, status=ListingSubmission.Status.REJECTED, user=user, reason=reason)
    action_record(actor=staff_actor(user), action="rejected a submission", target=f"submission #{submission.pk}")
    submission_notify(submission=submission)


def submission_notify(*, submission: ListingSubmission) -> bool:
    """Tell the submitter the outcome."""
    context = {"submission": submission, "center": submission.center}
    if submission.center is not None:
        context["center_url"] = absolute(submission.center.get_absolute_url())
    subjects = {
        ListingSubmission.Status.APPROVED: f"{submission.center_name} is now listed",
        ListingSubmission.Status.MERGED: f"Your details for {submission.center_name} are now listed",
        ListingSubmission.Status.REJECTED: f"About your listing for {submission.center_name}",
    }
    return listing_mail_send(
        to=submission.submitter_email,
        subject=subjects[submission.status],
        template="emails/listings/submission_decided.txt",
        context=context,
    )
