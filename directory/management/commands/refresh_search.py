from django.core.management.base import BaseCommand

from directory.search.index import centers_refresh_search


class Command(BaseCommand):
    help = "Rebuild the text search document of every center (PostgreSQL; nothing to do on SQLite)."

    def handle(self, *args, **options):
        count = centers_refresh_search()
        self.stdout.write(f"Search documents refreshed: {count}.")
