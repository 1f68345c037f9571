"""Public pages for centers: list your center, claim a listing, and the plain pages that
answer an e-mailed link. Nothing a person types is logged; every form is screened by
the honeypot, the form-shown stamp and a per-address limit (directory/outreach/abuse.py).
"""

from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from directory.listings.forms import ListCenterForm
from directory.listings.services import submission_store
from directory.outreach import abuse
from directory.outreach.views import EXPIRED_MESSAGE, TOO_FAST_MESSAGE


def refused(request, *, reason: str, status: int):
    return render(request, "directory/listings/refused.html", {"reason": reason}, status=status)


def screen(request, form, *, scope: str, rate: str, template: str, context: dict):
    """The anti-abuse checks, cheapest first. Returns a response when the post is refused."""
    if abuse.honeypot_filled(request.POST):
        return refused(request, reason="automated", status=400)
    token = abuse.check_form_token(request.POST.get(abuse.TOKEN_FIELD), form.form_kind)
    if token is abuse.TokenCheck.INVALID:
        return refused(request, reason="automated", status=400)
    if token in {abuse.TokenCheck.TOO_FAST, abuse.TokenCheck.EXPIRED}:
        form.is_valid()
        form.add_error(None, TOO_FAST_MESSAGE if token is abuse.TokenCheck.TOO_FAST else EXPIRED_MESSAGE)
        return render(request, template, {**context, "form": form}, status=400)
    if abuse.rate_limit_reached(request, scope=scope, rate=rate):
        return refused(request, reason="too many", status=429)
    return None


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
            submission_store(listing=form.listing_data(), submitter=form.submitter_data())
            abuse.rate_limit_count(request, scope="listing", rate=rate)
            return redirect("directory:list_your_center_sent")
    else:
        form = ListCenterForm()
    return render(request, template, {"form": form})


@require_http_methods(["GET"])
def list_your_center_sent(request):
    return render(request, "directory/listings/list_your_center_sent.html")
