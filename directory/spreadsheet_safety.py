"""CSV files that are safe to open in a spreadsheet.

Spreadsheet programs read a cell that begins with `=`, `+`, `-`, `@`, a tab, a carriage
return or a line feed as a formula, and a formula can fetch URLs or run commands on the
machine of whoever opens the file. OWASP's advice (CSV Injection,
https://owasp.org/www-community/attacks/CSV_Injection) is to prefix such a cell with a
single quote, which spreadsheets take as "this is text" and do not show. The csv module
already quotes separators and doubles quotes, so a value cannot start a new cell.

Every CSV we write goes through these writers: the open-data (HSDS) tables and the
import reports. Plain numbers (`-81.6557`, a longitude) are left alone: they are values,
not formulas, and the open data must keep them numeric.
"""

import csv
import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def spreadsheet_cell(value):
    """The value as a spreadsheet should see it: formula-like text prefixed with a single quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


class SafeWriter:
    """csv.writer whose cells are passed through `spreadsheet_cell`."""

    def __init__(self, out, **options):
        self._writer = csv.writer(out, **options)

    def writerow(self, row):
        return self._writer.writerow([spreadsheet_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


class SafeDictWriter(csv.DictWriter):
    """csv.DictWriter whose cells are passed through `spreadsheet_cell`."""

    def _dict_to_list(self, rowdict):
        return [spreadsheet_cell(value) for value in super()._dict_to_list(rowdict)]
