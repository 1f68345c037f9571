"""The admin's view of Medicare claims evidence: read-only (the import writes it), searchable by NPI and name."""

from django.contrib import admin

from directory.models import MedicareBilling


@admin.register(MedicareBilling)
class MedicareBillingAdmin(admin.ModelAdmin):
    list_display = ["name", "credentials", "npi", "treatment", "year", "center", "codes"]
    list_filter = ["year", "treatment", "is_organization"]
    list_select_related = ["center", "treatment"]
    search_fields = ["npi", "name", "center__name"]
    readonly_fields = [field.name for field in MedicareBilling._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
