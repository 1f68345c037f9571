"""The two public forms on a center page: ask the center, report a problem.

Both carry the anti-abuse fields of `directory.outreach.abuse` (a honeypot and a signed
timestamp); the views check those before validating anything else.
"""

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from directory.models import Center, Inquiry, ProblemReport
from directory.outreach import abuse

PHONE_CHARACTERS = re.compile(r"^[0-9+().\-\s]+$")
PHONE_EXTENSION = re.compile(r"\s*(?:x|ext\.?)\s*[0-9]{1,6}$", re.IGNORECASE)


def clean_phone_number(value: str) -> str:
    value = " ".join(value.split())
    number = PHONE_EXTENSION.sub("", value)
    digits = re.sub(r"\D", "", number)
    if value and (not PHONE_CHARACTERS.match(number) or not 10 <= len(digits) <= 15):
        raise forms.ValidationError(gettext("Enter a phone number with area code, e.g. 904-555-0123."))
    return value


class SecondarySubmit(Submit):
    field_classes = "btn btn-outline-primary"


class AntiAbuseFields:
    """The honeypot (hidden by CSS, skipped by keyboards) and the form-shown timestamp."""

    form_kind = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[abuse.HONEYPOT_FIELD] = forms.CharField(
            label=_("Leave this field empty"),
            required=False,
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )
        self.fields[abuse.TOKEN_FIELD] = forms.CharField(required=False, widget=forms.HiddenInput)
        # A fresh timestamp every time the form is shown, also when it is shown again with errors.
        self.initial[abuse.TOKEN_FIELD] = abuse.form_token(self.form_kind)
        if self.is_bound:
            data = self.data.copy()
            data[abuse.TOKEN_FIELD] = self.initial[abuse.TOKEN_FIELD]
            self.data = data


# Each form gets layouts of its own: crispy-forms writes a button's drawn label back into the
# button when it draws it, so a layout shared between views would keep the first language it
# was drawn in (a Spanish page showed "Send my question" after an English one).
def anti_abuse_layout() -> tuple:
    return (Div(Field(abuse.HONEYPOT_FIELD), css_class="hp-field", aria_hidden="true"), abuse.TOKEN_FIELD)


def inquiry_layout() -> Layout:
    return Layout(
        "name",
        Div(Div("phone", css_class="col-sm-6"), Div("email", css_class="col-sm-6"), css_class="row"),
        "preferred_contact",
        "preferred_time",
        "message",
        "consent",
        *anti_abuse_layout(),
        Submit("send_inquiry", _("Send my question"), css_class="btn-lg btn-send"),
    )


def report_layout() -> Layout:
    return Layout(
        "kind", "details", "contact", *anti_abuse_layout(), SecondarySubmit("send_report", _("Send the report"))
    )


def form_helper(*, form_id: str, action: str, layout: Layout) -> FormHelper:
    """A helper for one form shown: its own action, the shared layout."""
    helper = FormHelper()  # without the form: no default layout built from its fields
    helper.form_id, helper.form_action, helper.layout = form_id, action, layout
    return helper


class InquiryForm(AntiAbuseFields, forms.ModelForm):
    form_kind = "inquiry"

    consent = forms.BooleanField(
        required=True,
        error_messages={"required": _("Please agree, so that we may pass your message on.")},
    )

    class Meta:
        model = Inquiry
        fields = ["name", "email", "phone", "preferred_contact", "preferred_time", "message"]
        labels = {
            "name": _("Your name"),
            "email": _("E-mail"),
            "phone": _("Phone"),
            "preferred_contact": _("How should they contact you?"),
            "preferred_time": _("Best time to reach you"),
            "message": _("Your question"),
        }
        help_texts = {
            "name": _("A first name is enough."),
            "phone": _("Give a phone number, an e-mail address, or both."),
            "message": _(
                "For example: do you take my insurance? How long is the wait? You do not need to describe "
                "your health; the center will ask what it needs. Up to 1,000 characters."
            ),
        }
        widgets = {
            "preferred_contact": forms.RadioSelect,
            "message": forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
            "name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
        }

    def __init__(self, *args, center: Center, **kwargs):
        kwargs.setdefault("auto_id", "inquiry_%s")
        super().__init__(*args, **kwargs)
        self.center = center
        self.fields["preferred_contact"].choices = Inquiry.ContactMethod.choices
        self.fields["consent"].label = gettext(
            "I agree that %(center)s and the directory's intake staff may read this message."
        ) % {"center": center.name}
        self.helper = form_helper(
            form_id="inquiry-form", action=reverse("directory:center_ask", args=[center.slug]), layout=inquiry_layout()
        )

    def clean_phone(self) -> str:
        return clean_phone_number(self.cleaned_data.get("phone", ""))

    def clean(self):
        cleaned = super().clean()
        if "email" in self.errors or "phone" in self.errors:
            return cleaned  # already told what is wrong with them
        email, phone = cleaned.get("email"), cleaned.get("phone")
        method = cleaned.get("preferred_contact")
        if not email and not phone:
            self.add_error("phone", gettext("Give a phone number or an e-mail address, so the center can reply."))
        elif method == Inquiry.ContactMethod.EMAIL and not email:
            self.add_error("email", gettext("You chose e-mail: please give your e-mail address."))
        elif method in {Inquiry.ContactMethod.PHONE, Inquiry.ContactMethod.TEXT} and not phone:
            self.add_error("phone", gettext("You chose a call or text: please give your phone number."))
        return cleaned

    def inquiry_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ProblemReportForm(AntiAbuseFields, forms.ModelForm):
    form_kind = "report"

    class Meta:
        model = ProblemReport
        fields = ["kind", "details", "contact"]
        labels = {
            "kind": _("What is wrong?"),
            "details": _("What should it say?"),
            "contact": _("Your e-mail or phone (optional)"),
        }
        help_texts = {
            "details": _("e.g. 'The phone number is now 904-555-0199.' Please leave out anything about your health."),
        }
        widgets = {
            "kind": forms.RadioSelect,
            "details": forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
        }

    def __init__(self, *args, center: Center, **kwargs):
        kwargs.setdefault("auto_id", "report_%s")
        super().__init__(*args, **kwargs)
        self.center = center
        self.fields["kind"].choices = ProblemReport.Kind.choices
        self.fields["contact"].help_text = gettext(
            "Only if we may ask you about this report. Deleted after %(days)s days."
        ) % {"days": settings.INQUIRY_RETENTION_DAYS}
        self.helper = form_helper(
            form_id="report-form", action=reverse("directory:center_report", args=[center.slug]), layout=report_layout()
        )

    def report_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
