"""Public forms take a small web-form body and nothing else.

The public forms (the self-check, asking a center, reporting a problem, the centers' own
forms) need a few kilobytes of text. Without a limit Django reads whatever is sent: a
100 MB multipart upload to the self-check (which is CSRF-exempt) was accepted, spooled to
disk and parsed by a worker. A view marked with `@public_form` is screened by
`PublicFormBodyMiddleware` before anything reads the body (CsrfViewMiddleware does, so the
middleware comes before it):

- a body longer than the view's limit, by its Content-Length: 413, body unread;
- a body that is not `application/x-www-form-urlencoded`: 415, except a small
  `multipart/form-data` without files (what some clients and Django's test client send);
  a file in it is refused with 415.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

PUBLIC_FORM_MAX_BYTES = 16 * 1024
URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
ATTRIBUTE = "public_form_max_bytes"


def public_form(view: Callable | None = None, *, max_bytes: int = PUBLIC_FORM_MAX_BYTES):
    """Marks a view whose POST body must be a small web form (see the module's docstring)."""

    def mark(view_func: Callable) -> Callable:
        setattr(view_func, ATTRIBUTE, max_bytes)
        return view_func

    return mark(view) if view is not None else mark


def _refusal(request: HttpRequest, status: int) -> HttpResponse:
    response = render(request, "form_body_refused.html", {"too_large": status == 413}, status=status)
    add_never_cache_headers(response)
    return response


class PublicFormBodyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        max_bytes = getattr(view_func, ATTRIBUTE, None)
        if max_bytes is None or request.method != "POST":  # other methods: the view answers 405
            return None
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = max_bytes + 1
        if length > max_bytes:
            return _refusal(request, 413)
        content_type = request.content_type or ""
        if content_type == URLENCODED:
            return None
        if content_type == MULTIPART:
            if request.FILES:  # parses at most max_bytes
                return _refusal(request, 415)
            return None
        return _refusal(request, 415)
