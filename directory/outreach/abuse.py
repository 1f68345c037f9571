"""Keeping bots and floods out of the public forms without bothering people.

Three checks, cheapest first: a honeypot field people never see, a signed timestamp
that says when the form was shown (too fast means a script), and a per-address limit
counted in Django's cache. The address is stored only as a keyed hash.
"""

import hashlib
import hmac
import ipaddress
import time
from enum import Enum

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest

from config.env import parse_rate

HONEYPOT_FIELD = "website_url"
TOKEN_FIELD = "form_shown"  # noqa: S105 - a form field name, not a secret
TOKEN_SALT = "directory.abuse.form-token"  # noqa: S105 - a signing namespace, not a secret
# Older forms are not refused as spam; the person is asked to check and send again.
TOKEN_MAX_AGE = 60 * 60 * 24


class TokenCheck(Enum):
    OK = "ok"
    TOO_FAST = "too fast"
    EXPIRED = "expired"
    INVALID = "invalid"


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or the X-Forwarded-For entry our proxies added.

    With TRUSTED_PROXY_COUNT = N, the N-th entry from the right of X-Forwarded-For is the
    one written by our outermost proxy; entries left of it are whatever the client sent.
    Also used by django-axes (AXES_CLIENT_IP_CALLABLE), so both agree on who is who;
    None when there is no address (axes stores addresses in an IP address column).
    """
    remote = request.META.get("REMOTE_ADDR") or None
    hops = settings.TRUSTED_PROXY_COUNT
    if not hops:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < hops:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-hops]))
    except ValueError:
        return remote


def form_token(kind: str) -> str:
    """A signed note of when a form of this kind was shown."""
    return signing.dumps({"kind": kind, "shown": time.time()}, salt=TOKEN_SALT)


def check_form_token(token: str | None, kind: str) -> TokenCheck:
    if not token:
        return TokenCheck.INVALID
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        return TokenCheck.EXPIRED
    except signing.BadSignature:
        return TokenCheck.INVALID
    if not isinstance(payload, dict) or payload.get("kind") != kind:
        return TokenCheck.INVALID
    if time.time() - float(payload.get("shown", 0)) < settings.FORM_MIN_SECONDS:
        return TokenCheck.TOO_FAST
    return TokenCheck.OK


def honeypot_filled(data) -> bool:
    return bool(data.get(HONEYPOT_FIELD, "").strip())


def _rate_key(request: HttpRequest, scope: str, period: int) -> str:
    ip = client_ip(request) or "unknown"
    address = hmac.new(settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()[:32]
    window = int(time.time() // period)
    return f"rate:{scope}:{address}:{window}"


def rate_limit_reached(request: HttpRequest, *, scope: str, rate: str) -> bool:
    """True when this address has used up its `rate` (e.g. "5/hour") for `scope`."""
    limit, period = parse_rate(rate)
    return (cache.get(_rate_key(request, scope, period)) or 0) >= limit


def rate_limit_count(request: HttpRequest, *, scope: str, rate: str) -> None:
    """Count one use for this address (a fixed window of the rate's period)."""
    _, period = parse_rate(rate)
    key = _rate_key(request, scope, period)
    if not cache.add(key, 1, timeout=period + 1):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=period + 1)
