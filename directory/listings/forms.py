"""The public forms of centers keeping their own listings: list a center, claim one, ask
for a sign-in link, enter a phone code; and the representative's own forms.

Each public form carries the anti-abuse fields of `directory.outreach.abuse`.
"""

from decimal import Decimal

from django import forms

from directory import geo
from directory.geo import STATE_NAMES
from directory.listings.domains import email_matches_website, is_free_mail
from directory.models import AgeGroup, CareSetting, Center, CenterTreatment, Language, PaymentOption, Treatment
from directory.outreach.forms import AntiAbuseFields, clean_phone_number
from directory.validators import NAME_VALIDATORS, validate_one_line

LOCATION_SLOTS = 3  # more locations are added later, through a proposed change or by staff
LOCATION_FIELDS = ("street1", "street2", "city", "state", "zip", "phone")
STATE_CODES = sorted(set(STATE_NAMES.values()))

# The TRD detail each treatment asks about: its field on CenterTreatment.
TREATMENT_DETAIL = CenterTreatment.DETAIL_FIELD_BY_TREATMENT
YES_NO = [("", "Not sure"), ("yes", "Yes"), ("no", "No")]


def _lookup_field(model, label: str) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        model.objects.all(), to_field_name="slug", required=False, label=label, widget=forms.CheckboxSelectMultiple
    )


def _detail_field(slug: str) -> forms.Field:
    name = TREATMENT_DETAIL[slug]
    model_field = CenterTreatment._meta.get_field(name)
    if name == "spravato_rems_certified":
        return forms.ChoiceField(
            label="Is this site certified under the Spravato REMS program?", choices=YES_NO, required=False
        )
    return forms.ChoiceField(
        label=model_field.verbose_name[:1].upper() + model_field.verbose_name[1:],
        choices=[("", "Not sure / not listed"), *model_field.choices],
        required=False,
    )


class ListingFields(forms.Form):
    """The listing itself: shared by "List your center" and, later, other listing forms."""

    center_name = forms.CharField(label="Center name", max_length=200, validators=NAME_VALIDATORS)
    website = forms.URLField(label="Website", max_length=200, assume_scheme="https")
    phone = forms.CharField(
        label="Main phone", max_length=40, widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})
    )
    description = forms.CharField(
        label="About the center (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
        help_text="A few plain sentences for patients. No prices or claims of results here. Up to 1,000 characters.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for slot in range(1, LOCATION_SLOTS + 1):
            required = slot == 1
            self.fields[f"location_{slot}_street1"] = forms.CharField(
                label="Street address", max_length=200, required=required, validators=[validate_one_line]
            )
            self.fields[f"location_{slot}_street2"] = forms.CharField(
                label="Suite, floor (optional)", max_length=200, required=False, validators=[validate_one_line]
            )
            self.fields[f"location_{slot}_city"] = forms.CharField(
                label="City", max_length=100, required=required, validators=[validate_one_line]
            )
            self.fields[f"location_{slot}_state"] = forms.ChoiceField(
                label="State", choices=[("", "Choose"), *[(code, code) for code in STATE_CODES]], required=required
            )
            self.fields[f"location_{slot}_zip"] = forms.CharField(
                label="ZIP", max_length=10, required=required, widget=forms.TextInput(attrs={"inputmode": "numeric"})
            )
            self.fields[f"location_{slot}_phone"] = forms.CharField(
                label="Phone at this location (optional)", max_length=40, required=False
            )
        self.treatments = list(Treatment.objects.all())
        for treatment in self.treatments:
            slug = treatment.slug
            self.fields[f"offers_{slug}"] = forms.BooleanField(label=treatment.name, required=False)
            if slug in TREATMENT_DETAIL:
                self.fields[f"detail_{slug}"] = _detail_field(slug)
            self.fields[f"price_{slug}"] = forms.DecimalField(
                label="Self-pay price, US$",
                required=False,
                min_value=Decimal(0),
                max_digits=9,
                decimal_places=2,
            )
            self.fields[f"price_unit_{slug}"] = forms.CharField(
                label="Price for",
                max_length=40,
                required=False,
                help_text="e.g. 'per session' or 'full course'.",
                validators=[validate_one_line],
            )
        self.fields["prior_authorization_help"] = forms.BooleanField(
            label="We help patients with insurance prior authorization", required=False
        )
        self.fields["care_settings"] = _lookup_field(CareSetting, "Care settings")
        self.fields["payment_options"] = _lookup_field(PaymentOption, "Payment and insurance accepted")
        self.fields["age_groups"] = _lookup_field(AgeGroup, "Ages served")
        self.fields["languages"] = _lookup_field(Language, "Languages besides English")
        self.fields["accepting_new_patients"] = forms.ChoiceField(
            label="Are you accepting new patients?",
            choices=[(Center.Accepting.YES, "Yes"), (Center.Accepting.NO, "No, not at the moment")],
            widget=forms.RadioSelect,
        )
        self.fields["typical_wait"] = forms.CharField(
            label="Typical wait for a first appointment (optional)",
            max_length=100,
            required=False,
            help_text="e.g. 'about 2 weeks'.",
            validators=[validate_one_line],
        )

    def location_slots(self) -> list[list[forms.BoundField]]:
        return [[self[f"location_{slot}_{name}"] for name in LOCATION_FIELDS] for slot in range(1, LOCATION_SLOTS + 1)]

    def treatment_rows(self) -> list[dict]:
        rows = []
        for treatment in self.treatments:
            slug = treatment.slug
            rows.append(
                {
                    "treatment": treatment,
                    "offers": self[f"offers_{slug}"],
                    "detail": self[f"detail_{slug}"] if slug in TREATMENT_DETAIL else None,
                    "price": self[f"price_{slug}"],
                    "price_unit": self[f"price_unit_{slug}"],
                }
            )
        return rows

    def clean_phone(self) -> str:
        return clean_phone_number(self.cleaned_data.get("phone", ""))

    def clean(self):
        cleaned = super().clean()
        for slot in range(1, LOCATION_SLOTS + 1):
            self._clean_location(cleaned, slot)
        if not any(cleaned.get(f"offers_{treatment.slug}") for treatment in self.treatments):
            self.add_error(None, "Choose at least one treatment the center offers.")
        return cleaned

    def _clean_location(self, cleaned: dict, slot: int) -> None:
        prefix = f"location_{slot}_"
        values = {name: (cleaned.get(prefix + name) or "").strip() for name in LOCATION_FIELDS}
        if slot > 1 and not any(values.values()):
            return
        for name in ("street1", "city", "state", "zip"):
            if not values[name] and prefix + name not in self.errors:
                self.add_error(prefix + name, "This location needs a street, city, state and ZIP.")
        if values["zip"] and geo.zip_place(values["zip"]) is None:
            self.add_error(prefix + "zip", "We could not find this ZIP code. Enter 5 digits, e.g. 32207.")
        if values["phone"]:
            try:
                cleaned[prefix + "phone"] = clean_phone_number(values["phone"])
            except forms.ValidationError as error:
                self.add_error(prefix + "phone", error)

    def listing_data(self) -> dict:
        """The listing as plain values, for a ListingSubmission."""
        data = self.cleaned_data
        locations = []
        for slot in range(1, LOCATION_SLOTS + 1):
            location = {name: (data.get(f"location_{slot}_{name}") or "").strip() for name in LOCATION_FIELDS}
            if location["street1"]:
                location["zip"] = location["zip"][:5]
                locations.append(location)
        treatments = []
        for treatment in self.treatments:
            slug = treatment.slug
            if not data.get(f"offers_{slug}"):
                continue
            offer = {"slug": slug, "prior_authorization_help": bool(data.get("prior_authorization_help"))}
            if slug in TREATMENT_DETAIL:
                offer[TREATMENT_DETAIL[slug]] = data.get(f"detail_{slug}") or ""
            price = data.get(f"price_{slug}")
            offer["self_pay_price"] = str(price) if price is not None else ""
            offer["price_unit"] = data.get(f"price_unit_{slug}", "").strip()
            treatments.append(offer)
        return {
            "center_name": " ".join(data["center_name"].split()),
            "website": data["website"],
            "phone": data["phone"],
            "description": data.get("description", "").strip(),
            "locations": locations,
            "treatments": treatments,
            "care_settings": [item.slug for item in data["care_settings"]],
            "payment_options": [item.slug for item in data["payment_options"]],
            "age_groups": [item.slug for item in data["age_groups"]],
            "languages": [item.slug for item in data["languages"]],
            "accepting_new_patients": data["accepting_new_patients"],
            "typical_wait": data.get("typical_wait", "").strip(),
        }


class ListCenterForm(AntiAbuseFields, ListingFields):
    form_kind = "listing"

    submitter_name = forms.CharField(
        label="Your name",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        validators=[validate_one_line],
    )
    submitter_role = forms.CharField(
        label="Your role at the center",
        max_length=100,
        help_text="e.g. practice manager, medical director.",
        validators=[validate_one_line],
    )
    submitter_email = forms.EmailField(
        label="Your work e-mail",
        help_text="We write to you only about this listing. An address at the center's website domain helps us check.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    confirm = forms.BooleanField(
        label="I work for this center and may list it. What I entered is true to my knowledge.",
        error_messages={"required": "Please confirm that you may list this center."},
    )

    def submitter_data(self) -> dict:
        return {
            "submitter_name": " ".join(self.cleaned_data["submitter_name"].split()),
            "submitter_role": " ".join(self.cleaned_data["submitter_role"].split()),
            "submitter_email": self.cleaned_data["submitter_email"].lower(),
        }


class ClaimForm(AntiAbuseFields, forms.Form):
    form_kind = "claim"

    name = forms.CharField(
        label="Your name",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        validators=[validate_one_line],
    )
    role = forms.CharField(label="Your role at the center", max_length=100, validators=[validate_one_line])
    email = forms.EmailField(label="Your work e-mail", widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    method = forms.ChoiceField(label="How will you prove that you work there?", widget=forms.RadioSelect)

    def __init__(self, *args, center: Center, **kwargs):
        super().__init__(*args, **kwargs)
        self.center = center
        choices = []
        if center.website:
            choices.append(("email", "Send a link to my e-mail address at the center's website domain"))
        if center.phone:
            choices.append(("phone", "Call the center's listed phone and read me a code"))
        self.fields["method"].choices = choices

    def clean(self):
        cleaned = super().clean()
        email, method = cleaned.get("email"), cleaned.get("method")
        if email and method == "email":
            if is_free_mail(email):
                self.add_error(
                    "email",
                    "Addresses at free e-mail services cannot prove that you work at a center. "
                    "Use your address at the center's website domain, or choose a phone call.",
                )
            elif not email_matches_website(email, self.center.website):
                self.add_error(
                    "email",
                    "This address is not at the center's website domain. Use that address, or choose a phone call.",
                )
        return cleaned


class SignInForm(AntiAbuseFields, forms.Form):
    form_kind = "sign-in"

    email = forms.EmailField(label="Your work e-mail", widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class PhoneCodeForm(forms.Form):
    code = forms.CharField(
        label="The code we read out to you",
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class AvailabilityForm(forms.Form):
    """The representative's one click: accepting or not, and the typical wait."""

    accepting_new_patients = forms.ChoiceField(
        label="Accepting new patients?",
        choices=[(Center.Accepting.YES, "Yes, accepting"), (Center.Accepting.NO, "Not accepting")],
        widget=forms.RadioSelect,
    )
    typical_wait = forms.CharField(
        label="Typical wait (optional)", max_length=100, required=False, validators=[validate_one_line]
    )


class ProposalForm(forms.Form):
    """The listing's contact details and first address, as the representative wants them."""

    name = forms.CharField(label="Center name", max_length=200, validators=NAME_VALIDATORS)
    phone = forms.CharField(label="Main phone", max_length=40, required=False)
    website = forms.URLField(label="Website", max_length=200, required=False, assume_scheme="https")
    email = forms.EmailField(label="Public e-mail (shown on the page)", required=False)
    description = forms.CharField(
        label="About the center", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    location_street1 = forms.CharField(label="Street address", max_length=200, validators=[validate_one_line])
    location_street2 = forms.CharField(
        label="Suite, floor", max_length=200, required=False, validators=[validate_one_line]
    )
    location_city = forms.CharField(label="City", max_length=100, validators=[validate_one_line])
    location_state = forms.ChoiceField(label="State", choices=[(code, code) for code in STATE_CODES])
    location_zip = forms.CharField(label="ZIP", max_length=10)
    location_phone = forms.CharField(label="Phone at this location", max_length=40, required=False)
    location_hours = forms.CharField(label="Hours", max_length=200, required=False, validators=[validate_one_line])

    def clean_phone(self) -> str:
        return clean_phone_number(self.cleaned_data.get("phone", ""))

    def clean_location_phone(self) -> str:
        return clean_phone_number(self.cleaned_data.get("location_phone", ""))

    def clean_location_zip(self) -> str:
        value = self.cleaned_data["location_zip"].strip()
        if geo.zip_place(value) is None:
            raise forms.ValidationError("We could not find this ZIP code. Enter 5 digits, e.g. 32207.")
        return value[:5]

    def proposed(self) -> dict[str, str]:
        return {
            field: " ".join(value.split()) if field != "description" else value.strip()
            for field, value in self.cleaned_data.items()
        }
