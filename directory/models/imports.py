from django.conf import settings
from django.db import models


class ImportRun(models.Model):
    """One finished import of a source file: which file (by checksum), what it did, who ran it.

    `import_samhsa --if-new` (what `make run` calls) skips a file whose checksum is already
    here, so the bundled directory is imported once, not on every start.
    """

    source = models.CharField(max_length=120, help_text="The provenance written on the centers.")
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True, help_text="Of the file's content (unzipped).")
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    merged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    finished_at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-finished_at"]
        verbose_name = "import"

    def __str__(self) -> str:
        return f"{self.file_name} ({self.finished_at:%Y-%m-%d %H:%M})"

    @classmethod
    def record(cls, report, *, source: str, sha256: str, user_id: int | None) -> "ImportRun":
        """The row of a finished import, from its report (directory.importers.report.ImportReport:
        the SAMHSA and Medicare imports write the same summary)."""
        return cls.objects.create(
            source=source,
            file_name=report.source_name[:255],
            sha256=sha256,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
            merged=report.merged,
            rejected=report.rejected,
            seconds=report.seconds,
            user_id=user_id,
        )
