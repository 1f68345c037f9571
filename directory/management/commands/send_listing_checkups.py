from django.core.management.base import BaseCommand, CommandError

from directory.listings.checkups import checkups_send


class Command(BaseCommand):
    help = (
        "E-mail each claimed center's representatives one-click links to confirm whether it is accepting "
        "new patients (every CHECKUP_INTERVAL_DAYS; run daily from cron)."
    )

    def handle(self, *args, **options):
        sent, failed = checkups_send()
        self.stdout.write(f"Listing checkups sent: {sent}.")
        if failed:
            raise CommandError(f"{failed} checkup e-mail(s) could not be sent; the next run tries again.")
