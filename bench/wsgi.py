"""WSGI application for `bench/search.py --http`: the site (config/wsgi.py, with its
worker warm-up) plus the reference views."""

from django.conf import settings

from config.wsgi import application

settings.ROOT_URLCONF = "bench.urls"

__all__ = ["application"]
