"""The web import for administrators: upload → preview (a dry run) → confirm → result, or,
for a large file, a background job with its progress page (views_jobs.py).

The preview and the confirmation run the same importer; the confirm form carries a signed
token naming the stored file, its sha256 and, when a mapping file was uploaded, the
mapping's sha256 — both checked again before anything is written, so what is confirmed is
exactly what was previewed.
"""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.inventory import jobs, launch, mapping_upload, uploads
from aiom.inventory.importer import run_import, sha256_of
from aiom.inventory.mapping import Mapping, MappingError, load_preset, preset_names
from aiom.inventory.models import ImportJob
from aiom.inventory.report import NOT_MAPPED, Report
from aiom.inventory.services import create_import_job, record_import_run
from aiom.organisation.access import access_for

MAX_PROBLEMS_SHOWN = 50


class UploadForm(forms.Form):
    file = forms.FileField(help_text="CSV, XLSX or JSON, at most 20 MB")
    preset = forms.ChoiceField(
        choices=[("", "Detect from the headers")] + [(p, p) for p in preset_names()],
        required=False,
        help_text="A shipped mapping; or upload your own below",
    )
    mapping_file = forms.FileField(
        required=False,
        label="Mapping file",
        help_text="Your own mapping (YAML, at most 256 KB) instead of a preset",
    )
    org_unit_root = forms.CharField(
        max_length=120, required=False, help_text="Put the imported org units under this unit"
    )
    skip_invalid = forms.BooleanField(
        required=False, help_text="Import the valid rows and report the others"
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        problem = uploads.check(upload)
        if problem:
            raise forms.ValidationError(problem)
        return upload

    def clean_mapping_file(self) -> tuple[str, Mapping] | None:
        upload = self.cleaned_data.get("mapping_file")
        if not upload:
            return None
        try:
            return mapping_upload.parse(upload)
        except MappingError as exc:
            problems = [f"The mapping cannot be used: {p}" for p in exc.problems]
            raise forms.ValidationError(problems) from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("preset") and self.files.get("mapping_file"):
            self.add_error("mapping_file", "Choose a preset or upload a mapping file, not both.")
        return data


def require_admin(request: HttpRequest) -> None:
    if not access_for(request.user).is_admin:
        raise PermissionDenied("only administrators import inventories")


def report_context(report: Report) -> dict[str, Any]:
    """What the report's sections render: the problems of the file as a whole, then the
    first MAX_PROBLEMS_SHOWN problems of its lines (errors first)."""
    line_problems = [p for p in report.errors + report.warnings if p.line]
    aside = [_fields(a, "line", "reason", "detail") for a in report.set_aside[:50]]
    return {
        "set_aside_reasons": [
            (reason.replace("_", " "), n) for reason, n in report.set_aside_by_reason.items()
        ],
        "set_aside_rows": [(line, str(reason).replace("_", " "), d) for line, reason, d in aside],
        "date_rows": [_date_row(f) for f in report.date_fields],
        "not_mapped": NOT_MAPPED,
        "placeholders": sorted(dict(report.placeholders_blanked).items(), key=lambda kv: -kv[1]),
        "report": report,
        "file_problems": [p for p in report.problems if not p.line],
        "problems": line_problems[:MAX_PROBLEMS_SHOWN],
        "line_problem_count": len(line_problems),
        "stages": sorted(report.by_stage.items(), key=lambda kv: -kv[1]),
        "source_stages": sorted(report.by_source_stage.items(), key=lambda kv: -kv[1]),
    }


def _fields(item: Any, *names: str) -> tuple[Any, ...]:
    """Attributes of a report section's item, or keys once it has been kept as JSON."""
    if isinstance(item, dict):
        return tuple(item.get(name) for name in names)
    return tuple(getattr(item, name, None) for name in names)


def _date_row(tally: Any) -> dict[str, Any]:
    """One date field's tally for the table (a Counter cannot be read by a template: its
    `.items` is a count of 0)."""
    names = ("field", "column", "readable", "unreadable", "ambiguous", "future", "none")
    row = dict(zip(names, _fields(tally, *names), strict=True))
    (by_precision, examples) = _fields(tally, "by_precision", "examples")
    row["precisions"] = [(p, n) for p, n in dict(by_precision or {}).items() if n]
    row["examples"] = [
        tuple(e.get(k) for k in ("line", "text", "reason")) if isinstance(e, dict) else tuple(e)
        for e in examples or []
    ]
    return row


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    require_admin(request)
    if int(request.META.get("CONTENT_LENGTH") or 0) > uploads.MAX_BYTES + 65536:
        context = {"form": UploadForm(), "refused": "the upload is larger than the 20 MB limit"}
        return render(request, "inventory/upload.html", context, status=413)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method != "POST" or not form.is_valid():
        status = 422 if request.method == "POST" else 200  # a form with its errors, as elsewhere
        return render(request, "inventory/upload.html", {"form": form}, status=status)
    data = form.cleaned_data
    stored, sha256 = uploads.store(data["file"])
    path = uploads.path_of(stored)
    if path is None:  # just written: cannot happen
        raise RuntimeError("the upload vanished")
    mapping: Mapping | None = load_preset(data["preset"]) if data["preset"] else None
    mapping_sha256 = ""
    if data["mapping_file"] is not None:
        text, mapping = data["mapping_file"]
        mapping_sha256 = uploads.store_mapping(stored, text)
    report = run_import(
        path,
        actor=request.user,
        mapping=mapping,
        file_name=data["file"].name,
        dry_run=True,
        skip_invalid=data["skip_invalid"],
        org_unit_root=data["org_unit_root"],
    )
    record_import_run(actor=request.user, report=report, skip_invalid=data["skip_invalid"])
    token = uploads.sign(
        {
            "stored": stored,
            "sha256": sha256,
            "mapping_sha256": mapping_sha256,
            "name": data["file"].name,
            "preset": report.preset if report.preset != "?" and not mapping_sha256 else "",
            "skip_invalid": data["skip_invalid"],
            "root": data["org_unit_root"],
            "rows": report.rows,
            "user": request.user.pk,
        }
    )
    can_confirm = report.rows > 0 and (data["skip_invalid"] or not report.blocked)
    background = jobs.runs_in_background(report.rows, path.stat().st_size)
    context = report_context(report) | {
        "token": token,
        "can_confirm": can_confirm,
        "background": background,
        "mapping_uploaded": bool(mapping_sha256),
    }
    unreadable = report.rows == 0 and bool(report.errors)  # the file itself is refused
    return render(request, "inventory/preview.html", context, status=400 if unreadable else 200)


@login_required
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    require_admin(request)
    signed = uploads.unsign(request.POST.get("token", ""))
    if signed is None or signed.get("user") != request.user.pk:
        return _refused(request, "This confirmation is not valid (expired or altered).")
    stored = str(signed.get("stored", ""))
    if ImportJob.objects.filter(stored=stored).exists():
        return _refused(request, "This upload has already been confirmed; see the import jobs.")
    path = uploads.path_of(stored)
    if path is None:
        return _refused(request, "The uploaded file is gone; upload it again.")
    if sha256_of(path) != signed.get("sha256"):
        return _refused(request, "The stored file is not the one previewed; nothing imported.")
    mapping_sha256 = str(signed.get("mapping_sha256") or "")
    mapping: Mapping | None = None
    if mapping_sha256:
        kept = uploads.read_mapping(stored)
        if kept is None or kept[1] != mapping_sha256:
            return _refused(
                request, "The stored mapping is not the one previewed; nothing imported."
            )
        try:
            mapping = mapping_upload.parse_text(kept[0])
        except MappingError as exc:  # it parsed at the preview: only a changed parser
            return _refused(request, f"The mapping cannot be used: {exc}")
    elif signed.get("preset"):
        mapping = load_preset(str(signed["preset"]))
    if jobs.runs_in_background(int(signed.get("rows") or 0), path.stat().st_size):
        return _start_job(request, signed, mapping)
    try:
        report = run_import(
            path,
            actor=request.user,
            mapping=mapping,
            file_name=str(signed.get("name", "upload")),
            skip_invalid=bool(signed.get("skip_invalid")),
            org_unit_root=str(signed.get("root", "")),
        )
        if report.written:
            record_import_run(
                actor=request.user,
                report=report,
                skip_invalid=bool(signed.get("skip_invalid")),
            )
    finally:
        uploads.discard(stored)
    status = 200 if report.written else 409
    return render(request, "inventory/result.html", report_context(report), status=status)


def _start_job(
    request: HttpRequest, signed: dict[str, Any], mapping: Mapping | None
) -> HttpResponse:
    try:
        job = create_import_job(
            actor=request.user,
            file_name=str(signed.get("name", "upload")),
            sha256=str(signed["sha256"]),
            stored=str(signed["stored"]),
            total=int(signed.get("rows") or 0),
            preset=str(signed.get("preset") or ""),
            mapping_name=mapping.name if mapping is not None else "",
            mapping_sha256=str(signed.get("mapping_sha256") or ""),
            skip_invalid=bool(signed.get("skip_invalid")),
            org_unit_root=str(signed.get("root", "")),
        )
    except InvalidInput as exc:
        return _refused(request, exc.sentence)
    transaction.on_commit(lambda: launch.start(job))  # the runner must find the job's row
    return redirect("inventory:job", pk=job.pk)


def _refused(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "inventory/refused.html", {"reason": reason}, status=400)
