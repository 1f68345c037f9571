"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py config.wsgi`.

Every value can be changed through the environment (listed in .env.example). The access
log names the path only (`%(U)s`), never the request line or query string (`%(r)s`,
`%(q)s`), which can carry what a person searched for, and no client address.
"""

import os


def _cores() -> int:
    # The CPUs this process may run on (a container's limit), not the host's count.
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value not in {"1", "true", "yes", "on", "0", "false", "no", "off"}:
        raise ValueError(f"{name} must be 1 or 0 (true/false, yes/no, on/off), not {value!r}")
    return value in {"1", "true", "yes", "on"}


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# 2 x cores + 1 synchronous workers (gunicorn's advice), at most 8 per instance: add
# instances behind the load balancer rather than workers beyond that.
workers = _int("GUNICORN_WORKERS", min(2 * _cores() + 1, 8))
# Load the application once in the master, then fork the workers: they share its memory,
# above all the in-memory geocoding index of every US ZIP and city that config/wsgi.py
# builds (five workers and the master: about 1,060 MB in all without this, 320 to 370 MB with it;
# bench/README.md),
# and a worker replaced after max_requests starts at once instead of rebuilding the index.
# The master opens no database connection (Django connects on first use; a test checks).
# With it, new code needs a restart of gunicorn, not a HUP.
preload_app = _bool("GUNICORN_PRELOAD", True)
# A request that takes longer than this is killed and its worker replaced.
timeout = _int("GUNICORN_TIMEOUT", 30)
# On restart, workers get this long to finish the requests they are serving.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Replace each worker now and then, so a slow leak can never grow without bound. Workers
# share the load evenly, so a narrow jitter recycles them all within a second or two (the
# probe saw p99 triple); half of max_requests spreads the restarts out.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", max_requests // 2)
# Load balancers whose X-Forwarded-* headers gunicorn trusts (comma-separated, or *
# when only the load balancer can reach the workers, as in docker-compose).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Heartbeat files in memory, not on a container's overlay disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 (gunicorn docs advise it)

# No runtime control socket (gunicorn 25+): one path per user would be shared by every
# instance on the machine, and nothing here uses gunicornc.
control_socket_disable = True

accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
access_log_format = '"%(m)s %(U)s" %(s)s %(B)s %(M)sms'
# The same JSON lines as Django's own logs (config/logging.py); text when DJANGO_LOG_FORMAT=text.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "config.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "text" if os.environ.get("DJANGO_LOG_FORMAT") == "text" else "json",
            "stream": "ext://sys.stderr",
        },
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
