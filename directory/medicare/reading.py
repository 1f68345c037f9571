"""Reading CMS's "Medicare Physician & Other Practitioners: by Provider and Service" file fast.

A year is about 10 million rows (3 GB) and we keep a few thousand: the rows whose billing
code (HCPCS_Cd) is one of CODES. Parsing every row with the csv module would cost most of
a minute, so the file is read in large blocks of bytes and searched for the codes
themselves (bytes.find, which runs at memory speed); only the lines around a hit are
parsed as CSV, and kept when their HCPCS_Cd column is exactly a mapped code. Memory stays
flat: one block at a time, plus the kept rows.

Rows are numbered as a spreadsheet shows them (the header is row 1), by counting line
breaks: CMS's file has no line breaks inside quoted fields.
"""

import csv
import gzip
import hashlib
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from directory.importers.parsing import SourceFileError

# The 28 columns of CMS's data dictionary, in the file's order.
COLUMNS: tuple[str, ...] = (
    "Rndrng_NPI",
    "Rndrng_Prvdr_Last_Org_Name",
    "Rndrng_Prvdr_First_Name",
    "Rndrng_Prvdr_MI",
    "Rndrng_Prvdr_Crdntls",
    "Rndrng_Prvdr_Ent_Cd",
    "Rndrng_Prvdr_St1",
    "Rndrng_Prvdr_St2",
    "Rndrng_Prvdr_City",
    "Rndrng_Prvdr_State_Abrvtn",
    "Rndrng_Prvdr_State_FIPS",
    "Rndrng_Prvdr_Zip5",
    "Rndrng_Prvdr_RUCA",
    "Rndrng_Prvdr_RUCA_Desc",
    "Rndrng_Prvdr_Cntry",
    "Rndrng_Prvdr_Type",
    "Rndrng_Prvdr_Mdcr_Prtcptg_Ind",
    "HCPCS_Cd",
    "HCPCS_Desc",
    "HCPCS_Drug_Ind",
    "Place_Of_Srvc",
    "Tot_Benes",
    "Tot_Srvcs",
    "Tot_Bene_Day_Srvcs",
    "Avg_Sbmtd_Chrg",
    "Avg_Mdcr_Alowd_Amt",
    "Avg_Mdcr_Pymt_Amt",
    "Avg_Mdcr_Stdzd_Amt",
)

# Billing code -> our treatment slug. VNS codes (64568, 95976, 95977) are left out on
# purpose: they are billed mostly for epilepsy. Ketamine infusions have no code of their own.
CODES: dict[str, str] = {
    "90867": "tms",  # TMS: initial, with motor threshold and mapping
    "90868": "tms",  # TMS: subsequent delivery and management
    "90869": "tms",  # TMS: motor threshold re-determination
    "90870": "ect",  # electroconvulsive therapy
    "G2082": "esketamine",  # esketamine office visit with observation, up to 56 mg
    "G2083": "esketamine",  # esketamine office visit with observation, more than 56 mg
}
# What bytes.find looks for: each code starts with one of these (the rest is checked after).
NEEDLES: tuple[bytes, ...] = tuple(sorted({code[:4].encode() for code in CODES}))
BLOCK_SIZE = 8 * 1024 * 1024
FILE_NAME_YEAR = re.compile(r"_D(\d{2})_", re.IGNORECASE)


@dataclass(frozen=True)
class ClaimRow:
    number: int  # as a spreadsheet numbers it: the header is row 1
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass
class ReadResult:
    rows: int = 0  # data rows in the file (the header not counted)
    sha256: str = ""


def year_from_name(name: str) -> int | None:
    """MUP_PHY_R25_P05_V20_D23_Prov_Svc.csv -> 2023 (D23 is the data year)."""
    match = FILE_NAME_YEAR.search(name)
    return 2000 + int(match.group(1)) if match else None


def _open(path: Path):
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rb")
    return open(path, "rb")


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _check_header(line: bytes) -> list[str]:
    try:
        header = [name.strip() for name in next(csv.reader([_decode(line)]))]
    except (StopIteration, csv.Error):
        header = []
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise SourceFileError(
            f"The file lacks the column(s) {', '.join(missing)} of CMS's 'Medicare Physician & Other "
            "Practitioners: by Provider and Service' file. Expected its 28 columns: " + ", ".join(COLUMNS) + "."
        )
    return header


def _is_code_at(block: bytes, start: int) -> bool:
    """Whether a whole field holding a mapped code begins at `start`, quoted or not (a quick
    test: the kept line's HCPCS_Cd column is checked once it is parsed)."""
    if block[start : start + 5].decode("ascii", errors="replace") not in CODES:
        return False
    before = block[start - 1 : start] if start else b""
    after = block[start + 5 : start + 6]
    if before == b'"':
        if after != b'"':
            return False
        before = block[start - 2 : start - 1] if start > 1 else b""
        after = block[start + 6 : start + 7]
    return before in (b",", b"\n", b"") and after in (b",", b"\r", b"\n", b"")


def _hit_lines(block: bytes) -> list[int]:
    """Start offsets of the lines of `block` with a mapped code in some field, in order."""
    starts = set()
    for needle in NEEDLES:
        position = block.find(needle)
        while position != -1:
            if _is_code_at(block, position):
                starts.add(block.rfind(b"\n", 0, position) + 1)
            position = block.find(needle, position + 1)
    return sorted(starts)


def claim_rows(
    path: Path, *, result: ReadResult, progress: Callable[[int], None] = lambda n: None
) -> Iterator[ClaimRow]:
    """The rows of the file whose HCPCS_Cd is a mapped code; counts every row and hashes
    the file's content into `result`. `progress` is called with the bytes read.

    Raises SourceFileError when the header lacks documented columns.
    """
    digest = hashlib.sha256()
    with _open(Path(path)) as source:
        first = source.readline()
        digest.update(first)
        progress(len(first))
        header = _check_header(first)
        code_column = header.index("HCPCS_Cd")
        number = 1  # the header's row
        rest = b""
        while True:
            chunk = source.read(BLOCK_SIZE)
            digest.update(chunk)
            progress(len(chunk))
            block = rest + chunk
            if not chunk:
                if not block:
                    break
                if not block.endswith(b"\n"):
                    block += b"\n"
                rest = b""
            else:
                cut = block.rfind(b"\n") + 1
                block, rest = block[:cut], block[cut:]
            counted_to, line_number = 0, number  # line_number: the row number of the line at counted_to, minus 1
            for start in _hit_lines(block):
                line_number += block.count(b"\n", counted_to, start)
                counted_to = start
                end = block.find(b"\n", start)
                line = _decode(block[start:end].rstrip(b"\r"))
                try:
                    record = next(csv.reader([line]))
                except csv.Error:
                    record = []
                if len(record) > code_column and record[code_column].strip() in CODES:
                    values = {name: value.strip() for name, value in zip(header, record, strict=False)}
                    if len(record) != len(header):
                        values["_problem"] = f"the row has {len(record)} columns; the header has {len(header)}"
                    yield ClaimRow(number=line_number + 1, values=values)
            lines = block.count(b"\n")
            number += lines
            if not chunk:
                break
    result.rows = number - 1
    result.sha256 = digest.hexdigest()


def csv_text(rows: list[dict[str, str]]) -> str:
    """The rows as CMS's CSV (header included): for tests and the benchmark's generator."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
