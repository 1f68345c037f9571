from django.core.management.base import BaseCommand

from directory.outreach.services import inquiries_send_pending


class Command(BaseCommand):
    help = (
        "Queue again the notification e-mail of every inquiry not yet announced (e.g. after the "
        "worker gave up during a long mail outage). The worker (db_worker) sends them."
    )

    def handle(self, *args, **options):
        queued = inquiries_send_pending()
        if options["verbosity"] > 1 or queued:
            self.stdout.write(f"Inquiry notifications queued: {queued}.")
