"""Single-use, expiring, signed links sent by e-mail.

A link carries `signing.dumps([id, secret])` under a salt of its purpose: a changed
character fails the signature, a link of one purpose does not open another, and the
database stores only a hash of the secret. A link works until its expiry, once.
Opening it (GET) only shows a page with one button; the button (POST) uses it, so mail
scanners that follow links use nothing up.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

from django.core import signing
from django.utils import timezone

from directory.models import AccessLink

SALT = "directory.listings.link."
# No link lives longer than this, whatever its own expiry says (a second, signed bound).
LONGEST = timedelta(days=60)


class LinkState(Enum):
    OK = "ok"
    INVALID = "invalid"  # tampered, of another purpose, or unknown
    EXPIRED = "expired"
    USED = "used"


@dataclass(frozen=True)
class LinkCheck:
    state: LinkState
    link: AccessLink | None = None

    @property
    def ok(self) -> bool:
        return self.state is LinkState.OK


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def link_issue(*, purpose: str, lifetime: timedelta, **targets) -> str:
    """Store a new link and return its token (the part of the URL after the route)."""
    secret = secrets.token_urlsafe(24)
    link = AccessLink.objects.create(
        purpose=purpose, secret_hash=_hash(secret), expires_at=timezone.now() + lifetime, **targets
    )
    return signing.dumps([link.pk, secret], salt=SALT + purpose, compress=False)


def link_check(token: str, *, purpose: str) -> LinkCheck:
    try:
        link_id, secret = signing.loads(token, salt=SALT + purpose, max_age=LONGEST)
    except signing.SignatureExpired:
        return LinkCheck(LinkState.EXPIRED)
    except (signing.BadSignature, ValueError, TypeError):
        return LinkCheck(LinkState.INVALID)
    link = AccessLink.objects.filter(pk=link_id, purpose=purpose).first()
    if link is None or not hmac.compare_digest(link.secret_hash, _hash(str(secret))):
        return LinkCheck(LinkState.INVALID)
    if link.used_at is not None:
        return LinkCheck(LinkState.USED, link)
    if link.expires_at <= timezone.now():
        return LinkCheck(LinkState.EXPIRED, link)
    return LinkCheck(LinkState.OK, link)


def link_use(token: str, *, purpose: str) -> LinkCheck:
    """Check the link and mark it used, at most once even when two requests race."""
    check = link_check(token, purpose=purpose)
    if not check.ok:
        return check
    used = AccessLink.objects.filter(pk=check.link.pk, used_at__isnull=True).update(used_at=timezone.now())
    if not used:
        return LinkCheck(LinkState.USED, check.link)
    return check
