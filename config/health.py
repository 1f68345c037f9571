"""Is the site able to serve, and what it answers when its database is away.

`/healthz` is for load balancers and container health checks: 200 "ok" when the
database answers a trivial query, 503 when it does not. While the database is away,
every other page answers a plain 503 page with crisis help (never a 500, never a hang:
`connect_timeout` bounds the wait), and the site recovers by itself when the database
is back, because Django drops unusable connections at the end of each request.
"""

import logging
import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.views import defaults

logger = logging.getLogger("config.health")

# What a lost or refused database connection raises (psycopg's errors arrive wrapped as these).
DATABASE_UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_is_up() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.warning("Health check: the database did not answer.")
        return False


def healthz(request: HttpRequest) -> HttpResponse:
    up = database_is_up()
    response = HttpResponse(
        "ok\n" if up else "database unavailable\n", status=200 if up else 503, content_type="text/plain"
    )
    response["X-Content-Type-Options"] = "nosniff"
    add_never_cache_headers(response)
    return response


def database_unavailable_response() -> HttpResponse:
    """A plain 503 page with crisis help. Rendered without context processors: they query the database."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database outage met outside a view (in middleware) still answers 503."""
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE_ERRORS):
        return database_unavailable_response()
    return defaults.server_error(request)
