"""Point the medication-management treatment at its own guide article.

It linked to the general article on treatment-resistant depression until the guide gained
"Medication options when antidepressants haven't worked" (articles/content/).
"""

from django.db import migrations

TREATMENT = "medication-management"
NEW_ARTICLE = "medication-options-when-antidepressants-havent-worked"
OLD_ARTICLE = "what-is-treatment-resistant-depression"


def link_medication_article(apps, schema_editor):
    Treatment = apps.get_model("directory", "Treatment")
    Treatment.objects.filter(slug=TREATMENT, guide_slug=OLD_ARTICLE).update(guide_slug=NEW_ARTICLE)


def link_general_article(apps, schema_editor):
    Treatment = apps.get_model("directory", "Treatment")
    Treatment.objects.filter(slug=TREATMENT, guide_slug=NEW_ARTICLE).update(guide_slug=OLD_ARTICLE)


class Migration(migrations.Migration):
    dependencies = [("directory", "0007_import_runs_and_intake_phones")]

    operations = [migrations.RunPython(link_medication_article, link_general_article)]
