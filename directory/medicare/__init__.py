"""Evidence from Medicare claims: who bills Medicare for TMS, ECT and esketamine, and where.

CMS publishes "Medicare Physician & Other Practitioners: by Provider and Service" each
year: one row per clinician (NPI) per billing code, with the practice address. A row is
evidence that a clinician delivers the treatment at that address. `medicare_import()` is
the one entry point (the `import_medicare` command calls it): `reading` filters the file
fast, `practices` validates and groups the kept rows by practice address, `writing`
matches them to centers or creates centers, and adds the year's evidence. The outcome is
an `ImportReport` (directory/importers/report.py), the same as SAMHSA's import.
"""

import time
from collections.abc import Callable
from pathlib import Path

from directory.importers.parsing import SourceFileError
from directory.importers.report import ImportReport
from directory.medicare.practices import practices_from_rows
from directory.medicare.reading import COLUMNS, ReadResult, claim_rows, year_from_name
from directory.medicare.writing import practices_sync, source_name
from directory.models import ImportRun

__all__ = ["SourceFileError", "medicare_import", "year_from_name"]


def medicare_import(
    *,
    path: Path,
    year: int,
    dry_run: bool = False,
    report_dir: Path | None = None,
    user_id: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import CMS's file at `path` as data year `year`; returns what happened.

    `progress`, when given, is called with the bytes read as the file is read. With
    `dry_run` nothing is written, not even the report files. Raises SourceFileError when
    the file's header lacks CMS's documented columns.
    """
    started = time.monotonic()
    report = ImportReport(source_name=Path(path).name, dry_run=dry_run, columns=COLUMNS)
    result = ReadResult()
    kept = list(claim_rows(Path(path), result=result, progress=progress or (lambda n: None)))
    report.rows = result.rows
    report.notes.append(
        f"kept {len(kept):,} of {result.rows:,} rows (TMS, ECT and esketamine billing codes) for the data year {year}"
    )
    practices = practices_from_rows(kept, report=report)
    practices_sync(practices=practices, year=year, report=report, dry_run=dry_run)
    report.seconds = round(time.monotonic() - started, 2)
    if not dry_run:
        ImportRun.record(report, source=source_name(year), sha256=result.sha256, user_id=user_id)
        if report_dir is not None:
            report.write(Path(report_dir))
    return report
