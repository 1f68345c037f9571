"""Project middleware: health probes, the database-outage page and response headers."""

import logging
from urllib.parse import unquote

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.gzip import GZipMiddleware
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers

from config.health import DATABASE_UNAVAILABLE_ERRORS, database_unavailable_response, healthz

logger = logging.getLogger("config.health")

HEALTH_PATH = "/healthz"


class HealthCheckMiddleware:
    """Answers /healthz before host validation and the https redirect.

    Load balancers probe each instance by its address over plain http, with a Host header
    that is not in ALLOWED_HOSTS; the probe must still reach the database check. First in
    MIDDLEWARE. The same view is routed in config/urls.py for reverse() and for readers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == HEALTH_PATH and request.method in ("GET", "HEAD"):
            return healthz(request)
        return self.get_response(request)


class RejectNulMiddleware:
    """Answers 400 to a request with a NUL character in its path or query string.

    No page of the site has one, and PostgreSQL refuses NUL in text: psycopg2 raises when
    such a value reaches a query (`/centers/f%00/jacksonville/`, an admin filter
    `?status__exact=%00`), which would be a 500. Refused here, before sessions or any view
    touch the database. The page is the static 400.html with crisis help (no database);
    JSON under /api/. Early in MIDDLEWARE, inside the header middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info or "\x00" in unquote(request.META.get("QUERY_STRING", "")):
            return self.refusal(request)
        return self.get_response(request)

    @staticmethod
    def refusal(request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            response = JsonResponse({"errors": {"request": ["A NUL character is not allowed in a URL."]}}, status=400)
        else:
            language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
            with translation.override(language):
                response = HttpResponse(render_to_string("400.html"), status=400)
        add_never_cache_headers(response)
        return response


class DatabaseUnavailableMiddleware:
    """Turns a lost database connection into a 503 page with crisis help instead of a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_UNAVAILABLE_ERRORS):
            logger.warning("Database unavailable: answering 503 (%s).", type(exception).__name__)
            return database_unavailable_response()
        return None


class PermissionsPolicyMiddleware:
    """Sends settings.PERMISSIONS_POLICY: turns off browser features the site never uses."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.PERMISSIONS_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Permissions-Policy", self.policy)
        return response


class CacheControlMiddleware:
    """Lets shared caches keep anonymous public pages briefly; keeps everything else private.

    A view that sets Cache-Control itself (`never_cache`, `cache_control`, the admin) is
    left alone. Otherwise:
    - GET/HEAD answered 200 to someone without a session, setting no cookie (so no CSRF
      token, no message, nothing personal): `public, max-age=PUBLIC_CACHE_SECONDS`, Vary: Cookie;
    - a request with a session (staff), a response that sets a cookie (a form's CSRF
      token, a one-time message) or any other method: never cached.
    Other statuses (redirects, 404s) get no header. Pages with personal content should
    still say so themselves with `@never_cache`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        personal = settings.SESSION_COOKIE_NAME in request.COOKIES or bool(response.cookies)
        if request.method not in ("GET", "HEAD") or personal:
            add_never_cache_headers(response)
        elif response.status_code == 200 and settings.PUBLIC_CACHE_SECONDS:
            patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
            patch_vary_headers(response, ("Cookie",))
        return response


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, for a site where the path alone names the language.

    English pages are at unprefixed URLs and Spanish ones under /es/
    (`i18n_patterns(..., prefix_default_language=False)`), and everything outside
    i18n_patterns (the admin, the API, the sitemap) is English. So Accept-Language and
    the language cookie never change a response, and Django's `Vary: Accept-Language` on
    unprefixed pages would only split shared caches by browser language for nothing.
    The path is already part of every cache key.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class PublicGZipMiddleware(GZipMiddleware):
    """Compresses what a shared cache may keep, and nothing else.

    BREACH (see Django's security notes on GZipMiddleware) reads a secret out of a
    compressed response by reflecting guesses into it and watching the length. A page
    marked `public` by CacheControlMiddleware carries no secret: no CSRF token, no session,
    nothing personal. Form pages, the admin and pages for signed-in staff do, so they go
    uncompressed (Django's random-length padding is kept for the rest). Outside
    CacheControlMiddleware in MIDDLEWARE, so it sees the header that middleware decided.
    """

    def process_response(self, request, response):
        directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
        if "public" not in directives:
            return response
        return super().process_response(request, response)
