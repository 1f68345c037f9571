"""Guide editors write and review-record the guide's translations, as they do its articles."""

from django.db import migrations

ROLE = "Guide editors"
ACTIONS = ("add", "change", "delete", "view")


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=ROLE)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="articles",
            content_type__model="articletranslation",
            codename__in=[f"{action}_articletranslation" for action in ACTIONS],
        )
    )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    group = apps.get_model("auth", "Group").objects.filter(name=ROLE).first()
    if group:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="articles", content_type__model="articletranslation")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_article_translation"),
        ("directory", "0005_staff_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
