"""Phone numbers, distances, ages and addresses as the site writes them."""

import re
from datetime import date

from django.utils.translation import gettext, ngettext

EXTENSION_RE = re.compile(r"\s*(?:x|ext\.?|extension)\s*(\d+)\s*$", re.IGNORECASE)


def tel(phone: str) -> str:
    """A tel: URI for a US phone number as people write it: "(904) 555-0100 x12" ->
    "tel:+19045550100,12" (the comma makes the phone wait, then dial the extension)."""
    phone = phone or ""
    extension = ""
    match = EXTENSION_RE.search(phone)
    if match:
        extension, phone = match.group(1), phone[: match.start()]
    digits = re.sub(r"\D", "", phone)
    if len(digits) == 10:
        digits = "+1" + digits
    elif len(digits) == 11 and digits.startswith("1"):
        digits = "+" + digits
    return f"tel:{digits}" + (f",{extension}" if extension else "")


def miles(distance: float | None) -> str:
    """4.2 mi, 1,013.6 mi; under a tenth of a mile reads "0.1 mi" rather than "0.0 mi"."""
    if distance is None:
        return ""
    return f"{max(distance, 0.1):,.1f} mi"


# Details checked longer ago than this may be out of date, and a listing says so.
STALE_AFTER_DAYS = 365


def age(day: date | None, today: date | None = None) -> str:
    """How long ago a day was, in the largest whole unit: "today", "3 days ago",
    "2 weeks ago", "2 months ago", "1 year ago"."""
    if day is None:
        return ""
    days = ((today or date.today()) - day).days
    if days <= 0:
        return gettext("today")
    if days == 1:
        return gettext("yesterday")
    if days >= 365:
        return ngettext("%(count)d year ago", "%(count)d years ago", days // 365) % {"count": days // 365}
    if days >= 30:
        return ngettext("%(count)d month ago", "%(count)d months ago", days // 30) % {"count": days // 30}
    if days >= 14:
        return ngettext("%(count)d week ago", "%(count)d weeks ago", days // 7) % {"count": days // 7}
    return ngettext("%(count)d day ago", "%(count)d days ago", days) % {"count": days}


def is_stale(day: date | None, today: date | None = None) -> bool:
    return day is not None and ((today or date.today()) - day).days > STALE_AFTER_DAYS


def postal_address(street1: str, street2: str, city: str, state: str, zip_code: str) -> str:
    """ "100 Main Street, Suite 2, Jacksonville, FL 32207"; without a street, the city alone."""
    return ", ".join(part for part in (street1, street2, city) if part) + f", {state} {zip_code}"
