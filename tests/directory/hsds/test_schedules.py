"""Opening hours typed by staff, read into HSDS weekly schedules (or left as text)."""

import pytest

from directory.hsds.schedules import hours_parse


@pytest.mark.parametrize(
    ("text", "rules"),
    [
        ("Mon-Fri 8am-5pm", [("MO,TU,WE,TH,FR", "08:00:00", "17:00:00")]),
        ("Mon-Thu 7am-7pm, Fri 7am-3pm", [("MO,TU,WE,TH", "07:00:00", "19:00:00"), ("FR", "07:00:00", "15:00:00")]),
        ("Monday to Friday 8:30 a.m. to 5 p.m.", [("MO,TU,WE,TH,FR", "08:30:00", "17:00:00")]),
        ("Mon, Wed 9am-5pm", [("MO,WE", "09:00:00", "17:00:00")]),
        ("Tue & Thu 1-5pm", [("TU,TH", "13:00:00", "17:00:00")]),  # one "pm" for both
        ("Sat 9-12pm", [("SA", "09:00:00", "12:00:00")]),  # 9pm would be after noon: 9am
        ("Mon-Fri 08:00-17:30", [("MO,TU,WE,TH,FR", "08:00:00", "17:30:00")]),
        ("Fri-Sun 10am-2pm", [("FR,SA,SU", "10:00:00", "14:00:00")]),
        ("24/7", [("MO,TU,WE,TH,FR,SA,SU", "00:00:00", "23:59:00")]),  # HSDS's advice for 24 hours
        ("Mon-Fri 9-5", None),  # am or pm? not guessed
        ("by appointment", None),
        ("Mon-Fri 8am-5pm, weekends by appointment", None),  # part of it unreadable: none of it
        ("Mon-Fri 13pm-5pm", None),
        ("", None),
    ],
)
def test_hours_are_read_into_weekly_rules_or_not_at_all(text, rules):
    parsed = hours_parse(text)
    assert (None if parsed is None else [(r.byday, r.opens_at, r.closes_at) for r in parsed]) == rules
