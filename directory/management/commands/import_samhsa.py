import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directory.importers import (
    BUNDLED_DIRECTORY,
    DEFAULT_SOURCE,
    SourceFileError,
    new_report_dir,
    previous_import,
    samhsa_import,
)


class Command(BaseCommand):
    help = (
        "Import SAMHSA's National Directory of Mental Health Treatment Facilities (CSV, or the .xlsx "
        "SAMHSA publishes). Safe to run again: unchanged facilities are left alone, staff edits are kept, "
        "facilities missing from the file are reported, never deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            type=Path,
            nargs="?",
            default=BUNDLED_DIRECTORY,
            help="The directory's file: .csv, .csv.gz or .xlsx [the 2022 directory shipped in directory/data/samhsa/].",
        )
        parser.add_argument(
            "--if-new",
            action="store_true",
            help="Do nothing when this exact file (same content, by SHA-256) was imported before (as `make run` does).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; write nothing.")
        parser.add_argument(
            "--source", default=DEFAULT_SOURCE, help=f"Provenance written on the centers [{DEFAULT_SOURCE}]."
        )
        parser.add_argument(
            "--report-dir",
            type=Path,
            help="Where to write summary.txt, rejects.csv, warnings.csv and missing.csv "
            "[MEDIA_ROOT/imports/<date-time>/].",
        )
        parser.add_argument("--batch-size", type=int, default=1000, help="Facilities per transaction [1000].")

    def handle(
        self,
        *args,
        path: Path,
        if_new: bool,
        dry_run: bool,
        source: str,
        report_dir: Path | None,
        batch_size: int,
        **opts,
    ):
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if if_new:
            try:
                previous = previous_import(path)
            except SourceFileError as error:
                raise CommandError(str(error)) from None
            if previous is not None:
                when = f"{previous.finished_at:%Y-%m-%d %H:%M}"
                self.stdout.write(f"Already imported: {path.name} (same content) on {when}; nothing to do.")
                return
        if report_dir is None:
            report_dir = new_report_dir()
        try:
            report = samhsa_import(
                path=path,
                source=source,
                dry_run=dry_run,
                report_dir=report_dir,
                batch_size=batch_size,
                progress=self._progress_bar if sys.stderr.isatty() else None,
            )
        except SourceFileError as error:
            raise CommandError(str(error)) from None
        if self._bar is not None:
            self._bar.close()
        self.stdout.write(report.summary_line())
        for line in report.detail_lines():
            self.stdout.write(line)
        self.stdout.write(f"took {report.seconds:.1f} s")

    _bar = None

    def _progress_bar(self, total: int):
        """A tqdm bar on the terminal (stderr), shown only when stderr is a terminal."""
        from tqdm import tqdm

        self._bar = tqdm(total=total, unit=" facilities", file=sys.stderr, leave=False)
        return self._bar.update
