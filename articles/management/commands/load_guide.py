from django.core.management.base import BaseCommand

from articles.services import article_render_all, guide_load


class Command(BaseCommand):
    help = "Load the treatment guide shipped in articles/content/ (creates missing articles)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--update",
            action="store_true",
            help="Also overwrite articles that already exist with the shipped text (loses admin edits).",
        )

    def handle(self, *args, update: bool = False, **options):
        counts = guide_load(update=update)
        self.stdout.write("Guide: created {created}, updated {updated}, unchanged {unchanged}.".format(**counts))
        self.stdout.write(
            "Guide translations: created {translations_created}, updated {translations_updated}, "
            "unchanged {translations_unchanged}.".format(**counts)
        )
        # Existing articles keep their text but get the current renderer's HTML.
        self.stdout.write(f"Guide: re-rendered {article_render_all()} articles and translations.")
