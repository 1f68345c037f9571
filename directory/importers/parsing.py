"""Reading the directory's file (CSV or .xlsx) and cleaning its values.

Nothing here touches the database. Rows come out as `SourceRow`s numbered as a
spreadsheet shows them (the header is row 1, the first facility row 2), so that a
reject can be found in the file by its number.
"""

import csv
import gzip
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

COLUMNS: tuple[str, ...] = (
    "name1",
    "name2",
    "street1",
    "street2",
    "city",
    "state",
    "zip",
    "phone",
    "intake1",
    "intake2",
    "intake1a",
    "intake2a",
    "service_code_info",
)
REQUIRED_COLUMNS = frozenset({"name1", "name2", "street1", "city", "state", "zip", "phone", "service_code_info"})

PHONE_RE = re.compile(r"^\s*(?P<number>[0-9A-Za-z().\-\s+]*?)\s*(?:(?:x|ext\.?|extension|#)\s*(?P<ext>\d+))?\s*$", re.I)
KEYPAD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "22233344455566677778889999")


class SourceFileError(Exception):
    """The file as a whole cannot be read (wrong format, missing columns)."""


@dataclass(frozen=True)
class SourceRow:
    number: int  # as a spreadsheet numbers it: the header is row 1
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")


def clean(value) -> str:
    """Collapse runs of whitespace and trim: 'Aspire Health  Partners ' -> 'Aspire Health Partners'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # spreadsheets hand ZIPs and phones over as numbers
    return " ".join(str(value).split())


def normalize_zip(value: str) -> str:
    """Five digits when the value holds a US ZIP (ZIP+4 and lost leading zeros mended), else as given."""
    value = clean(value)
    match = re.fullmatch(r"(\d{3,5})(?:-?\d{4})?", value)
    if not match:
        return value
    digits = match.group(1)
    return digits.zfill(5)


def normalize_phone(value: str) -> str:
    """'800-555-0100 x123' -> '(800) 555-0100 ext. 123'; letters are read off a keypad.

    A value that is not a 10-digit North American number (after a leading 1) is kept as given.
    """
    value = clean(value)
    if not value:
        return ""
    match = PHONE_RE.match(value)
    if not match:
        return value
    number, extension = match.group("number"), match.group("ext")
    digits = re.sub(r"\D", "", number.upper().translate(KEYPAD))
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10:
        return value
    formatted = f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    return f"{formatted} ext. {extension}" if extension else formatted


def split_codes(service_code_info: str) -> list[str]:
    """The codes of a row in order, without the '*' group separators, upper-cased, each once."""
    seen: dict[str, None] = {}
    for token in service_code_info.replace("*", " ").split():
        seen.setdefault(token.upper(), None)
    return list(seen)


def _check_header(header: list[str]) -> list[str]:
    names = [clean(name).lower() for name in header]
    missing = REQUIRED_COLUMNS - set(names)
    if missing:
        raise SourceFileError(
            f"The file lacks the directory's column(s) {', '.join(sorted(missing))}. "
            f"Expected the columns {', '.join(COLUMNS)}."
        )
    return names


def _rows_from_records(records: Iterator[list], *, first_number: int) -> Iterator[SourceRow]:
    header = _check_header(next(records))
    for number, record in enumerate(records, start=first_number + 1):
        values = {name: clean(value) for name, value in zip(header, record, strict=False) if name}
        if not any(values.values()):
            continue  # a blank line is not a facility
        yield SourceRow(number=number, values=values)


def read_csv(text_stream: io.TextIOBase) -> Iterator[SourceRow]:
    reader = csv.reader(text_stream)
    try:
        yield from _rows_from_records(iter(reader), first_number=1)
    except StopIteration:
        raise SourceFileError("The file is empty.") from None
    except csv.Error as error:
        raise SourceFileError(f"The file is not a readable CSV file: {error}") from None


def read_xlsx(path: Path) -> Iterator[SourceRow]:
    """The sheet whose header has `name1` (the government's "Facilities List"), via openpyxl."""
    import openpyxl  # only needed for spreadsheets

    # With defusedxml installed (requirements.txt), openpyxl parses every part of the file
    # through it: a DTD declaring entities (an expansion "bomb") is refused at its first
    # declaration instead of being expanded, whatever limits the interpreter's expat has.
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise SourceFileError(f"The file is not a readable .xlsx workbook: {error}") from None
    try:
        for sheet in workbook.worksheets:
            records = sheet.iter_rows(values_only=True)
            for header_number, header in enumerate(records, start=1):
                if header_number > 10:
                    break
                if "name1" in {clean(cell).lower() for cell in header}:
                    rows = _rows_from_records(_chain([list(header)], records), first_number=header_number)
                    yield from rows
                    return
        raise SourceFileError("No sheet in the workbook has the directory's columns (name1, name2, street1, ...).")
    except SourceFileError:
        raise
    except Exception as error:
        # A read-only sheet is parsed as it is read: broken XML or a refused entity met
        # part-way through is the same unreadable file, not a server error.
        raise SourceFileError(f"The file is not a readable .xlsx workbook: {error!r}") from None
    finally:
        workbook.close()


def _chain(first: list, rest) -> Iterator[list]:
    yield from first
    for record in rest:
        yield list(record)


def file_content(path: Path) -> bytes:
    """The file's bytes, unzipped when its name ends in `.gz` (the directory the project ships)."""
    path = Path(path)
    raw = path.read_bytes()
    if path.suffix.lower() == ".gz":
        try:
            return gzip.decompress(raw)
        except (OSError, EOFError) as error:
            raise SourceFileError(f"The file is not a readable gzip file: {error}") from None
    return raw


def content_sha256(path: Path) -> str:
    """The SHA-256 of the file's content (unzipped): how an import knows a file it has already imported."""
    return hashlib.sha256(file_content(path)).hexdigest()


def read_rows(path: Path) -> Iterator[SourceRow]:
    """Every facility row of the file at `path`: `.xlsx` by its suffix, a gzipped CSV by
    `.gz` (the directory the project ships), anything else as CSV."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        yield from read_xlsx(path)
        return
    raw = file_content(path)
    # utf-8-sig drops the byte-order mark spreadsheet programs put in front of CSV exports;
    # cp1252 is what those programs write when they do not write UTF-8.
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    yield from read_csv(io.StringIO(text, newline=""))
