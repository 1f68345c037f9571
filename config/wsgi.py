"""WSGI entry point. gunicorn.conf.py preloads it in the master before forking workers.

The in-memory geocoding index of every US ZIP and city (directory.geo, about 2 s of CPU)
is built here, before any request: built lazily instead, the first search each worker
served took that long, and under load that showed as a p99 of several seconds on the
listing (bench/README.md). With gunicorn's preload the workers share one copy. Nothing
here may open a database connection: forked workers would share it (a test checks).
Tests and management commands do not import this module, so they never pay for it.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

from directory import geo  # noqa: E402 (needs the app registry that the line above sets up)

geo.warm_up()
