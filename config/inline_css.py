"""The site's stylesheets, written into each page's <head> instead of linked (issue 21).

A phone on a first visit then renders the page without waiting for a stylesheet request
(Lighthouse's "render-blocking resources"). The CSS is small because Bootstrap is trimmed
to the rules our pages use (`make css`, purgecss.config.js): about 56 KB, 12 KB gzipped,
with site.css. The Content Security Policy allows exactly these <style> elements by
their SHA-256 hashes (`STYLESHEET_HASHES` in config/settings.py); `style=""` attributes
and any other inline style stay blocked.
"""

import base64
import hashlib
from functools import cache
from pathlib import Path

from django import template
from django.utils.safestring import SafeString, mark_safe

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
# Name -> the files, in order, that make one <style> element.
STYLESHEETS = {
    "site": ("css/build/bootstrap.min.css", "css/site.css"),
    "guide": ("css/guide.css",),
}

register = template.Library()


@cache
def stylesheet_text(name: str) -> str:
    """The stylesheet's CSS, read once per process."""
    text = "\n".join((STATIC_DIR / path).read_text(encoding="utf-8") for path in STYLESHEETS[name])
    if "</" in text:
        raise ValueError(f"Stylesheet {name!r} contains '</': it would end its <style> element.")
    return text


def stylesheet_hashes() -> list[str]:
    """CSP sources allowing each inlined stylesheet: "'sha256-...'"."""
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(stylesheet_text(name).encode()).digest()).decode()}'"
        for name in STYLESHEETS
    ]


@register.simple_tag
def inline_stylesheet(name: str) -> SafeString:
    """{% inline_stylesheet "site" %}: the stylesheet as a <style> element."""
    return mark_safe(f"<style>{stylesheet_text(name)}</style>")  # noqa: S308 (our own files, checked for '</')
