"""Our own pages for errors Django would otherwise answer with its bare default pages."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache


@never_cache
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form refused for a missing or stale security token.

    Django's default page has inline styles (blocked by our CSP) and no crisis help. The
    reason is not shown: it helps an attacker more than the person, and debug pages are
    not for the public.
    """
    return render(request, "403_csrf.html", status=403)
