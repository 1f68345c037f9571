from django.conf import settings
from django.core.management.base import BaseCommand

from config.signin import sign_in_records_purge
from directory.outreach.services import inquiries_purge, problem_reports_forget_contacts


class Command(BaseCommand):
    help = (
        "Delete inquiries older than INQUIRY_RETENTION_DAYS (with the records of who viewed them) "
        "and blank the contact details of problem reports that old; delete failed staff sign-in "
        "records once their lockout has run out. Run daily from cron."
    )

    def handle(self, *args, **options):
        inquiries = inquiries_purge()
        contacts = problem_reports_forget_contacts()
        sign_ins = sign_in_records_purge()
        if options["verbosity"] > 1 or inquiries or contacts or sign_ins:
            self.stdout.write(
                f"Deleted {inquiries} inquiry(ies) and cleared {contacts} report contact(s) "
                f"older than {settings.INQUIRY_RETENTION_DAYS} days; deleted {sign_ins} expired sign-in record(s)."
            )
