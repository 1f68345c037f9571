"""WSGI application for `bench/search.py --http`: the site (config/wsgi.py, with its
worker warm-up) plus the reference views."""

import os

from django.conf import settings

from config.wsgi import application

settings.ROOT_URLCONF = "bench.urls"
if os.environ.get("BENCH_NO_FRAGMENT_CACHE"):  # bench/search.py --no-fragment-cache
    settings.CACHES["fragments"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}

__all__ = ["application"]
