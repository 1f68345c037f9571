"""Keeping bots and floods out of the public forms without bothering people.

Three checks, cheapest first: a honeypot field people never see, a signed timestamp
that says when the form was shown (too fast means a script; each stamp is accepted once),
and a per-address limit counted in Django's cache. The address is stored only as a keyed
hash. Stamps and counts live in the default cache: with several web processes it must be
shared (Redis, REDIS_URL), or each process counts on its own (`check --deploy` warns,
config/checks.py).
"""

import hashlib
import hmac
import ipaddress
import secrets
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
    USED = "used"
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
    """A signed note of when a form of this kind was shown, with a nonce that makes it single-use."""
    return signing.dumps({"kind": kind, "shown": time.time(), "nonce": secrets.token_urlsafe(16)}, salt=TOKEN_SALT)


def check_form_token(token: str | None, kind: str) -> TokenCheck:
    """OK uses the stamp up: the same stamp sent again is USED (one showing, one post)."""
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
    nonce = payload.get("nonce")
    if not isinstance(nonce, str) or not nonce:
        return TokenCheck.EXPIRED  # a form shown before stamps had nonces: show it again
    # cache.add is atomic (Redis SET NX): of two posts with one stamp, exactly one gets OK.
    if not cache.add(f"form-stamp:{nonce}", 1, timeout=TOKEN_MAX_AGE + 60):
        return TokenCheck.USED
    return TokenCheck.OK


def honeypot_filled(data) -> bool:
    return bool(data.get(HONEYPOT_FIELD, "").strip())


def _rate_key(request: HttpRequest, scope: str, period: int) -> str:
    ip = client_ip(request) or "unknown"
    address = hmac.new(settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()[:32]
    window = int(time.time() // period)
    return f"rate:{scope}:{address}:{window}"


def rate_limit_reached(request: HttpRequest, *, scope: str, rate: str) -> bool:
    """True when this address has used up its `rate` (e.g. "5/hour") for `scope`: a cheap
    early refusal. Only `rate_limit_take` decides whether a post is accepted."""
    limit, period = parse_rate(rate)
    return (cache.get(_rate_key(request, scope, period)) or 0) >= limit


def rate_limit_take(request: HttpRequest, *, scope: str, rate: str) -> bool:
    """Count one use for this address, then say whether it is within the limit.

    Call it after validating and before storing. The count is taken atomically first
    (cache.add, else cache.incr: atomic in Redis and in local memory), so of 30 posts
    arriving together exactly `limit` see a count within it. Checking first and counting
    after the store let 9 of 30 through against a limit of 5. A refused post stays
    counted: it was one more try in this window.
    """
    limit, period = parse_rate(rate)
    key = _rate_key(request, scope, period)
    if cache.add(key, 1, timeout=period + 1):
        return limit >= 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        count = 1 if cache.add(key, 1, timeout=period + 1) else cache.incr(key)
    return count <= limit
