"""Staff roles as groups: put each staff member in one (README: "Staff roles").

- Listing editors keep the directory true: centers (no deleting: close or unpublish
  instead), locations, treatment details, the lookup lists, problem reports,
  verifications and imports. They never see inquiries.
- Guide editors write the treatment guide.
- Intake reads and handles inquiries, and nothing else.

The permissions are frozen here; a later model needs its own migration to join a role.
"""

from django.db import migrations

ALL = ("add", "change", "delete", "view")
NO_DELETE = ("add", "change", "view")

ROLES = {
    "Listing editors": {
        "directory": {
            "center": (*NO_DELETE, "import_centers"),
            "location": ALL,
            "centertreatment": ALL,
            "treatment": NO_DELETE,
            "caresetting": NO_DELETE,
            "paymentoption": NO_DELETE,
            "agegroup": NO_DELETE,
            "language": NO_DELETE,
            "crisisservice": NO_DELETE,
            "problemreport": ("change", "view"),
            "verification": NO_DELETE,
        },
    },
    "Guide editors": {
        "articles": {
            "article": ALL,
            "faqitem": ALL,
            "reference": ALL,
            "topic": NO_DELETE,
        },
    },
    "Intake": {
        "directory": {"inquiry": ("change", "view")},
    },
}


def _codename(action: str, model: str) -> str:
    return action if action == "import_centers" else f"{action}_{model}"


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations ran; make them now to use them.
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, apps_models in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for app_label, models in apps_models.items():
            for model, actions in models.items():
                for action in actions:
                    wanted.append(
                        Permission.objects.get(
                            content_type__app_label=app_label,
                            content_type__model=model,
                            codename=_codename(action, model),
                        )
                    )
        group.permissions.set(wanted)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("articles", "0002_seed_topics"),
        ("directory", "0004_outreach_and_history"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
