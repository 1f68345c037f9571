"""Public pages for centers: list your center, claim a listing, and the plain pages that
answer an e-mailed link. Nothing a person types is logged; every form is screened by
the honeypot, the form-shown stamp and a per-address limit (directory/outreach/abuse.py).
"""

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from config.public_forms import public_form
from directory.listings.checkups import ANSWERS
from directory.listings.forms import ClaimForm, ListCenterForm, PhoneCodeForm, SignInForm
from directory.listings.links import LinkCheck, link_check, link_use
from directory.listings.representatives import (
    availability_confirm,
    claim_code_check,
    claim_submit,
    claim_verify,
    representative_sign_in,
    sign_in_request,
)
from directory.listings.services import submission_store
from directory.models import AccessLink, Center
from directory.outreach import abuse
from directory.outreach.views import STAMP_MESSAGES


def refused(request, *, reason: str, status: int):
    return render(request, "directory/listings/refused.html", {"reason": reason}, status=status)


def screen(request, form, *, scope: str, rate: str, template: str, context: dict):
    """The anti-abuse checks, cheapest first. Returns a response when the post is refused."""
    if abuse.honeypot_filled(request.POST):
        return refused(request, reason="automated", status=400)
    token = abuse.check_form_token(request.POST.get(abuse.TOKEN_FIELD), form.form_kind)
    if token is abuse.TokenCheck.INVALID:
        return refused(request, reason="automated", status=400)
    if token in STAMP_MESSAGES:
        form.is_valid()
        form.add_error(None, STAMP_MESSAGES[token])
        return render(request, template, {**context, "form": form}, status=400)
    if abuse.rate_limit_reached(request, scope=scope, rate=rate):
        return refused(request, reason="too many", status=429)
    return None


@public_form(max_bytes=64 * 1024)
@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
def list_your_center(request):
    template = "directory/listings/list_your_center.html"
    if request.method == "POST":
        form = ListCenterForm(request.POST)
        rate = settings.LISTING_SUBMISSION_RATE_LIMIT
        refusal = screen(request, form, scope="listing", rate=rate, template=template, context={})
        if refusal:
            return refusal
        if form.is_valid():
            if not abuse.rate_limit_take(request, scope="listing", rate=rate):
                return refused(request, reason="too many", status=429)
            submission_store(listing=form.listing_data(), submitter=form.submitter_data())
            return redirect("directory:list_your_center_sent")
    else:
        form = ListCenterForm()
    return render(request, template, {"form": form})


@require_http_methods(["GET"])
def list_your_center_sent(request):
    return render(request, "directory/listings/list_your_center_sent.html")


@public_form(max_bytes=64 * 1024)
@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
def center_claim(request, slug: str):
    center = get_object_or_404(Center.objects.visible(), slug=slug)
    template = "directory/listings/claim.html"
    if request.method == "POST":
        form = ClaimForm(request.POST, center=center)
        rate = settings.CLAIM_RATE_LIMIT
        refusal = screen(request, form, scope="claim", rate=rate, template=template, context={"center": center})
        if refusal:
            return refusal
        if form.is_valid():
            if not abuse.rate_limit_take(request, scope="claim", rate=rate):
                return refused(request, reason="too many", status=429)
            data = form.cleaned_data
            claim_submit(
                center=center,
                name=" ".join(data["name"].split()),
                role=" ".join(data["role"].split()),
                email=data["email"],
                method=data["method"],
            )
            # The same page whatever is known about the center, its claims or the address.
            return redirect("directory:center_claim_sent", slug=center.slug)
    else:
        form = ClaimForm(center=center)
    return render(request, template, {"center": center, "form": form})


@require_http_methods(["GET"])
def center_claim_sent(request, slug: str):
    center = get_object_or_404(Center.objects.visible(), slug=slug)
    context = {"center": center, "claim_link_hours": settings.CLAIM_LINK_HOURS}
    return render(request, "directory/listings/claim_sent.html", context)


def link_problem(request, check: LinkCheck, *, kind: str):
    """A plain page for a link that cannot be used: why, and what to do next."""
    return render(
        request, "directory/listings/link_problem.html", {"state": check.state.value, "kind": kind}, status=410
    )


@never_cache
@require_http_methods(["GET", "POST"])
def claim_confirm(request, token: str):
    """The e-mail proof: the claimant opens the link, then presses one button."""
    purpose = AccessLink.Purpose.CLAIM_EMAIL
    check = link_use(token, purpose=purpose) if request.method == "POST" else link_check(token, purpose=purpose)
    if not check.ok:
        return link_problem(request, check, kind="claim")
    claim = check.link.claim
    if request.method == "POST":
        representative = claim_verify(claim=claim)
        representative_sign_in(request, representative)
        return redirect("directory:portal_center", center_id=claim.center_id)
    return render(request, "directory/listings/claim_confirm.html", {"claim": claim, "center": claim.center})


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
def claim_code(request, token: str):
    """The phone proof: the claimant types the code staff read out on the center's phone."""
    purpose = AccessLink.Purpose.CLAIM_CODE
    check = link_check(token, purpose=purpose)
    if not check.ok:
        return link_problem(request, check, kind="claim")
    claim = check.link.claim
    form = PhoneCodeForm(request.POST or None)
    too_many = False
    if request.method == "POST" and form.is_valid():
        right = claim_code_check(claim=claim, code=form.cleaned_data["code"])
        if right and link_use(token, purpose=purpose).ok:
            representative = claim_verify(claim=claim)
            representative_sign_in(request, representative)
            return redirect("directory:portal_center", center_id=claim.center_id)
        too_many = right is None
        if right is False:
            form.add_error("code", "That is not the code we read out. Check it and try again.")
    context = {"claim": claim, "center": claim.center, "form": form, "too_many": too_many}
    return render(request, "directory/listings/claim_code.html", context, status=200 if not too_many else 429)


@public_form(max_bytes=64 * 1024)
@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
def representative_sign_in_request(request):
    template = "directory/listings/sign_in.html"
    if request.method == "POST":
        form = SignInForm(request.POST)
        rate = settings.SIGN_IN_RATE_LIMIT
        refusal = screen(request, form, scope="sign-in", rate=rate, template=template, context={})
        if refusal:
            return refusal
        if form.is_valid():
            if not abuse.rate_limit_take(request, scope="sign-in", rate=rate):
                return refused(request, reason="too many", status=429)
            sign_in_request(email=form.cleaned_data["email"])
            # Whether or not the address is known, the answer is this same page.
            return redirect("directory:representative_sign_in_sent")
    else:
        form = SignInForm()
    return render(request, template, {"form": form})


@require_http_methods(["GET"])
def representative_sign_in_sent(request):
    return render(request, "directory/listings/sign_in_sent.html")


@never_cache
@require_http_methods(["GET", "POST"])
def representative_link(request, token: str):
    purpose = AccessLink.Purpose.SIGN_IN
    check = link_use(token, purpose=purpose) if request.method == "POST" else link_check(token, purpose=purpose)
    if not check.ok:
        return link_problem(request, check, kind="sign-in")
    if request.method == "POST":
        representative_sign_in(request, check.link.representative)
        return redirect("directory:portal")
    return render(request, "directory/listings/sign_in_confirm.html")


@never_cache
@require_http_methods(["GET", "POST"])
def checkup(request, token: str):
    """A checkup link: GET shows the chosen answer and one button; POST applies it."""
    purpose = AccessLink.Purpose.CHECKUP
    answer = request.POST.get("answer") or request.GET.get("answer")
    if answer not in ANSWERS:
        answer = None
    applying = request.method == "POST" and answer is not None
    check = link_use(token, purpose=purpose) if applying else link_check(token, purpose=purpose)
    if not check.ok:
        return link_problem(request, check, kind="checkup")
    link = check.link
    center, representative = link.center, link.representative
    if not applying:
        context = {"center": center, "answer": answer, "answers": ANSWERS}
        return render(request, "directory/listings/checkup.html", context)
    if not representative.representations.active().filter(center=center).exists():
        return link_problem(request, check, kind="checkup")
    if answer == "changed":
        representative_sign_in(request, representative)
        return redirect("directory:portal_propose", center_id=center.pk)
    accepting = Center.Accepting.YES if answer == "accepting" else Center.Accepting.NO
    availability_confirm(
        center=center, representative=representative, accepting=accepting, typical_wait=center.typical_wait
    )
    return render(request, "directory/listings/checkup_done.html", {"center": center, "answer": ANSWERS[answer]})
