from django.core.management.base import BaseCommand, CommandError

from directory.outreach.services import inquiries_send_pending


class Command(BaseCommand):
    help = "Send the notification e-mails of inquiries whose first attempt failed (run from cron)."

    def handle(self, *args, **options):
        sent, failed = inquiries_send_pending()
        if options["verbosity"] > 1 or sent:
            self.stdout.write(f"Inquiry notifications sent: {sent}.")
        if failed:
            # A non-zero exit makes cron report it; the inquiries stay stored and unsent.
            raise CommandError(f"{failed} inquiry notification(s) could not be sent; they will be retried.")
