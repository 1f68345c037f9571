"""Staff sign-in lockouts (django-axes), tuned so nobody can lock a colleague out.

axes locks a user name only together with the address it is tried from, so 5 failures
from scattered addresses lock nothing for the real owner of the name. One address is
also refused after ADMIN_LOGIN_ADDRESS_FAILURE_LIMIT failures within the cool-off,
whatever names it tries: high enough for an office behind one address, low enough to
stop guessing. The user agent is never stored, and a failed attempt is kept only until
its cool-off has run out (purge_inquiries deletes the leftovers daily).
"""

from datetime import timedelta

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


class SignInLockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        if self.address_failures(request) >= settings.ADMIN_LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures

    @staticmethod
    def address_failures(request) -> int:
        recent = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
        )
        return recent.aggregate(total=Sum("failures_since_start"))["total"] or 0

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is not None:
            request.axes_user_agent = ""  # not needed for any lockout, so not kept
        super().user_login_failed(sender, credentials, request, **kwargs)

    def user_logged_in(self, sender, request, user, **kwargs):
        request.axes_user_agent = ""
        super().user_logged_in(sender, request, user, **kwargs)


def sign_in_records_purge() -> int:
    """Delete failed attempts whose cool-off is over (they no longer count towards a lockout)
    and sign-in logs older than the retention period. Returns how many records went."""
    now = timezone.now()
    cutoff = now - timedelta(days=settings.INQUIRY_RETENTION_DAYS)
    expired = [
        AccessAttempt.objects.filter(attempt_time__lt=now - settings.AXES_COOLOFF_TIME),
        AccessLog.objects.filter(attempt_time__lt=cutoff),
        AccessFailureLog.objects.filter(attempt_time__lt=cutoff),
    ]
    count = 0
    for records in expired:
        count += records.count()
        records.delete()
    return count
