"""Seed the guide's topics; their slugs are used by the shipped articles."""

from django.db import migrations

TOPICS = [
    (
        "understanding-depression",
        "Understanding depression",
        "What treatment-resistant depression is, and the signs to watch for.",
    ),
    (
        "treatment-options",
        "Treatment options",
        "How each treatment works, what a course is like, and what the evidence says.",
    ),
    ("finding-care", "Finding care", "Choosing a center, paying for care, and the questions to ask."),
    ("everyday-support", "Everyday support", "Habits and connections that support treatment, never replace it."),
]


def seed(apps, schema_editor):
    Topic = apps.get_model("articles", "Topic")
    for order, (slug, name, description) in enumerate(TOPICS):
        Topic.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
