"""Opening hours as HSDS schedules: what staff typed ("Mon-Fri 8am-5pm, Sat 9am-1pm") read
into weekly rules (freq WEEKLY, byday MO,TU,..., opens_at, closes_at), one per part.

Hours are free text. When any part of it cannot be read, the location gets one schedule
that carries the text as its description and no rule: HSDS allows that, and a guess would
be worse than none.
"""

import re
from dataclasses import dataclass

WEEK = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
DAY_NAMES = {
    "mo": "MO", "mon": "MO", "monday": "MO",
    "tu": "TU", "tue": "TU", "tues": "TU", "tuesday": "TU",
    "we": "WE", "wed": "WE", "wednesday": "WE",
    "th": "TH", "thu": "TH", "thur": "TH", "thurs": "TH", "thursday": "TH",
    "fr": "FR", "fri": "FR", "friday": "FR",
    "sa": "SA", "sat": "SA", "saturday": "SA",
    "su": "SU", "sun": "SU", "sunday": "SU",
}  # fmt: skip
RANGE = r"\s*(?:-|–|—|to|through|thru)\s*"
TIME = r"(\d{1,2})(?::(\d{2}))?\s*([ap])?\.?\s*(?:m\.?)?"
TIMES_RE = re.compile(rf"^{TIME}{RANGE}{TIME}$", re.IGNORECASE)
ALL_DAY_RE = re.compile(r"^(?:open\s+)?(?:24\s*/\s*7|24\s*hours?(?:\s*a\s*day)?)$", re.IGNORECASE)
PART_RE = re.compile(r"^(?P<days>[a-z][a-z.\s,&/–—-]*?)\s*:?\s+(?P<times>\d.*|open.*|24.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class WeeklyHours:
    byday: str  # "MO,TU,WE,TH,FR"
    opens_at: str  # "08:00:00"
    closes_at: str
    description: str  # the part of the text this was read from


def hours_parse(text: str) -> list[WeeklyHours] | None:
    """The weekly rules of an opening-hours text, or None when any part cannot be read."""
    text = " ".join(text.split())
    if not text:
        return None
    if ALL_DAY_RE.match(text):
        return [WeeklyHours(",".join(WEEK), "00:00:00", "23:59:00", text)]
    rules = []
    waiting: list[str] = []  # parts that are days alone: "Mon, Wed 9am-5pm" splits into "Mon" and "Wed 9am-5pm"
    for part in re.split(r"\s*[;,]\s*(?=[a-z])", text, flags=re.IGNORECASE):
        rule = _part_parse(", ".join([*waiting, part]))
        if rule is None:
            if _days_parse(part) is None:
                return None
            waiting.append(part)
            continue
        rules.append(rule)
        waiting = []
    return rules if rules and not waiting else None


def _part_parse(part: str) -> WeeklyHours | None:
    match = PART_RE.match(part)
    if not match:
        return None
    days = _days_parse(match["days"])
    times = ("00:00:00", "23:59:00") if ALL_DAY_RE.match(match["times"]) else _times_parse(match["times"])
    if not days or times is None:
        return None
    return WeeklyHours(",".join(days), times[0], times[1], part)


def _days_parse(text: str) -> list[str] | None:
    """ "Mon-Fri" -> MO..FR; "Mon & Wed", "Mon/Wed", "Tue, Thu" -> each; None if a word is no day."""
    days: list[str] = []
    for item in re.split(r"\s*(?:&|/|,|\band\b)\s*", text.strip(), flags=re.IGNORECASE):
        ends = re.split(RANGE, item.strip().rstrip("."), flags=re.IGNORECASE)
        codes = [DAY_NAMES.get(end.strip().rstrip(".").lower()) for end in ends]
        if not codes or None in codes or len(codes) > 2:
            return None
        if len(codes) == 2:
            first, last = WEEK.index(codes[0]), WEEK.index(codes[1])
            codes = WEEK[first : last + 1] if first <= last else WEEK[first:] + WEEK[: last + 1]
        days += [code for code in codes if code not in days]
    return sorted(days, key=WEEK.index)


def _times_parse(text: str) -> tuple[str, str] | None:
    """ "8am-5pm", "8:30 a.m. to 5 p.m.", "9-5pm", "08:00-17:00" -> ("08:00:00", "17:00:00")."""
    match = TIMES_RE.match(text.strip())
    if not match:
        return None
    open_hour, open_minute, open_half, close_hour, close_minute, close_half = match.groups()
    if close_half is None and open_half is None and not (open_minute or close_minute):
        return None  # "9-5": am or pm? Say nothing rather than guess.
    close = _clock(close_hour, close_minute, close_half)
    if open_half is None and close_half is not None:
        # "9-5pm" is 9am to 5pm; "1-5pm" is 1pm to 5pm.
        as_pm = _clock(open_hour, open_minute, close_half)
        open_ = as_pm if as_pm is not None and close is not None and as_pm <= close else None
        open_ = open_ or _clock(open_hour, open_minute, "a")
    else:
        open_ = _clock(open_hour, open_minute, open_half)
    if open_ is None or close is None:
        return None
    return open_, close


def _clock(hour: str, minute: str | None, half: str | None) -> str | None:
    h, m = int(hour), int(minute or 0)
    if half:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if half.lower() == "p" else 0)
    if not (0 <= h <= 23 and 0 <= m <= 59):
        return None
    return f"{h:02d}:{m:02d}:00"
