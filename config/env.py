"""Read settings from the environment, failing loudly and clearly on bad values.

Every variable read here is listed in `.env.example`.
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None else value.strip()


def env_str(name: str, default: str = "") -> str:
    value = _raw(name)
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in TRUE_WORDS:
        return True
    if value.lower() in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a yes/no value: use one of 1, 0, true, false, yes, no, on, off."
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is too small: it must be at least {minimum}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


RATE_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """Turn "5/hour" into (5, 3600): how many requests, in how many seconds."""
    count, _, period = rate.strip().partition("/")
    if not count.strip().isdigit() or int(count) < 1 or period.strip() not in RATE_PERIODS:
        raise ValueError(f"{rate!r} is not a rate like 5/hour (periods: {', '.join(RATE_PERIODS)}).")
    return int(count), RATE_PERIODS[period.strip()]


def env_rate(name: str, default: str) -> str:
    value = env_str(name, default) or default
    try:
        parse_rate(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}={error}") from None
    return value


def env_email(name: str, default: str) -> str:
    value = env_str(name, default) or default
    local, _, domain = value.partition("@")
    if not local or "." not in domain or " " in value:
        raise ImproperlyConfigured(f"{name}={value!r} is not an e-mail address.")
    return value


def database_from_url(url: str, *, base_dir: Path) -> dict:
    """Turn a DATABASE_URL into a Django DATABASES entry.

    Accepts `sqlite:///relative/path.sqlite3`, `sqlite:////absolute/path.sqlite3` and
    `postgres://user:password@host:port/name` (also `postgresql://`).
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        path = unquote(parts.path)
        if not path or path == "/":
            raise ImproperlyConfigured(f"DATABASE_URL={url!r} names no SQLite file: use sqlite:///db.sqlite3.")
        # sqlite:///db.sqlite3 is relative to the project; sqlite:////tmp/x is absolute.
        name = Path(path[1:]) if path.startswith("/") else Path(path)
        if not name.is_absolute():
            name = base_dir / name
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(name)}
    if scheme in {"postgres", "postgresql", "pgsql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ImproperlyConfigured(f"DATABASE_URL={url!r} names no database: use postgres://user@host:5432/NAME.")
        try:
            port = parts.port
        except ValueError:
            raise ImproperlyConfigured(f"DATABASE_URL={url!r} has a port that is not a number.") from None
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(f"DATABASE_URL={url!r} is not understood: it must start with sqlite:// or postgres://.")
