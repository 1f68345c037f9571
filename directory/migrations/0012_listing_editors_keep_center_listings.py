"""Listing editors work the three new queues (submissions, claims, proposed changes), see
and revoke representatives, and read the record of listing actions. Nobody else does,
apart from superusers: what submitters and claimants send is personal data."""

from django.db import migrations

ROLE = "Listing editors"
PERMISSIONS = {
    "listingsubmission": ("change", "view"),
    "centerclaim": ("change", "view"),
    "changeproposal": ("change", "view"),
    "representative": ("change", "view"),
    "representation": ("change", "view"),
    "listingaction": ("view",),
}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=ROLE)
    for model, actions in PERMISSIONS.items():
        for action in actions:
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label="directory", content_type__model=model, codename=f"{action}_{model}"
                )
            )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    group = apps.get_model("auth", "Group").objects.filter(name=ROLE).first()
    if group:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="directory", content_type__model__in=PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [("directory", "0011_center_listings")]

    operations = [migrations.RunPython(grant, revoke)]
