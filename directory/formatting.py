"""Phone numbers and distances as the site writes them."""

import re

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
    """4.2 mi; under a tenth of a mile reads "0.1 mi" rather than "0.0 mi"."""
    if distance is None:
        return ""
    return f"{max(distance, 0.1):.1f} mi"
