"""What an import did: counts, rejected rows, warnings and facilities missing from the file."""

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from directory.importers.parsing import COLUMNS
from directory.spreadsheet_safety import SafeWriter


@dataclass(frozen=True)
class RowProblem:
    row: int  # spreadsheet row number: the header is row 1
    reason: str
    name: str
    values: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class MissingCenter:
    name: str
    slug: str
    status: str
    source_key: str


@dataclass
class ImportReport:
    source_name: str = ""
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    merged: int = 0
    kept_staff_edits: int = 0
    rejects: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)
    missing: list[MissingCenter] = field(default_factory=list)
    seconds: float = 0.0
    report_dir: str = ""
    # Lines the importer adds under the summary (the Medicare import: rows kept, centers matched).
    notes: list[str] = field(default_factory=list)
    # The source file's columns, for rejects.csv [SAMHSA's directory].
    columns: tuple[str, ...] = COLUMNS
    # What the centers in `missing` are, after their number.
    missing_text: str = "imported facilities are missing from this file (not deleted; review them in the admin)"

    @property
    def rejected(self) -> int:
        return len(self.rejects)

    def summary_line(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
            f"merged {self.merged}, rejected {self.rejected}"
        )

    def detail_lines(self) -> list[str]:
        """The lines printed under the summary: what a person running the import should know."""
        lines = []
        if self.dry_run:
            lines.append("Dry run: nothing was written.")
        lines.extend(self.notes)
        if self.kept_staff_edits:
            lines.append(f"kept {self.kept_staff_edits} staff edits (fields changed by staff since the last import)")
        if self.missing:
            lines.append(
                f"{len(self.missing)} {self.missing_text}: "
                + ", ".join(center.slug for center in self.missing[:10])
                + (" ..." if len(self.missing) > 10 else "")
            )
        if self.warnings:
            lines.append(
                f"{len(self.warnings)} rows imported with warnings, e.g. row {self.warnings[0].row}: "
                f"{self.warnings[0].reason}"
            )
        for problem in self.rejects[:20]:
            lines.append(f"rejected row {problem.row}: {problem.reason}")
        if len(self.rejects) > 20:
            lines.append(f"... and {len(self.rejects) - 20} more rejected rows")
        if self.report_dir:
            lines.append(f"Report, rejects, warnings and missing facilities written to {self.report_dir}")
        return lines

    def write(self, directory: Path) -> None:
        """summary.txt, summary.json, rejects.csv (re-importable once fixed), warnings.csv and missing.csv."""
        directory.mkdir(parents=True, exist_ok=True)
        self.report_dir = str(directory)
        (directory / "summary.txt").write_text(
            "\n".join([f"{self.source_name}: {self.summary_line()}", *self.detail_lines()]) + "\n", encoding="utf-8"
        )
        (directory / "summary.json").write_text(json.dumps(self.as_dict(), indent=2), encoding="utf-8")
        with open(directory / "rejects.csv", "w", newline="", encoding="utf-8") as out:
            writer = SafeWriter(out)
            writer.writerow(["row", "reason", *self.columns])
            for problem in self.rejects:
                writer.writerow([problem.row, problem.reason, *(problem.values.get(c, "") for c in self.columns)])
        with open(directory / "warnings.csv", "w", newline="", encoding="utf-8") as out:
            writer = SafeWriter(out)
            writer.writerow(["row", "warning", "name"])
            for problem in self.warnings:
                writer.writerow([problem.row, problem.reason, problem.name])
        with open(directory / "missing.csv", "w", newline="", encoding="utf-8") as out:
            writer = SafeWriter(out)
            writer.writerow(["name", "slug", "status", "source_key"])
            for center in self.missing:
                writer.writerow([center.name, center.slug, center.status, center.source_key])

    def as_dict(self) -> dict:
        data = asdict(self)
        data["rejected"] = self.rejected
        data["summary"] = self.summary_line()
        return data
