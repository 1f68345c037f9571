"""System checks of the deployment as a whole (`manage.py check --deploy`)."""

import runpy

from django.conf import settings
from django.core import checks

LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


def gunicorn_workers() -> int:
    """The worker count gunicorn.conf.py gives with this environment (GUNICORN_WORKERS, or 2 x cores + 1)."""
    return int(runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))["workers"])


@checks.register(checks.Tags.security, deploy=True)
def shared_cache_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Rate limits and single-use form stamps (directory/outreach/abuse.py) live in the
    default cache. In local memory each gunicorn worker keeps its own: with 5 workers an
    address gets 5 times its limit and a stamp can be used once per worker."""
    if settings.DEBUG or settings.CACHES["default"]["BACKEND"] not in LOCAL_CACHES:
        return []
    workers = gunicorn_workers()
    if workers <= 1:
        return []
    return [
        checks.Warning(
            f"gunicorn runs {workers} workers and the default cache is in each process's memory: rate limits "
            "and single-use form stamps are counted per worker, so each address gets several times its limit.",
            hint="Set REDIS_URL to a Redis all workers share (docker-compose runs one), or GUNICORN_WORKERS=1.",
            id="config.W001",
        )
    ]
