"""The listing editors' queues: submissions, claims (with the "call to verify" tasks) and
proposed changes, plus representatives and the record of listing actions.

What submitters, claimants and representatives send is personal data: only the
Listing editors group and superusers see these pages, whatever else an account may do.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from directory.listings.domains import email_matches_website, is_free_mail
from directory.listings.duplicates import submission_duplicates
from directory.listings.proposals import PROPOSABLE, proposal_approve, proposal_diff, proposal_reject
from directory.listings.representatives import claim_mark_called, claim_reject, representation_revoke
from directory.listings.services import submission_approve, submission_merge, submission_reject
from directory.models import (
    Center,
    CenterClaim,
    CenterTreatment,
    ChangeProposal,
    ListingAction,
    ListingSubmission,
    Representation,
    Representative,
)

LISTING_EDITORS = "Listing editors"


def may_edit_listings(user: AbstractBaseUser) -> bool:
    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_may_edit_listings"):
        user._may_edit_listings = user.groups.filter(name=LISTING_EDITORS).exists()
    return user._may_edit_listings


class ListingEditorsOnly:
    """Personal data: listing editors and superusers only; rows come from the public."""

    def has_module_permission(self, request):
        return may_edit_listings(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return may_edit_listings(request.user) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return may_edit_listings(request.user) and super().has_change_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def open_first_filter(status_choices, open_value: str, title: str = "status", open_rows=None):
    """A status filter that shows the open rows unless asked otherwise: the queue.
    `open_rows(queryset)` selects them when "open" is not itself a status."""

    class OpenFirstFilter(admin.SimpleListFilter):
        parameter_name = "status"

        def lookups(self, request, model_admin):
            return [*status_choices, ("all", "All")]

        def choices(self, changelist):
            for value, label in self.lookup_choices:
                yield {
                    "selected": (self.value() or open_value) == value,
                    "query_string": changelist.get_query_string({self.parameter_name: value}),
                    "display": label,
                }

        def queryset(self, request, queryset):
            value = self.value() or open_value
            if value == "all":
                return queryset
            if value == open_value and open_rows is not None:
                return open_rows(queryset)
            return queryset.filter(status=value)

    OpenFirstFilter.title = title
    return OpenFirstFilter


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason (sent to the person by e-mail)", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )


class ApproveForm(forms.Form):
    method = forms.ChoiceField(label="How did you check it?", choices=Center.VerificationMethod.choices)


def _choice_label(choices, value) -> str:
    return str(dict(choices).get(value, value))


@admin.register(ListingSubmission)
class ListingSubmissionAdmin(ListingEditorsOnly, admin.ModelAdmin):
    list_display = ["reference", "center_name", "place", "created_at", "status", "domain_check"]
    list_filter = [open_first_filter(ListingSubmission.Status.choices, ListingSubmission.Status.PENDING), "created_at"]
    search_fields = ["=id", "center_name"]
    search_help_text = "Search by submission number or center name."
    date_hierarchy = "created_at"
    actions = ["reject_selected"]
    change_form_template = "admin/directory/listingsubmission/change_form.html"
    fieldsets = [
        (None, {"fields": ["status", "created_at", "center_link", ("decided_by", "decided_at"), "decision_reason"]}),
        ("The center", {"fields": ["center_name", "website", "phone", "description", "location_list"]}),
        ("Treatments", {"fields": ["treatment_list"]}),
        ("Care, payment and access", {"fields": ["lookup_list", "accepting_new_patients", "typical_wait"]}),
        ("From", {"fields": ["submitter_name", "submitter_role", "submitter_email", "domain_check"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [
            *(field.name for field in ListingSubmission._meta.fields),
            "center_link",
            "location_list",
            "treatment_list",
            "lookup_list",
            "domain_check",
        ]

    @admin.display(description="submission", ordering="id")
    def reference(self, obj: ListingSubmission) -> str:
        return f"#{obj.pk}"

    @admin.display(description="place")
    def place(self, obj: ListingSubmission) -> str:
        first = obj.locations[0] if obj.locations else {}
        return f"{first.get('city', '')}, {first.get('state', '')} {first.get('zip', '')}".strip(", ")

    @admin.display(description="e-mail domain")
    def domain_check(self, obj: ListingSubmission) -> str:
        if is_free_mail(obj.submitter_email):
            return "Free-mail address"
        if email_matches_website(obj.submitter_email, obj.website):
            return "At the website's domain"
        return "Another domain"

    @admin.display(description="listing")
    def center_link(self, obj: ListingSubmission) -> str:
        if obj.center is None:
            return "-"
        return format_html(
            '<a href="{}">{}</a> (<a href="{}">public page</a>)',
            reverse("admin:directory_center_change", args=[obj.center_id]),
            obj.center.name,
            obj.center.get_absolute_url(),
        )

    @admin.display(description="locations")
    def location_list(self, obj: ListingSubmission) -> str:
        return format_html_join(
            "",
            "<div>{} {}, {}, {} {} {}</div>",
            (
                (loc.get("street1"), loc.get("street2", ""), loc.get("city"), loc.get("state"), loc.get("zip"),
                 loc.get("phone", ""))
                for loc in obj.locations
            ),
        )  # fmt: skip

    @admin.display(description="treatments")
    def treatment_list(self, obj: ListingSubmission) -> str:
        rows = []
        for offer in obj.treatments:
            details = []
            for field in ("tms_variant", "ketamine_route", "ect_setting", "vns_role", "psychedelic_program"):
                if offer.get(field):
                    details.append(_choice_label(CenterTreatment._meta.get_field(field).choices, offer[field]))
            if offer.get("spravato_rems_certified"):
                details.append(f"REMS certified: {offer['spravato_rems_certified']}")
            if offer.get("self_pay_price"):
                details.append(f"${offer['self_pay_price']} {offer.get('price_unit', '')}".strip())
            rows.append((offer.get("slug"), "; ".join(details)))
        return format_html_join("", "<div><strong>{}</strong> {}</div>", rows)

    @admin.display(description="care, payment, ages, languages")
    def lookup_list(self, obj: ListingSubmission) -> str:
        rows = [
            ("Care settings", ", ".join(obj.care_settings)),
            ("Payment", ", ".join(obj.payment_options)),
            ("Ages", ", ".join(obj.age_groups)),
            ("Languages", ", ".join(obj.languages)),
        ]
        return format_html_join("", "<div>{}: {}</div>", rows)

    def get_urls(self):
        return [
            path("<int:pk>/decide/", self.admin_site.admin_view(self.decide_view), name="directory_submission_decide"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        submission = self.get_object(request, object_id)
        extra_context = {"show_save": False, "show_save_and_continue": False, **(extra_context or {})}
        if submission is not None and submission.status == ListingSubmission.Status.PENDING:
            extra_context.update(
                duplicates=submission_duplicates(submission),
                approve_form=ApproveForm(),
                reason_form=ReasonForm(),
                decide_url=reverse("admin:directory_submission_decide", args=[submission.pk]),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def decide_view(self, request, pk: int):
        submission = get_object_or_404(ListingSubmission, pk=pk)
        if request.method != "POST" or not self.has_change_permission(request, submission):
            raise PermissionDenied
        back = reverse("admin:directory_listingsubmission_change", args=[pk])
        if submission.status != ListingSubmission.Status.PENDING:
            self.message_user(request, "This submission was already decided.", messages.WARNING)
            return redirect(back)
        decision = request.POST.get("decision")
        if decision == "approve":
            form = ApproveForm(request.POST)
            if form.is_valid():
                method = form.cleaned_data["method"]
                center = submission_approve(submission=submission, user=request.user, method=method)
                self.message_user(request, f"Published {center.name}; the submitter was told.", messages.SUCCESS)
                return redirect(back)
        elif decision == "merge":
            center = get_object_or_404(Center, pk=request.POST.get("center"))
            submission_merge(submission=submission, center=center, user=request.user)
            self.message_user(request, f"Merged into {center.name}; the submitter was told.", messages.SUCCESS)
            return redirect(back)
        elif decision == "reject":
            form = ReasonForm(request.POST)
            if form.is_valid():
                submission_reject(submission=submission, user=request.user, reason=form.cleaned_data["reason"])
                self.message_user(request, "Rejected; the submitter was told why.", messages.SUCCESS)
                return redirect(back)
        self.message_user(request, "Choose a decision and fill in its field (a reason, or a check).", messages.ERROR)
        return redirect(back)

    @admin.action(description="Reject selected submissions (asks for a reason)", permissions=["change"])
    def reject_selected(self, request, queryset):
        pending = queryset.filter(status=ListingSubmission.Status.PENDING)
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            count = 0
            for submission in pending:
                submission_reject(submission=submission, user=request.user, reason=form.cleaned_data["reason"])
                count += 1
            self.message_user(request, f"Rejected {count} submission(s); each submitter was told.", messages.SUCCESS)
            return None
        return bulk_reason_page(self, request, pending, form, "Why are these submissions rejected?")


def bulk_reason_page(model_admin, request, queryset, form, title: str):
    """The intermediate page of a bulk action that needs a reason."""
    return TemplateResponse(
        request,
        "admin/directory/listings/bulk_reason.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": title,
            "objects": queryset,
            "form": form,
            "action": request.POST.get("action"),
            "opts": model_admin.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        },
    )


@admin.register(ListingAction)
class ListingActionAdmin(ListingEditorsOnly, admin.ModelAdmin):
    """Who did what to which center, and when: read-only."""

    list_display = ["created_at", "actor", "action", "center", "target"]
    list_filter = ["action", "created_at"]
    search_fields = ["actor", "center__name", "target"]
    list_select_related = ["center"]
    date_hierarchy = "created_at"

    def has_change_permission(self, request, obj=None):
        return False


class CallsToMakeFilter(admin.SimpleListFilter):
    title = "call to verify"
    parameter_name = "call"

    def lookups(self, request, model_admin):
        return [("todo", "Calls to make"), ("done", "Called, waiting for the code")]

    def queryset(self, request, queryset):
        if self.value() == "todo":
            return queryset.calls_to_make()
        if self.value() == "done":
            return queryset.filter(status=CenterClaim.Status.CALL_NEEDED, called_at__isnull=False)
        return queryset


@admin.register(CenterClaim)
class CenterClaimAdmin(ListingEditorsOnly, admin.ModelAdmin):
    list_display = ["reference", "center", "method", "status", "call_task", "created_at", "called_at"]
    list_filter = [
        open_first_filter([("open", "Open"), *CenterClaim.Status.choices], "open", open_rows=lambda qs: qs.open()),
        CallsToMakeFilter,
        "method",
        "created_at",
    ]
    list_select_related = ["center"]
    search_fields = ["=id", "center__name"]
    search_help_text = "Search by claim number or center name."
    date_hierarchy = "created_at"
    actions = ["mark_called", "reject_claims"]
    fields = [
        "center_links",
        ("status", "method", "created_at"),
        ("name", "role", "email", "domain_check"),
        "call_task",
        ("called_at", "called_by", "code_attempts"),
        "decided_at",
        "note",
    ]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in CenterClaim._meta.fields if field.name != "note"] + [
            "center_links",
            "call_task",
            "domain_check",
        ]

    @admin.display(description="claim", ordering="id")
    def reference(self, obj: CenterClaim) -> str:
        return f"#{obj.pk}"

    @admin.display(description="call to verify")
    def call_task(self, obj: CenterClaim) -> str:
        if obj.status != CenterClaim.Status.CALL_NEEDED:
            return "-"
        return format_html(
            "Call <strong>{}</strong>, ask for {} ({}), read out code <strong>{}</strong>.",
            obj.center.phone or "(no listed phone)",
            obj.name,
            obj.role,
            obj.phone_code,
        )

    @admin.display(description="e-mail domain")
    def domain_check(self, obj: CenterClaim) -> str:
        if is_free_mail(obj.email):
            return "Free-mail address"
        return "At the website's domain" if email_matches_website(obj.email, obj.center.website) else "Another domain"

    @admin.display(description="center")
    def center_links(self, obj: CenterClaim) -> str:
        return format_html(
            '{} &middot; <a href="{}">listing in the admin</a> &middot; <a href="{}">public page</a>',
            obj.center.name,
            reverse("admin:directory_center_change", args=[obj.center_id]),
            obj.center.get_absolute_url(),
        )

    @admin.action(description="Mark selected calls as made (code read out)", permissions=["change"])
    def mark_called(self, request, queryset):
        count = 0
        for claim in queryset.filter(status=CenterClaim.Status.CALL_NEEDED):
            claim_mark_called(claim=claim, user=request.user)
            count += 1
        self.message_user(request, f"Marked {count} call(s) as made.", messages.SUCCESS)

    @admin.action(description="Reject selected claims", permissions=["change"])
    def reject_claims(self, request, queryset):
        count = 0
        for claim in queryset.open():
            claim_reject(claim=claim, user=request.user)
            count += 1
        self.message_user(request, f"Rejected {count} claim(s).", messages.SUCCESS)


class RepresentationInline(admin.TabularInline):
    model = Representation
    extra = 0
    fields = ["center", "role", "proof", "granted_at", "revoked_at", "revoked_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Representation)
class RepresentationAdmin(ListingEditorsOnly, admin.ModelAdmin):
    list_display = ["representative", "center", "role", "proof", "granted_at", "active"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), "proof", "granted_at"]
    list_select_related = ["representative", "center"]
    search_fields = ["center__name", "representative__email"]
    actions = ["revoke"]
    readonly_fields = ["representative", "center", "role", "proof", "granted_at", "revoked_at", "revoked_by"]

    @admin.display(description="active", boolean=True)
    def active(self, obj: Representation) -> bool:
        return obj.is_active

    @admin.action(description="Revoke selected representatives (they lose access at once)", permissions=["change"])
    def revoke(self, request, queryset):
        count = 0
        for representation in queryset.active().select_related("center", "representative"):
            representation_revoke(representation=representation, user=request.user)
            count += 1
        self.message_user(request, f"Revoked {count} representative(s).", messages.SUCCESS)


@admin.register(Representative)
class RepresentativeAdmin(ListingEditorsOnly, admin.ModelAdmin):
    list_display = ["email", "name", "created_at", "last_signed_in_at"]
    search_fields = ["email", "name", "representations__center__name"]
    readonly_fields = ["email", "name", "created_at", "last_signed_in_at"]
    inlines = [RepresentationInline]


@admin.register(ChangeProposal)
class ChangeProposalAdmin(ListingEditorsOnly, admin.ModelAdmin):
    list_display = ["reference", "center", "changed_fields", "created_at", "status", "decided_by"]
    list_filter = [open_first_filter(ChangeProposal.Status.choices, ChangeProposal.Status.PENDING), "created_at"]
    list_select_related = ["center", "decided_by"]
    search_fields = ["=id", "center__name"]
    search_help_text = "Search by number or center name."
    date_hierarchy = "created_at"
    actions = ["approve_selected", "reject_selected"]
    change_form_template = "admin/directory/changeproposal/change_form.html"
    fields = [
        "center_links",
        ("status", "created_at", "representative"),
        ("decided_by", "decided_at"),
        "decision_reason",
    ]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in ChangeProposal._meta.fields] + ["center_links"]

    @admin.display(description="proposal", ordering="id")
    def reference(self, obj: ChangeProposal) -> str:
        return f"#{obj.pk}"

    @admin.display(description="changes")
    def changed_fields(self, obj: ChangeProposal) -> str:
        return ", ".join(PROPOSABLE.get(field, field) for field in obj.changes)

    @admin.display(description="center")
    def center_links(self, obj: ChangeProposal) -> str:
        return CenterClaimAdmin.center_links(self, obj)

    def get_urls(self):
        return [
            path("<int:pk>/decide/", self.admin_site.admin_view(self.decide_view), name="directory_proposal_decide"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        proposal = self.get_object(request, object_id)
        extra_context = {"show_save": False, "show_save_and_continue": False, **(extra_context or {})}
        if proposal is not None:
            extra_context["diff"] = proposal_diff(proposal)
            if proposal.status == ChangeProposal.Status.PENDING:
                extra_context["reason_form"] = ReasonForm()
                extra_context["decide_url"] = reverse("admin:directory_proposal_decide", args=[proposal.pk])
        return super().change_view(request, object_id, form_url, extra_context)

    def decide_view(self, request, pk: int):
        proposal = get_object_or_404(ChangeProposal, pk=pk)
        if request.method != "POST" or not self.has_change_permission(request, proposal):
            raise PermissionDenied
        back = reverse("admin:directory_changeproposal_change", args=[pk])
        if proposal.status != ChangeProposal.Status.PENDING:
            self.message_user(request, "This proposal was already decided.", messages.WARNING)
        elif request.POST.get("decision") == "approve":
            proposal_approve(proposal=proposal, user=request.user)
            self.message_user(request, "Applied; the representative was told.", messages.SUCCESS)
        elif request.POST.get("decision") == "reject" and (form := ReasonForm(request.POST)).is_valid():
            proposal_reject(proposal=proposal, user=request.user, reason=form.cleaned_data["reason"])
            self.message_user(request, "Rejected; the representative was told why.", messages.SUCCESS)
        else:
            self.message_user(request, "To reject, give a reason.", messages.ERROR)
        return redirect(back)

    @admin.action(description="Approve and apply selected proposals", permissions=["change"])
    def approve_selected(self, request, queryset):
        count = 0
        for proposal in queryset.filter(status=ChangeProposal.Status.PENDING):
            proposal_approve(proposal=proposal, user=request.user)
            count += 1
        self.message_user(request, f"Applied {count} proposal(s).", messages.SUCCESS)

    @admin.action(description="Reject selected proposals (asks for a reason)", permissions=["change"])
    def reject_selected(self, request, queryset):
        pending = queryset.filter(status=ChangeProposal.Status.PENDING)
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            count = 0
            for proposal in pending:
                proposal_reject(proposal=proposal, user=request.user, reason=form.cleaned_data["reason"])
                count += 1
            self.message_user(request, f"Rejected {count} proposal(s).", messages.SUCCESS)
            return None
        return bulk_reason_page(self, request, pending, form, "Why are these proposals rejected?")
