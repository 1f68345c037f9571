"""Admin for what the public sends (inquiries, problem reports) and what staff record
(verifications), plus what outreach adds to CenterAdmin (imported by directory/admin.py).

Inquiries are visible only to the Intake group and superusers, whatever permissions an
account has been given by hand; every opening of one is recorded (InquiryView).
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import get_fields_from_path, unquote
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from directory.models import (
    Center,
    CenterTreatment,
    Inquiry,
    InquiryView,
    Location,
    ProblemReport,
    Verification,
)
from directory.outreach.services import (
    center_provenance_refresh,
    inquiry_notify,
    inquiry_view_record,
    problem_report_decide,
    verification_record,
)

INTAKE_GROUP = "Intake"


def may_see_inquiries(user) -> bool:
    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_may_see_inquiries"):
        user._may_see_inquiries = user.groups.filter(name=INTAKE_GROUP).exists()
    return user._may_see_inquiries


def list_filter_parameters(model_admin: admin.ModelAdmin, request) -> set[str]:
    """The query parameters the change list's own filters and date hierarchy produce."""
    parameters = set()
    for item in model_admin.get_list_filter(request):
        if isinstance(item, type) and issubclass(item, admin.SimpleListFilter):
            parameters.add(item.parameter_name)
            continue
        field_path, filter_class = item if isinstance(item, (list, tuple)) else (item, admin.FieldListFilter.create)
        field = get_fields_from_path(model_admin.model, field_path)[-1]
        spec = filter_class(field, request, {}, model_admin.model, model_admin, field_path=field_path)
        parameters.update(spec.expected_parameters())
    if model_admin.date_hierarchy:
        parameters.update(f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day"))
    return parameters


class NotifiedFilter(admin.SimpleListFilter):
    title = "notification"
    parameter_name = "notified"

    def lookups(self, request, model_admin):
        return [("yes", "Sent"), ("no", "Not sent yet")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.unsent()
        if self.value() == "yes":
            return queryset.filter(notified_at__isnull=False)
        return queryset


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin):
    # The list shows no names or messages: reading those means opening an inquiry,
    # and each opening is recorded.
    list_display = ["reference", "center", "created_at", "status", "preferred_contact", "notified"]
    list_filter = ["status", NotifiedFilter, "created_at"]
    list_select_related = ["center"]
    search_fields = ["=id", "center__name"]
    search_help_text = "Search by inquiry number or center name."
    date_hierarchy = "created_at"
    actions = ["retry_notification"]
    fieldsets = [
        (None, {"fields": ["center", "created_at", "status"]}),
        (
            "From the person",
            {"fields": ["name", ("phone", "email"), ("preferred_contact", "preferred_time"), "message"]},
        ),
        (
            "Notification and privacy",
            {
                "fields": [
                    "consent_given_at",
                    ("notified_to", "notified_at"),
                    ("notification_attempts", "notification_error"),
                    "view_log",
                ]
            },
        ),
    ]
    readonly_fields = [
        "center",
        "created_at",
        "name",
        "phone",
        "email",
        "preferred_contact",
        "preferred_time",
        "message",
        "consent_given_at",
        "notified_to",
        "notified_at",
        "notification_attempts",
        "notification_error",
        "view_log",
    ]

    def has_module_permission(self, request):
        return may_see_inquiries(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return may_see_inquiries(request.user) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return may_see_inquiries(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return may_see_inquiries(request.user) and super().has_delete_permission(request, obj)

    def has_add_permission(self, request):
        return False  # inquiries come only from the public form

    def lookup_allowed(self, lookup, value, request):
        # Only what the filters on the page produce. Django allows any lookup on the model's
        # own fields, and `?id=N&message__startswith=X` answered yes or no about an
        # inquiry's content without opening it (no InquiryView). Others: 400.
        return lookup in list_filter_parameters(self, request)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        # Reaching here with a page (not a redirect) means the permission checks passed and
        # the inquiry is shown: on a GET, and also when a POST with errors shows it again.
        if response.status_code == 200 and hasattr(response, "context_data"):
            inquiry = self.get_object(request, unquote(object_id))
            if inquiry is not None:
                inquiry_view_record(inquiry=inquiry, user=request.user)
        return response

    @admin.display(description="inquiry", ordering="id")
    def reference(self, obj: Inquiry) -> str:
        return f"#{obj.pk}"

    @admin.display(description="notified", boolean=True, ordering="notified_at")
    def notified(self, obj: Inquiry) -> bool:
        return obj.notified_at is not None

    @admin.display(description="opened by")
    def view_log(self, obj: Inquiry) -> str:
        views = obj.views.all()[:50]
        if not views:
            return "Nobody yet."
        return format_html_join(
            "",
            "<div>{} on {}</div>",
            ((view.viewed_by_username, f"{view.viewed_at:%Y-%m-%d %H:%M}") for view in views),
        )

    @admin.action(description="Send the notification e-mail again", permissions=["change"])
    def retry_notification(self, request, queryset):
        for inquiry in queryset.select_related("center"):
            inquiry_notify(inquiry=inquiry)
        self.message_user(request, f"Queued {queryset.count()} notification e-mail(s); the worker sends them.")


@admin.register(InquiryView)
class InquiryViewAdmin(admin.ModelAdmin):
    """The audit trail of who opened which inquiry: for superusers, read-only."""

    list_display = ["viewed_at", "viewed_by_username", "inquiry"]
    list_filter = ["viewed_at", "viewed_by_username"]
    search_fields = ["=inquiry__id", "viewed_by_username"]
    list_select_related = ["inquiry__center"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReportStatusFilter(admin.SimpleListFilter):
    """Open reports first: the queue is what staff come for."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*ProblemReport.Status.choices, ("all", "All")]

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {
                "selected": (self.value() or ProblemReport.Status.OPEN) == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value() or ProblemReport.Status.OPEN
        return queryset if value == "all" else queryset.filter(status=value)


@admin.register(ProblemReport)
class ProblemReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "center", "kind", "status", "listing_changed", "resolved_at", "resolved_by"]
    list_filter = [ReportStatusFilter, "kind", "listing_changed", "created_at"]
    list_select_related = ["center", "resolved_by"]
    search_fields = ["center__name", "details"]
    search_help_text = "Search by center name or the report's text."
    date_hierarchy = "created_at"
    actions = ["reject_reports"]
    fields = [
        "center_links",
        ("kind", "created_at"),
        "details",
        "contact",
        "status",
        "listing_changed",
        "resolution_note",
        ("resolved_by", "resolved_at"),
    ]
    readonly_fields = ["center_links", "kind", "created_at", "details", "contact", "resolved_by", "resolved_at"]

    def has_add_permission(self, request):
        return False  # reports come from the public form

    def save_model(self, request, obj, form, change):
        problem_report_decide(
            report=obj,
            status=obj.status,
            listing_changed=obj.listing_changed,
            note=obj.resolution_note,
            user=request.user,
        )

    @admin.display(description="center")
    def center_links(self, obj: ProblemReport) -> str:
        return format_html(
            '{} &middot; <a href="{}">fix the listing</a> &middot; <a href="{}">public page</a>',
            obj.center.name,
            reverse("admin:directory_center_change", args=[obj.center_id]),
            obj.center.get_absolute_url(),
        )

    @admin.action(description="Reject selected reports (no change needed)", permissions=["change"])
    def reject_reports(self, request, queryset):
        count = 0
        for report in queryset.filter(status=ProblemReport.Status.OPEN):
            problem_report_decide(
                report=report,
                status=ProblemReport.Status.REJECTED,
                listing_changed=False,
                note=report.resolution_note,
                user=request.user,
            )
            count += 1
        self.message_user(request, f"Rejected {count} report(s).", messages.SUCCESS)


@admin.register(Verification)
class VerificationAdmin(admin.ModelAdmin):
    list_display = ["center", "verified_on", "method", "verified_by"]
    list_filter = ["method", "verified_on"]
    list_select_related = ["center", "verified_by"]
    search_fields = ["center__name", "note"]
    autocomplete_fields = ["center"]
    date_hierarchy = "verified_on"
    fields = ["center", "verified_on", "method", "note", "verified_by"]
    readonly_fields = ["verified_by"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            center_provenance_refresh(center=obj.center)
            return
        saved = verification_record(
            center=obj.center, verified_on=obj.verified_on, method=obj.method, note=obj.note, user=request.user
        )
        obj.pk = saved.pk

    def response_add(self, request, obj, post_url_continue=None):
        # Opened from a center's page ("Record a verification", ?center=<id>): go back to that center.
        if request.GET.get("center") == str(obj.center_id) and "_addanother" not in request.POST:
            self.message_user(
                request, f"Recorded a verification of {obj.center} on {obj.verified_on}.", messages.SUCCESS
            )
            return HttpResponseRedirect(reverse("admin:directory_center_change", args=[obj.center_id]))
        return super().response_add(request, obj, post_url_continue)


class VerificationInline(admin.TabularInline):
    """Record a check of the listing; past checks are shown, not edited."""

    model = Verification
    extra = 0
    fields = ["verified_on", "method", "note", "verified_by"]
    readonly_fields = ["verified_by"]
    classes = ["collapse"]
    verbose_name = "verification"
    verbose_name_plural = "Verifications (add one after checking the listing; the newest sets 'last verified')"

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CenterOutreachMixin:
    """What outreach adds to CenterAdmin: verifications, the stale column, restorable
    history (with SimpleHistoryAdmin), and provenance that only verifications change."""

    provenance_fields = ["last_verified_on", "verification_method", "verified_by"]

    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), VerificationInline]

    def get_list_display(self, request):
        # One column for the date and whether it is stale ("Current, 2026-03-02"): two were too wide at 1280 px.
        columns = [column for column in super().get_list_display(request) if column != "last_verified_on"]
        return [*columns, "stale_flag"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *self.provenance_fields, "removed_parts"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None:
            fieldsets.append(
                ("Removed locations and treatments", {"fields": ["removed_parts"], "classes": ["collapse"]})
            )
        return fieldsets

    def save_formset(self, request, form, formset, change):
        if formset.model is not Verification:
            return super().save_formset(request, form, formset, change)
        for verification in formset.save(commit=False):
            verification.verified_by = request.user
            verification.save()
        center_provenance_refresh(center=form.instance)

    @admin.display(description="last verified", ordering="last_verified_on")
    def stale_flag(self, obj: Center) -> str:
        return f"{'Stale' if obj.is_stale else 'Current'}, {obj.last_verified_on or 'never'}"

    @admin.display(description="removed, restorable")
    def removed_parts(self, obj: Center) -> str:
        """Links to the history of deleted locations and treatment details, to restore them."""
        rows = []
        for model, label in ((Location, "location"), (CenterTreatment, "treatment detail")):
            deleted = model.history.filter(center_id=obj.pk, history_type="-").order_by("-history_date")[:20]
            for record in deleted:
                url = reverse(f"admin:directory_{model._meta.model_name}_history", args=[record.id])
                rows.append((url, f"{label}: {record.instance}", f"{record.history_date:%Y-%m-%d}"))
        if not rows:
            return "Nothing removed."
        return format_html_join("", '<div><a href="{}">{}</a> (removed {})</div>', rows)
