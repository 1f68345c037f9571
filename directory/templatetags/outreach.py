"""Template tags for the outreach parts of the center page, so that the page's view
needs to know nothing about them: `{% load outreach %}` inside each include."""

from django import template
from django.conf import settings

from directory.models import Center, ProblemReport
from directory.outreach.forms import InquiryForm, ProblemReportForm
from directory.outreach.history import center_change_log_cached

register = template.Library()


@register.simple_tag
def inquiry_form_for(center: Center, form: InquiryForm | None = None) -> InquiryForm:
    """The given form (shown again with errors), or a fresh one for this center."""
    # An unset template variable arrives as "", not None.
    return form if isinstance(form, InquiryForm) else InquiryForm(center=center)


@register.simple_tag
def report_form_for(center: Center, form: ProblemReportForm | None = None) -> ProblemReportForm:
    return form if isinstance(form, ProblemReportForm) else ProblemReportForm(center=center)


@register.simple_tag
def change_log_for(center: Center):
    return center_change_log_cached(center)


@register.simple_tag
def last_report_update(center: Center) -> ProblemReport | None:
    """The newest report that led to a change of this listing, if any."""
    return center.problem_reports.changed_listing().order_by("-resolved_at").first()


@register.simple_tag
def inquiry_retention_days() -> int:
    return settings.INQUIRY_RETENTION_DAYS
