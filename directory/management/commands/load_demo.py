from django.core.management import call_command
from django.core.management.base import BaseCommand

from directory.demo import demo_load, demo_remove


class Command(BaseCommand):
    help = (
        "Add the fictional demo centers beside the real directory (idempotent; every page then shows a demo "
        "notice) and load the treatment guide. --remove deletes them again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--remove", action="store_true", help="Delete the demo centers (nothing else).")

    def handle(self, *args, remove: bool = False, **options):
        if remove:
            self.stdout.write(f"Demo centers removed: {demo_remove()}.")
            return
        count = demo_load()
        self.stdout.write(f"Demo centers: {count} (fictional; every page shows a demo notice).")
        call_command("load_guide", stdout=self.stdout)
