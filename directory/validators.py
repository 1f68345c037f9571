"""Rules for text that staff, centers and the public type, and that the importers take.

One-line fields (names, streets, cities, phones, hours) hold no control characters: a
line break in a center's name made every e-mail about it fail (an e-mail subject is one
line), and tabs, NUL and the like have no place in a name. Names also may not begin
with what a spreadsheet reads as a formula (`=HYPERLINK(...)` in the open-data CSVs or
an import report ran when staff opened the file). Every CSV we write is neutralized
as well (directory/spreadsheet_safety.py); refusing such names keeps the data honest.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from directory.spreadsheet_safety import FORMULA_STARTS

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def control_character_problem(value: str) -> str:
    """Why `value` cannot be a one-line field ("" when it can)."""
    match = CONTROL_CHARACTERS.search(value)
    if not match:
        return ""
    character = {"\n": "a line break", "\r": "a carriage return", "\t": "a tab"}.get(match.group(), "")
    return character or f"the control character U+{ord(match.group()):04X}"


def formula_start_problem(value: str) -> str:
    """Why `value` cannot be a name because of its first character ("" when it can)."""
    if value.startswith(FORMULA_STARTS):
        shown = {"\t": "a tab", "\r": "a carriage return", "\n": "a line break"}.get(value[0], repr(value[0]))
        return f"it begins with {shown}, which a spreadsheet would read as a formula"
    return ""


def validate_one_line(value: str) -> None:
    if control_character_problem(value):
        raise ValidationError(
            _("This must be one line of text, without line breaks, tabs or other control characters."),
            code="control_character",
        )


def validate_name_start(value: str) -> None:
    if formula_start_problem(value):
        raise ValidationError(
            _("A name cannot begin with =, +, -, @, a tab or a line break: spreadsheets would read it as a formula."),
            code="formula_start",
        )


NAME_VALIDATORS = [validate_one_line, validate_name_start]


def one_line(text: str) -> str:
    """`text` on one line: runs of whitespace and control characters become one space."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", text).split())
