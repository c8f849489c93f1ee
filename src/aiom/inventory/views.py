"""The web import for administrators: upload → preview (a dry run) → confirm → result.

The preview and the confirmation run the same importer; the confirm form carries a signed
token naming the stored file and its sha256, checked again before anything is written.
"""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST

from aiom.core.errors import PermissionDenied
from aiom.inventory import uploads
from aiom.inventory.importer import run_import, sha256_of
from aiom.inventory.mapping import load_preset, preset_names
from aiom.inventory.report import Report
from aiom.inventory.services import record_import_run
from aiom.organisation.access import access_for

MAX_PROBLEMS_SHOWN = 50


class UploadForm(forms.Form):
    file = forms.FileField(help_text="CSV, XLSX or JSON, at most 20 MB")
    preset = forms.ChoiceField(
        choices=[("", "Detect from the headers")] + [(p, p) for p in preset_names()],
        required=False,
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


def _require_admin(request: HttpRequest) -> None:
    if not access_for(request.user).is_admin:
        raise PermissionDenied("only administrators import inventories")


def _context(report: Report) -> dict[str, Any]:
    return {
        "report": report,
        "problems": (report.errors + report.warnings)[:MAX_PROBLEMS_SHOWN],
        "stages": sorted(report.by_stage.items(), key=lambda kv: -kv[1]),
        "source_stages": sorted(report.by_source_stage.items(), key=lambda kv: -kv[1]),
    }


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    if int(request.META.get("CONTENT_LENGTH") or 0) > uploads.MAX_BYTES + 65536:
        context = {"form": UploadForm(), "refused": "the upload is larger than the 20 MB limit"}
        return render(request, "inventory/upload.html", context, status=413)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method != "POST" or not form.is_valid():
        status = 400 if request.method == "POST" else 200
        return render(request, "inventory/upload.html", {"form": form}, status=status)
    data = form.cleaned_data
    stored, sha256 = uploads.store(data["file"])
    path = uploads.path_of(stored)
    if path is None:  # just written: cannot happen
        raise RuntimeError("the upload vanished")
    report = run_import(
        path,
        actor=request.user,
        mapping=load_preset(data["preset"]) if data["preset"] else None,
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
            "name": data["file"].name,
            "preset": report.preset if report.preset != "?" else "",
            "skip_invalid": data["skip_invalid"],
            "root": data["org_unit_root"],
            "user": request.user.pk,
        }
    )
    can_confirm = report.rows > 0 and (data["skip_invalid"] or not report.blocked)
    context = _context(report) | {"token": token, "can_confirm": can_confirm}
    unreadable = report.rows == 0 and bool(report.errors)  # the file itself is refused
    return render(request, "inventory/preview.html", context, status=400 if unreadable else 200)


@login_required
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    signed = uploads.unsign(request.POST.get("token", ""))
    if signed is None or signed.get("user") != request.user.pk:
        return _refused(request, "This confirmation is not valid (expired or altered).")
    path = uploads.path_of(str(signed.get("stored", "")))
    if path is None:
        return _refused(request, "The uploaded file is gone; upload it again.")
    if sha256_of(path) != signed.get("sha256"):
        return _refused(request, "The stored file is not the one previewed; nothing imported.")
    try:
        report = run_import(
            path,
            actor=request.user,
            mapping=load_preset(signed["preset"]) if signed.get("preset") else None,
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
        path.unlink(missing_ok=True)
    status = 200 if report.written else 409
    return render(request, "inventory/result.html", _context(report), status=status)


def _refused(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "inventory/refused.html", {"reason": reason}, status=400)
