"""The national directory import in the admin: upload a file, see the summary and the rejects.

Linked from the Center changelist (templates/admin/directory/center/change_list.html) for
staff with the `directory.import_centers` permission; everyone else gets 403. Each run's
report folder (summary, rejects.csv, warnings.csv, missing.csv) lives under
MEDIA_ROOT/imports/ and is downloadable here, never from a public URL.
"""

import json
import re
import tempfile
from pathlib import Path

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.validators import FileExtensionValidator
from django.http import FileResponse, Http404
from django.template.response import TemplateResponse
from django.urls import path

from directory.importers import SourceFileError, import_reports_root, new_report_dir, samhsa_import
from directory.models import Center, ImportRun

PERMISSION = "directory.import_centers"
RUN_RE = re.compile(r"^\d{8}-\d{6}(?:-\d{6})?$")
REPORT_FILES = {"rejects.csv", "warnings.csv", "missing.csv", "summary.txt"}
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
SHOWN = 200  # rows of each list shown on the page; the CSV files have them all


class CenterImportForm(forms.Form):
    file = forms.FileField(
        label="Directory file",
        help_text="SAMHSA's National Directory of Mental Health Treatment Facilities: .csv or .xlsx.",
        validators=[FileExtensionValidator(["csv", "xlsx"])],
    )
    dry_run = forms.BooleanField(required=False, label="Dry run: show what would change, write nothing")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 50 MB; the whole directory is about 2 MB.")
        return upload


def center_import_urls(model_admin) -> list:
    site = model_admin.admin_site
    return [
        path(
            "import/",
            site.admin_view(lambda request: center_import_view(request, model_admin=model_admin)),
            name="directory_center_import",
        ),
        path(
            "import/<str:run>/<str:filename>",
            site.admin_view(center_import_file_view),
            name="directory_center_import_file",
        ),
    ]


def center_import_view(request, *, model_admin):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    report, run = None, ""
    form = CenterImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        dry_run = form.cleaned_data["dry_run"]
        report_dir = None if dry_run else new_report_dir()
        with tempfile.TemporaryDirectory() as folder:
            saved = Path(folder) / ("directory.xlsx" if upload.name.lower().endswith(".xlsx") else "directory.csv")
            with open(saved, "wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            try:
                report = samhsa_import(
                    path=saved,
                    dry_run=dry_run,
                    report_dir=report_dir,
                    source_name=Path(upload.name).name,
                    user_id=request.user.pk,
                )
            except SourceFileError as error:
                form.add_error("file", str(error))
        if report is not None and report_dir is not None:
            run = report_dir.name
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Center._meta,
        "title": "Import the national directory",
        "form": form,
        "report": report,
        "run": run,
        "shown": SHOWN,
        "past_runs": _past_runs(),
    }
    return TemplateResponse(request, "admin/directory/center/import.html", context)


def center_import_file_view(request, run: str, filename: str):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    if not RUN_RE.match(run) or filename not in REPORT_FILES:
        raise Http404("No such import report.")
    file = import_reports_root() / run / filename
    if not file.is_file():
        raise Http404("No such import report.")
    return FileResponse(open(file, "rb"), as_attachment=True, filename=f"import-{run}-{filename}")


def _past_runs(limit: int = 10) -> list[dict]:
    """The latest imports' summaries, newest first."""
    root = import_reports_root()
    if not root.is_dir():
        return []
    runs = []
    for folder in sorted((p for p in root.iterdir() if RUN_RE.match(p.name)), reverse=True)[:limit]:
        try:
            summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        runs.append({"run": folder.name, "file": summary.get("source_name", ""), "summary": summary.get("summary", "")})
    return runs


class ImportRunAdmin(admin.ModelAdmin):
    """Every finished import, newest first: which file (by checksum), what it did, who ran it.
    Read only; for staff who may import (registered in directory/admin.py)."""

    list_display = ["finished_at", "file_name", "source", "created", "updated", "unchanged", "rejected", "user"]
    list_filter = ["source"]
    search_fields = ["file_name", "sha256"]
    readonly_fields = [field.name for field in ImportRun._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm(PERMISSION)
