from django.core.management import call_command
from django.core.management.base import BaseCommand

from directory.demo import demo_load


class Command(BaseCommand):
    help = "Create or refresh the fictional demo centers (idempotent) and load the treatment guide."

    def handle(self, *args, **options):
        count = demo_load()
        self.stdout.write(f"Demo centers: {count} (fictional; every page shows a demo notice).")
        call_command("load_guide", stdout=self.stdout)
