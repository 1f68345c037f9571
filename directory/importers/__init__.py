"""Importing SAMHSA's National Directory of Mental Health Treatment Facilities.

`samhsa_import()` is the one entry point (the `import_samhsa` command and the admin upload
page call it). The work is split by concern: `parsing` reads and cleans the file,
`mapping` turns rows into facilities (codes, geocoding, merging), `identity` says who a
facility is (source key, name, slug), `writing` compares with the database and writes in
batches, `report` holds the outcome.
"""

import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from directory.importers.mapping import facilities_from_rows
from directory.importers.parsing import SourceFileError, content_sha256, read_rows
from directory.importers.report import ImportReport
from directory.importers.writing import Sync
from directory.models import ImportRun

DEFAULT_SOURCE = "SAMHSA National Directory 2022"
# The whole 2022 directory, shipped with the project (its README gives source, licence, checksum).
BUNDLED_DIRECTORY = Path(__file__).resolve().parent.parent / "data" / "samhsa" / "national_directory_mh_2022.csv.gz"

__all__ = [
    "BUNDLED_DIRECTORY",
    "DEFAULT_SOURCE",
    "ImportReport",
    "SourceFileError",
    "import_reports_root",
    "new_report_dir",
    "previous_import",
    "samhsa_import",
]


def import_reports_root() -> Path:
    """Where each import writes its report folder: MEDIA_ROOT/imports/ (served to staff only)."""
    return Path(settings.MEDIA_ROOT) / "imports"


def new_report_dir() -> Path:
    """A fresh report folder for one import, named by its local date and time."""
    return import_reports_root() / timezone.localtime().strftime("%Y%m%d-%H%M%S-%f")


def previous_import(path: Path) -> ImportRun | None:
    """The last finished import of this exact file (same content, by SHA-256), if any."""
    return ImportRun.objects.filter(sha256=content_sha256(path)).first()


def samhsa_import(
    *,
    path: Path,
    source: str = DEFAULT_SOURCE,
    dry_run: bool = False,
    report_dir: Path | None = None,
    batch_size: int = 1000,
    source_name: str = "",
    user_id: int | None = None,
    progress: Callable[[int], Callable[[int], None]] | None = None,
) -> ImportReport:
    """Import the directory file at `path`; returns what happened.

    Imported centers are published with `source` and a source key, never marked verified.
    `source_name` names the file in the report (an upload's own name) [the file's name].
    `user_id` is who ran it, for the change history (importers/history.py) [nobody].
    `progress`, when given, is called with the number of facilities and returns a function
    that is called with each batch's size. With `dry_run` nothing is written, not even the
    report files. Raises SourceFileError when the file as a whole cannot be read.
    """
    started = time.monotonic()
    report = ImportReport(source_name=source_name or Path(path).name, dry_run=dry_run)
    facilities = facilities_from_rows(read_rows(Path(path)), source=source, report=report)
    sync = Sync(
        report=report, dry_run=dry_run, batch_size=batch_size, user_id=user_id, reason=f"Imported from {source}"
    )
    advance = progress(len(facilities)) if progress else (lambda n: None)
    sync.run(facilities, progress=advance)
    report.missing = sync.missing(facilities)
    report.seconds = round(time.monotonic() - started, 2)
    if not dry_run:
        ImportRun.record(report, source=source, sha256=content_sha256(path), user_id=user_id)
        if report_dir is not None:
            report.write(Path(report_dir))
    return report
