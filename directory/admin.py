import json

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from directory.admin_import import ImportRunAdmin, center_import_urls
from directory.fragments import directory_changed
from directory.listings import admin as listings_admin  # noqa: F401 - registers the listing queues
from directory.medicare import admin as medicare_admin  # noqa: F401 (loading it registers the evidence admin)
from directory.models import (
    AgeGroup,
    CareSetting,
    Center,
    CenterTreatment,
    CrisisService,
    ImportRun,
    Language,
    Location,
    PaymentOption,
    Treatment,
)
from directory.outreach.admin import CenterOutreachMixin  # loading it registers the outreach admins
from directory.outreach.services import verification_record
from directory.search.index import centers_refresh_search
from directory.search.vocabulary import vocabulary_forget

admin.site.site_header = "Depression Treatment Finder: staff"
admin.site.site_title = "Treatment Finder admin"
admin.site.index_title = "Keep the listings true"


class LookupAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "sort_order", "center_count"]
    list_editable = ["sort_order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_center_count=Count("centers", distinct=True))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        vocabulary_forget()  # the search form and cards name these terms
        if change and {"slug", "name", "short_name"} & set(form.changed_data):
            # Slugs are in the centers' search facets, treatment names in their text search.
            centers_refresh_search(center_ids=list(obj.centers.values_list("pk", flat=True)))

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        vocabulary_forget()

    @admin.display(description="centers", ordering="_center_count")
    def center_count(self, obj) -> int:
        return obj._center_count


@admin.register(Treatment)
class TreatmentAdmin(LookupAdmin):
    list_display = ["name", "short_name", "slug", "category", "sort_order", "center_count"]
    list_filter = ["category"]


for lookup_model in (CareSetting, PaymentOption, AgeGroup, Language, CrisisService):
    admin.site.register(lookup_model, LookupAdmin)


class LocationInline(admin.StackedInline):
    model = Location
    extra = 0
    min_num = 1
    fields = [
        ("label", "sort_order"),
        ("street1", "street2"),
        ("city", "state", "zip"),
        ("latitude", "longitude"),
        ("phone", "hours", "wheelchair_accessible"),
    ]


class CenterTreatmentInline(admin.StackedInline):
    model = CenterTreatment
    extra = 0
    autocomplete_fields = ["treatment"]
    fields = [
        "treatment",
        ("tms_variant", "ketamine_route", "spravato_rems_certified"),
        ("ect_setting", "vns_role", "psychedelic_program"),
        ("self_pay_price", "price_unit", "prior_authorization_help"),
        "notes",
    ]

    class Media:
        # Shows on each row only the detail its treatment asks about (CenterTreatment.DETAIL_FIELD_BY_TREATMENT).
        js = ["js/admin-treatment-details.js"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "treatment":
            by_slug = CenterTreatment.DETAIL_FIELD_BY_TREATMENT
            by_id = dict(Treatment.objects.filter(slug__in=by_slug).values_list("pk", "slug"))
            field.widget.attrs["data-detail-fields"] = json.dumps(
                {"all": sorted(by_slug.values()), **{str(pk): by_slug[slug] for pk, slug in by_id.items()}}
            )
        return field


class VerifyTodayForm(forms.Form):
    method = forms.ChoiceField(label="How were they checked?", choices=Center.VerificationMethod.choices)
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class VerifiedFilter(admin.SimpleListFilter):
    title = "verification"
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        return [("yes", "Verified in the last 12 months"), ("stale", "Stale or never verified")]

    def queryset(self, request, queryset):
        if self.value() == "stale":
            return queryset.stale()
        if self.value() == "yes":
            return queryset.exclude(pk__in=queryset.stale().values("pk"))
        return queryset


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        states = Location.objects.order_by("state").values_list("state", flat=True).distinct()
        return [(state, state) for state in states]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(locations__state=self.value()).distinct()
        return queryset


admin.site.register(ImportRun, ImportRunAdmin)

# Relations of Center that the center list must not filter through (CenterAdmin.lookup_allowed).
SENSITIVE_RELATIONS = {"inquiries"}
RELATED_ADMIN_MODELS = {
    relation.name: relation.related_model
    for relation in Center._meta.get_fields()
    if relation.auto_created and not relation.concrete
}


@admin.register(Center)
class CenterAdmin(CenterOutreachMixin, SimpleHistoryAdmin):
    # Short column titles: the list has to fit beside the admin's two sidebars at 1280 px (issue 13).
    list_display = ["name", "status", "primary_city", "accepting", "last_verified_on", "demo"]
    list_filter = ["status", VerifiedFilter, "treatments", StateFilter, "accepting_new_patients", "is_demo"]
    search_fields = ["name", "locations__city", "locations__zip", "source_key"]
    search_help_text = "Search by name, city, ZIP or source key."
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["care_settings", "payment_options", "age_groups", "languages", "crisis_services"]
    inlines = [LocationInline, CenterTreatmentInline]
    readonly_fields = ["public_id", "created_at", "updated_at", "accepting_reported_by_center", "center_confirmed_on"]
    actions = ["publish", "unpublish", "mark_verified_today"]
    date_hierarchy = "updated_at"
    fieldsets = [
        (None, {"fields": ["name", "slug", "status", "description", "description_es"]}),
        ("Contact", {"fields": ["phone", "website", "email", "inquiry_email"]}),
        (
            "Care offered",
            {"fields": ["care_settings", "payment_options", "insurers", "age_groups", "languages", "crisis_services"]},
        ),
        (
            "Availability",
            {
                "fields": [
                    "accepting_new_patients",
                    "accepting_checked_on",
                    "typical_wait",
                    ("accepting_reported_by_center", "center_confirmed_on"),
                ]
            },
        ),
        (
            "Provenance",
            {
                "fields": [
                    ("source", "source_key"),
                    "source_codes",
                    ("last_verified_on", "verification_method", "verified_by"),
                    "is_demo",
                    ("public_id", "created_at", "updated_at"),
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("locations")

    def lookup_allowed(self, lookup, value, request):
        # Django allows one hop through any reverse relation, so `?inquiries__isnull=False`
        # told listing editors which centers received inquiries. Lookups through the public's
        # messages are refused for everyone (nothing here needs them; reading an inquiry is
        # recorded), and through any other related records for those who may not view them.
        first = lookup.split("__", 1)[0]
        if first in SENSITIVE_RELATIONS:
            return False
        related = RELATED_ADMIN_MODELS.get(first)
        if related is not None:
            related_admin = self.admin_site._registry.get(related)
            if related_admin is None or not related_admin.has_view_permission(request):
                return False
        return super().lookup_allowed(lookup, value, request)

    def get_urls(self):
        # The national directory import page (directory/admin_import.py), linked from the changelist.
        return center_import_urls(self) + super().get_urls()

    def save_model(self, request, obj, form, change):
        # Availability edited by staff is no longer what the center reported.
        if {"accepting_new_patients", "accepting_checked_on", "typical_wait"} & set(form.changed_data):
            obj.accepting_reported_by_center = False
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Name, description, treatments and cities feed the text search document.
        centers_refresh_search(center_ids=[form.instance.pk])

    @admin.display(description="city")
    def primary_city(self, obj: Center) -> str:
        locations = list(obj.locations.all())
        return f"{locations[0].city}, {locations[0].state}" if locations else "-"

    @admin.display(description="accepting", ordering="accepting_new_patients")
    def accepting(self, obj: Center) -> str:
        return obj.get_accepting_new_patients_display()

    @admin.display(description="demo", ordering="is_demo")
    def demo(self, obj: Center) -> str:
        return "Demo" if obj.is_demo else ""

    @admin.action(description="Publish selected centers", permissions=["change"])
    def publish(self, request, queryset):
        count = queryset.update(status=Center.Status.PUBLISHED, updated_at=timezone.now())
        directory_changed()  # no signal: lists of centers are drawn again
        self.message_user(request, f"Published {count} center(s).", messages.SUCCESS)

    @admin.action(description="Unpublish selected centers (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        count = queryset.update(status=Center.Status.DRAFT, updated_at=timezone.now())
        directory_changed()
        self.message_user(request, f"Unpublished {count} center(s).", messages.SUCCESS)

    @admin.action(description="Mark selected centers verified today", permissions=["change"])
    def mark_verified_today(self, request, queryset):
        """Ask how the listings were checked, then record one Verification per center."""
        form = VerifyTodayForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            today = timezone.localdate()
            for center in queryset:
                verification_record(
                    center=center,
                    verified_on=today,
                    method=form.cleaned_data["method"],
                    note=form.cleaned_data["note"],
                    user=request.user,
                )
            self.message_user(request, f"Marked {queryset.count()} center(s) verified today.", messages.SUCCESS)
            return None
        return TemplateResponse(
            request,
            "admin/directory/center/verify_today.html",
            {
                **self.admin_site.each_context(request),
                "title": "How were these listings verified?",
                "centers": queryset,
                "form": form,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(Location)
class LocationAdmin(SimpleHistoryAdmin):
    list_display = ["street1", "city", "state", "zip", "center"]
    list_filter = ["state"]
    list_select_related = ["center"]
    search_fields = ["street1", "city", "zip", "center__name"]
    autocomplete_fields = ["center"]


@admin.register(CenterTreatment)
class CenterTreatmentAdmin(SimpleHistoryAdmin):
    list_display = ["center", "treatment", "self_pay_price", "price_unit"]
    list_filter = ["treatment"]
    list_select_related = ["center", "treatment"]
    search_fields = ["center__name", "treatment__name"]
    autocomplete_fields = ["center", "treatment"]
