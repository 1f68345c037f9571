"""Django settings: one module, driven by the environment (see `.env.example`).

Production is the default: `DJANGO_DEBUG` is off unless set, and then
`DJANGO_SECRET_KEY` and `DJANGO_ALLOWED_HOSTS` are required. `make run` and `make test`
turn debug on for local work.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config.env import database_from_url, env_bool, env_email, env_int, env_list, env_rate, env_str
from config.inline_css import stylesheet_hashes
from config.logging import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off. For local work set DJANGO_DEBUG=1 (make run does)."
        )
    SECRET_KEY = "insecure-local-development-key-never-use-in-production"  # noqa: S105
elif len(SECRET_KEY) < 32 and not DEBUG:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY is too short: use at least 50 random characters.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS is required when DJANGO_DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# Public address of the site, used in e-mails sent to staff (links to the admin).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "django_tasks_db",
    "directory",
    "directory.hsds",
    "articles",
]

MIDDLEWARE = [
    # First: load balancers probe /healthz by address over http (see config/middleware.py).
    "config.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    # Before anything reads the database: a NUL in the path or query answers 400 (PostgreSQL refuses NUL).
    "config.middleware.RejectNulMiddleware",
    # Outside CacheControlMiddleware: compresses only the pages it marked public (no secrets).
    "config.middleware.PublicGZipMiddleware",
    # Outside sessions and CSRF, so it sees every cookie a response sets.
    "config.middleware.CacheControlMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # English at today's URLs, Spanish under /es/ (config/urls.py): the path alone picks the language.
    "config.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, which reads the body: public forms take a small urlencoded body only (config/public_forms.py).
    "config.public_forms.PublicFormBodyMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            # Compiled templates kept per process. Django does this by default (runserver's
            # autoreloader clears it when a template changes); said here so that it stays so.
            "loaders": [
                (
                    "django.template.loaders.cached.Loader",
                    ["django.template.loaders.filesystem.Loader", "django.template.loaders.app_directories.Loader"],
                )
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "directory.context_processors.site",
            ],
            # {% url %} keeps the URLs of names without arguments (config/cached_urls.py).
            "builtins": ["config.cached_urls", "config.inline_css"],
        },
    },
]

# Database: DATABASE_URL chooses; SQLite in the project folder when unset.
DATABASES = {"default": database_from_url(env_str("DATABASE_URL", "sqlite:///db.sqlite3"), base_dir=BASE_DIR)}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", "5")
    # Center search forgives typos in names ("sunrse" finds "Sunrise"): pg_trgm's default
    # word-similarity threshold, 0.6, misses a letter dropped from a short word.
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c pg_trgm.word_similarity_threshold=0.5")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set (shared by every web process), else local memory.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "tc",
        }
    }
else:
    # Room for a version and a change log per center (directory/fragments.py, outreach/history.py):
    # at the default 300 entries a directory-sized site forgets them as fast as it makes them.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 20000}}
    }
# Rendered fragments of pages, kept by each process in its own memory: result cards and the
# search form's checkboxes under a digest of what they show; the center, city and
# treatment-in-city pages under versions kept in the default cache (directory/fragments.py).
# A center page's fragments take about 10 KB, a card 1.5 KB.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "OPTIONS": {"MAX_ENTRIES": 10000},
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# English at the URLs people already have; Spanish under /es/ (i18n_patterns in config/urls.py).
# The admin stays in English. Catalogues: locale/es/LC_MESSAGES (the .mo is committed, see README).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "config.cached_urls.StaticStorage"  # whitenoise's compressed manifest, URLs kept
    },
}
# Unhashed names (/static/css/site.css, anything linked by a fixed URL) change in place on a
# deploy, so caches keep them an hour; hashed names stay immutable for a year (whitenoise
# recognizes them through the manifest).
WHITENOISE_MAX_AGE = 3600 if not DEBUG else 0
# Serve from the finders too when collectstatic has not run (local work and tests).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = BASE_DIR / "media"
# Open data: `manage.py export_hsds` writes the HSDS package here and /open-data/ serves it.
# Import reports (rejects, warnings) go to MEDIA_ROOT/imports/ and are served to staff only.
OPEN_DATA_ROOT = MEDIA_ROOT / "open-data"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Map tiles are the one third-party request a page may make, and only when this is set,
# e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png. Unset: no map, the list is complete.
MAP_TILE_URL = env_str("MAP_TILE_URL")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "&copy; OpenStreetMap contributors")
_tile_origin = ""
if MAP_TILE_URL:
    _tile_parts = urlsplit(MAP_TILE_URL.replace("{s}", "a"))
    if _tile_parts.scheme not in {"http", "https"} or not _tile_parts.netloc:
        raise ImproperlyConfigured(f"MAP_TILE_URL={MAP_TILE_URL!r} is not an http(s) URL template.")
    # A {s} subdomain placeholder (a.tile..., b.tile...) becomes a CSP wildcard.
    _tile_origin = f"{_tile_parts.scheme}://{MAP_TILE_URL.split('://', 1)[1].split('/', 1)[0].replace('{s}', '*')}"

# Security headers. Content-Security-Policy: our own origin only; map tiles are the one
# exception, from MAP_TILE_URL's host. No inline scripts; the only inline styles are the
# site's own stylesheets in each page's <head>, allowed by their hashes (config/inline_css.py).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, *stylesheet_hashes()],
    "img-src": [CSP.SELF, "data:"] + ([_tile_origin] if _tile_origin else []),
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = (
    # geolocation: this site's own pages only, for "Use my location" (asked after a tap; static/js/locate.js).
    "accelerometer=(), camera=(), geolocation=(self), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()"
)

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe /healthz over plain http.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a proxy (load balancer) that terminates TLS and sets X-Forwarded-Proto.
if env_bool("DJANGO_BEHIND_PROXY", not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8
# How long browsers and shared caches may keep an anonymous public page (config/middleware.py).
PUBLIC_CACHE_SECONDS = env_int("DJANGO_PUBLIC_CACHE_SECONDS", 300, minimum=0)

# E-mail (Django 6.1 mailers): SMTP in production (a relay on this machine, localhost:25,
# when EMAIL_HOST is unset); printed to the console in debug when no host is configured.
# Staff notifications never carry health information, only admin links.
EMAIL_HOST = env_str("EMAIL_HOST", "" if DEBUG else "localhost")
if EMAIL_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST,
                "port": env_int("EMAIL_PORT", 25 if EMAIL_HOST == "localhost" else 587, minimum=1),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", EMAIL_HOST != "localhost"),
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
del EMAIL_HOST  # the EMAIL_* settings are deprecated once MAILERS is defined
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "directory@example.org")
# Mail is queued in the database and sent by `manage.py db_worker` (config/mail.py), so a
# slow or hung mail server never holds a request.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# One JSON object per line in production (text in debug); never a query string, a body or
# an SQL query (their parameters carry inquiry text), even at DEBUG.
LOG_FORMAT = env_str("DJANGO_LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT={LOG_FORMAT!r} must be json or text.")
LOGGING = logging_config(level=env_str("DJANGO_LOG_LEVEL", "INFO"), json_format=LOG_FORMAT == "json")

LOGIN_URL = "admin:login"
# Where staff land after signing in when `next` is missing or unsafe (not /accounts/profile/).
LOGIN_REDIRECT_URL = "admin:index"
# A refused form gets our own page (site styles under the CSP, crisis help) instead of Django's.
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"

# Staff sign-in: django-axes locks the admin login after repeated failures for one user
# name from one address, and for one address whatever the names (config/signin.py), so
# nobody can lock a colleague out from elsewhere. Unlock early: `manage.py axes_reset_ip`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "config.signin.SignInLockoutHandler"
AXES_FAILURE_LIMIT = env_int("ADMIN_LOGIN_FAILURE_LIMIT", 5, minimum=1)
ADMIN_LOGIN_ADDRESS_FAILURE_LIMIT = env_int("ADMIN_LOGIN_ADDRESS_FAILURE_LIMIT", 30, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("ADMIN_LOGIN_COOLOFF_MINUTES", 60, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# No record of successful sign-ins (address, user agent), and no address, name or user
# agent in axes' log lines: README "Privacy and retention".
AXES_DISABLE_ACCESS_LOG = True
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "user_agent"]
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "directory.outreach.abuse.client_ip"

# The client address for rate limits and sign-in lockouts is the connection's
# (REMOTE_ADDR) unless this many proxies in front of us append to X-Forwarded-For.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0, minimum=0)

# Inquiries and problem reports (README: "Inquiries and problem reports").
# Inquiries to centers without an inquiry address are announced to the intake team here.
INTAKE_EMAIL = env_email("INTAKE_EMAIL", DEFAULT_FROM_EMAIL)
# Inquiries (and report contact details) are deleted this many days after they arrive.
INQUIRY_RETENTION_DAYS = env_int("INQUIRY_RETENTION_DAYS", 90, minimum=1)
# Per-address limits, "COUNT/second|minute|hour|day".
INQUIRY_RATE_LIMIT = env_rate("INQUIRY_RATE_LIMIT", "5/hour")
REPORT_RATE_LIMIT = env_rate("REPORT_RATE_LIMIT", "10/hour")
# Forms sent sooner than this after the page was shown are refused as automated.
FORM_MIN_SECONDS = env_int("FORM_MIN_SECONDS", 3, minimum=0)

# Centers keeping their own listings (README: "Centers keep their own listings").
# Per-address limits on listing submissions, claims and representative sign-in requests.
LISTING_SUBMISSION_RATE_LIMIT = env_rate("LISTING_SUBMISSION_RATE_LIMIT", "3/hour")
CLAIM_RATE_LIMIT = env_rate("CLAIM_RATE_LIMIT", "5/hour")
SIGN_IN_RATE_LIMIT = env_rate("SIGN_IN_RATE_LIMIT", "5/hour")
# How long each e-mailed link works (each works once).
SIGN_IN_LINK_MINUTES = env_int("SIGN_IN_LINK_MINUTES", 30, minimum=1)
CLAIM_LINK_HOURS = env_int("CLAIM_LINK_HOURS", 48, minimum=1)
CLAIM_CODE_LINK_DAYS = env_int("CLAIM_CODE_LINK_DAYS", 14, minimum=1)
CHECKUP_LINK_DAYS = env_int("CHECKUP_LINK_DAYS", 14, minimum=1)
# send_listing_checkups writes to each claimed center's representatives this often, and a
# center that has not confirmed its availability for this long shows "Not confirmed since".
CHECKUP_INTERVAL_DAYS = env_int("CHECKUP_INTERVAL_DAYS", 30, minimum=1)
CENTER_CONFIRMATION_DAYS = env_int("CENTER_CONFIRMATION_DAYS", 60, minimum=1)
# Representatives stay signed in this long (in their own session, never the admin's).
REPRESENTATIVE_SESSION_HOURS = env_int("REPRESENTATIVE_SESSION_HOURS", 8, minimum=1)
