"""WSGI entry point (gunicorn imports it once in each worker).

Each worker builds the in-memory geocoding index of every US ZIP and city
(directory.geo, about a second) while it boots, before it takes a request. Built lazily
instead, the first search each worker served took that second, and under load that showed
as a p99 of several seconds on the listing (bench/README.md). Tests and management
commands do not import this module, so they never pay for it.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

from directory import geo  # noqa: E402 (needs the app registry that the line above sets up)

geo.warm_up()
