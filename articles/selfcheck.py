"""The PHQ-9 depression self-check: Pfizer's items, answers and attribution, and its scoring.

The wording below is the PHQ-9 exactly as Pfizer publishes it (phqscreeners.com); it may
be reproduced without permission, but not reworded. Scoring follows the instrument's
instructions: each item 0-3, total 0-27, bands at 5, 10, 15 and 20. Nothing here stores
or logs anything: a result exists only in the response that shows it.
"""

from dataclasses import dataclass

INSTRUCTIONS = "Over the last 2 weeks, how often have you been bothered by any of the following problems?"

ITEMS = [
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself \u2014 or that you are a failure or have let yourself or your family down",
    "Trouble concentrating on things, such as reading the newspaper or watching television",
    "Moving or speaking so slowly that other people could have noticed? Or the opposite \u2014 being so fidgety "
    "or restless that you have been moving around a lot more than usual",
    "Thoughts that you would be better off dead or of hurting yourself in some way",
]

ANSWERS = [
    (0, "Not at all"),
    (1, "Several days"),
    (2, "More than half the days"),
    (3, "Nearly every day"),
]

DIFFICULTY_QUESTION = (
    "If you checked off any problems, how difficult have these problems made it for you to do your work, "
    "take care of things at home, or get along with other people?"
)
DIFFICULTY_ANSWERS = [
    ("not", "Not difficult at all"),
    ("somewhat", "Somewhat difficult"),
    ("very", "Very difficult"),
    ("extremely", "Extremely difficult"),
]

ATTRIBUTION = (
    "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, "
    "with an educational grant from Pfizer Inc. No permission required to reproduce, translate, "
    "display or distribute."
)

# The item about thoughts of death or self-harm: any answer above 0 puts crisis help first.
SELF_HARM_ITEM = 9


@dataclass(frozen=True)
class Band:
    slug: str
    label: str
    low: int
    high: int
    meaning: str


BANDS = [
    Band(
        "none",
        "No symptoms reported",
        0,
        0,
        "You did not report being bothered by any of these problems in the last two weeks.",
    ),
    Band(
        "minimal",
        "Minimal",
        1,
        4,
        "You reported a few of these problems, not often. Scores in this range are common in people who are "
        "not depressed. If something is still bothering you, it is worth mentioning to a doctor.",
    ),
    Band(
        "mild",
        "Mild",
        5,
        9,
        "You reported some of these problems on some days. Scores in this range can go with mild depression. "
        "It is worth talking with a doctor or therapist, especially if this has gone on for a while or your "
        "score rises.",
    ),
    Band(
        "moderate",
        "Moderate",
        10,
        14,
        "You reported a number of these problems on many days. Clinicians often treat a score of 10 or more "
        "as a sign that depression may need treatment. Please talk with a doctor or therapist about how you "
        "are feeling.",
    ),
    Band(
        "moderately-severe",
        "Moderately severe",
        15,
        19,
        "You reported many of these problems on most days. That is a heavy load to carry. Please make an "
        "appointment with a doctor or mental health professional soon; effective treatment exists.",
    ),
    Band(
        "severe",
        "Severe",
        20,
        27,
        "You reported many of these problems nearly every day. Please contact a doctor or mental health "
        "professional promptly, ideally this week. If treatment has not helped before, other treatments can.",
    ),
]

MAX_SCORE = 3 * len(ITEMS)


@dataclass(frozen=True)
class Result:
    answers: tuple[int, ...]
    total: int
    band: Band
    self_harm_thoughts: bool


def band_for(total: int) -> Band:
    for band in BANDS:
        if band.low <= total <= band.high:
            return band
    raise ValueError(f"A PHQ-9 total is between 0 and {MAX_SCORE}, not {total}.")


def phq9_score(answers: list[int] | tuple[int, ...]) -> Result:
    """Score nine answers, each 0-3, in item order."""
    if len(answers) != len(ITEMS) or any(answer not in (0, 1, 2, 3) for answer in answers):
        raise ValueError("The PHQ-9 needs nine answers, each 0, 1, 2 or 3.")
    total = sum(answers)
    return Result(
        answers=tuple(answers),
        total=total,
        band=band_for(total),
        self_harm_thoughts=answers[SELF_HARM_ITEM - 1] > 0,
    )
