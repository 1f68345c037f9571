from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from directory.hsds.export import hsds_export


class Command(BaseCommand):
    help = (
        "Write the published and closed listings as an Open Referral HSDS 3.0 data package (CSV files, "
        "datapackage.json and a zip of them). Without OUTDIR it publishes into OPEN_DATA_ROOT, which /open-data/ "
        "offers for download."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "outdir", nargs="?", type=Path, help=f"Folder to write into [OPEN_DATA_ROOT: {settings.OPEN_DATA_ROOT}]."
        )

    def handle(self, *args, outdir: Path | None, **options):
        result = hsds_export(outdir=outdir or Path(settings.OPEN_DATA_ROOT))
        counts = ", ".join(f"{count} {table}" for table, count in result.counts.items())
        self.stdout.write(f"Wrote {result.zip_path} ({counts}).")
