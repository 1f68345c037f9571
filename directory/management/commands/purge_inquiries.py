from django.conf import settings
from django.core.management.base import BaseCommand

from directory.outreach.services import inquiries_purge, problem_reports_forget_contacts


class Command(BaseCommand):
    help = (
        "Delete inquiries older than INQUIRY_RETENTION_DAYS (with the records of who viewed them) "
        "and blank the contact details of problem reports that old. Run daily from cron."
    )

    def handle(self, *args, **options):
        inquiries = inquiries_purge()
        contacts = problem_reports_forget_contacts()
        if options["verbosity"] > 1 or inquiries or contacts:
            self.stdout.write(
                f"Deleted {inquiries} inquiry(ies) and cleared {contacts} report contact(s) "
                f"older than {settings.INQUIRY_RETENTION_DAYS} days."
            )
