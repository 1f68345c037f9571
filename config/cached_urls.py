"""The fixed URLs every page writes, worked out once per process instead of on every page.

A listing page writes nine `{% url %}` links without arguments (the header, the footer,
the search form) and five `{% static %}` files. Each costs 20 to 80 microseconds (a
reverse() walks the URL patterns; a static URL looks up the manifest and rebuilds the
path), together about a millisecond of a listing's seven (bench/README.md, issue 12
second round). Their answers cannot change while the process runs, so they are kept:

- `StaticStorage`, the production static files storage (whitenoise's compressed manifest),
  keeps each file's URL;
- the `url` tag here replaces Django's built-in one (TEMPLATES' "builtins" in
  config/settings.py) and keeps the URL of a name given without arguments, for the URL
  configuration, script prefix and language it was reversed under. A `{% url %}` with
  arguments (a center's page) is reversed every time, exactly as Django's tag does.
"""

from functools import lru_cache

from django import template
from django.template import defaulttags
from django.urls import NoReverseMatch, get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.html import conditional_escape
from whitenoise.storage import CompressedManifestStaticFilesStorage

register = template.Library()


class StaticStorage(CompressedManifestStaticFilesStorage):
    """The manifest is read once at start-up, so a file's URL is fixed: keep it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force=True)
        try:
            return self._urls[name]
        except KeyError:
            url = self._urls[name] = super().url(name)
            return url


@lru_cache(maxsize=512)
def _reverse_kept(view_name: str, current_app: str | None, prefix: str, resolver, language: str | None) -> str:
    # `prefix`, `resolver` and `language` only key the cache: reverse() reads them itself.
    return reverse(view_name, current_app=current_app)


class KeptURLNode(defaulttags.URLNode):
    def render(self, context):
        if self.args or self.kwargs:
            return super().render(context)
        view_name = self.view_name.resolve(context)
        try:  # as Django's URLNode chooses it
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        resolver = get_resolver(get_urlconf())  # a new one after the URL configuration changes
        try:
            url = _reverse_kept(view_name, current_app, get_script_prefix(), resolver, translation.get_language())
        except NoReverseMatch:
            return super().render(context)  # Django's own handling (raises, or "" with "as")
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    """Django's {% url %}, same syntax and output (see the module's docstring)."""
    node = defaulttags.url(parser, token)
    node.__class__ = KeptURLNode
    return node
