import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directory.importers import new_report_dir
from directory.medicare import SourceFileError, medicare_import, year_from_name


class Command(BaseCommand):
    help = (
        "Import CMS's 'Medicare Physician & Other Practitioners: by Provider and Service' file: the "
        "clinicians who billed Medicare for TMS, ECT or esketamine become evidence on centers (matched by "
        "address or organization, or created). Safe to run again: the same file twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", type=Path, help="CMS's CSV file (or .csv.gz), e.g. MUP_PHY_R25_P05_V20_D23_Prov_Svc.csv."
        )
        parser.add_argument("--year", type=int, help="The data year [from the file name: D23 in the name means 2023].")
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; write nothing.")
        parser.add_argument(
            "--report-dir",
            type=Path,
            help="Where to write summary.txt, rejects.csv and missing.csv [MEDIA_ROOT/imports/<date-time>/].",
        )

    def handle(self, *args, path: Path, year: int | None, dry_run: bool, report_dir: Path | None, **opts):
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        year = year or year_from_name(path.name)
        if year is None:
            raise CommandError(
                f"Cannot tell the data year from the file name {path.name!r} (CMS's names carry it as "
                "D23 for 2023): give it with --year."
            )
        if not 2013 <= year <= 2100:
            raise CommandError(f"The data year {year} is not a year of CMS's file (they start with 2013).")
        bar = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            total = None if path.suffix.lower() == ".gz" else path.stat().st_size  # bytes read are unzipped
            bar = tqdm(total=total, unit="B", unit_scale=True, file=sys.stderr, leave=False)
        try:
            report = medicare_import(
                path=path,
                year=year,
                dry_run=dry_run,
                report_dir=report_dir or new_report_dir(),
                progress=bar.update if bar else None,
            )
        except SourceFileError as error:
            raise CommandError(str(error)) from None
        finally:
            if bar is not None:
                bar.close()
        self.stdout.write(report.summary_line())
        for line in report.detail_lines():
            self.stdout.write(line)
        self.stdout.write(f"took {report.seconds:.1f} s")
