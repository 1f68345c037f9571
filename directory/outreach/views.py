"""Ask a center, report a problem: each a form page (GET) and its handler (POST).

The center page shows the same forms and posts here. Nothing a person types is logged:
`sensitive_post_parameters` hides every field from error reports, and the services log
record numbers only.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from config.public_forms import public_form
from directory.models import Center
from directory.outreach import abuse
from directory.outreach.forms import InquiryForm, ProblemReportForm
from directory.outreach.services import inquiry_submit, problem_report_submit

TOO_FAST_MESSAGE = gettext_lazy("That was very quick. Please check your message and send it again.")
EXPIRED_MESSAGE = gettext_lazy("This form was open for more than a day. Please check your message and send it again.")
USED_MESSAGE = gettext_lazy(
    "We have already received this form once. You do not need to send it again, unless you meant to send "
    "another message."
)
# The stamp checks a person may fail (a quick autofill, a tab left open, a double click): the form is shown again.
STAMP_MESSAGES = {
    abuse.TokenCheck.TOO_FAST: TOO_FAST_MESSAGE,
    abuse.TokenCheck.EXPIRED: EXPIRED_MESSAGE,
    abuse.TokenCheck.USED: USED_MESSAGE,
}


def _refusal(request, center: Center, *, reason: str, status: int):
    """A plain page for refused submissions: what happened and how else to reach the center."""
    return render(request, "directory/form_refused.html", {"center": center, "reason": reason}, status=status)


def _screen(request, form, center: Center, *, scope: str, rate: str, template: str, form_name: str):
    """The anti-abuse checks, cheapest first. Returns a response when the post is refused."""
    if abuse.honeypot_filled(request.POST):
        return _refusal(request, center, reason="automated", status=400)
    token = abuse.check_form_token(request.POST.get(abuse.TOKEN_FIELD), form.form_kind)
    if token is abuse.TokenCheck.INVALID:
        return _refusal(request, center, reason="automated", status=400)
    if token in STAMP_MESSAGES:
        # Possibly a person (autofill, a tab left open, a double click): show their text again to resend.
        form.is_valid()
        form.add_error(None, STAMP_MESSAGES[token])
        return render(request, template, {"center": center, form_name: form}, status=400)
    if abuse.rate_limit_reached(request, scope=scope, rate=rate):
        return _refusal(request, center, reason="too many", status=429)
    return None


@dataclass(frozen=True)
class FormFlow:
    """What differs between the two public forms; `_form_page` is what they share."""

    form_class: type
    scope: str  # the rate-limit bucket
    rate_setting: str
    template: str
    form_name: str  # the form's name in the template context
    submit: Callable  # the service that stores a valid post: submit(center=..., **fields)
    fields: str  # the form's method that gives the service its keyword arguments
    sent_url: str


ASK = FormFlow(InquiryForm, "inquiry", "INQUIRY_RATE_LIMIT", "directory/center_ask.html", "inquiry_form",
               inquiry_submit, "inquiry_fields", "directory:center_ask_sent")  # fmt: skip
REPORT = FormFlow(ProblemReportForm, "report", "REPORT_RATE_LIMIT", "directory/center_report.html", "report_form",
                  problem_report_submit, "report_fields", "directory:center_report_sent")  # fmt: skip


def _form_page(request, center: Center, flow: FormFlow):
    """GET: the empty form. POST: screened, validated, stored, then the "sent" page."""
    if request.method == "POST":
        form = flow.form_class(request.POST, center=center)
        rate = getattr(settings, flow.rate_setting)
        refused = _screen(
            request, form, center, scope=flow.scope, rate=rate, template=flow.template, form_name=flow.form_name
        )
        if refused:
            return refused
        if form.is_valid():
            # Counted before storing, atomically: simultaneous posts cannot all pass a check made before any is counted.
            if not abuse.rate_limit_take(request, scope=flow.scope, rate=rate):
                return _refusal(request, center, reason="too many", status=429)
            flow.submit(center=center, **getattr(form, flow.fields)())
            return redirect(flow.sent_url, slug=center.slug)
    else:
        form = flow.form_class(center=center)
    return render(request, flow.template, {"center": center, flow.form_name: form})


@public_form
@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
def center_ask(request, slug: str):
    return _form_page(request, get_object_or_404(Center.objects.published(), slug=slug), ASK)


@require_http_methods(["GET"])
def center_ask_sent(request, slug: str):
    center = get_object_or_404(Center.objects.published(), slug=slug)
    return render(request, "directory/center_ask_sent.html", {"center": center})


@public_form
@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
def center_report(request, slug: str):
    return _form_page(request, get_object_or_404(Center.objects.visible(), slug=slug), REPORT)


@require_http_methods(["GET"])
def center_report_sent(request, slug: str):
    center = get_object_or_404(Center.objects.visible(), slug=slug)
    return render(request, "directory/center_report_sent.html", {"center": center})
