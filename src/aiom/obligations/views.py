"""Obligation pages: the use-case panel (status, evidence), evidence download, crosswalk.

`panel_context(request, use_case)` is what the use-case page includes as
`obligations/_panel.html`. Setting a status answers the partial to htmx (422 with the
reason on a refusal) and redirects to the use-case page otherwise; adding evidence is a
plain multipart form that redirects back. Evidence files are served only to those who
may see the use case, as attachments, with our content type and nosniff.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.core.htmx import HtmxHttpRequest
from aiom.obligations import services, uploads
from aiom.obligations.crosswalk import OVERDUE, crosswalk
from aiom.obligations.derive import MET, NOT_APPLICABLE, OPEN, STATUS_LABELS
from aiom.obligations.facts import active_pack
from aiom.obligations.models import Evidence
from aiom.obligations.pack import FRAMEWORKS
from aiom.obligations.reading import overview
from aiom.portfolio import panels
from aiom.portfolio.access import use_case_for
from aiom.portfolio.models import UseCase

STATUS_CHOICES = [(s, STATUS_LABELS[s]) for s in (MET, OPEN, NOT_APPLICABLE)]


def panel_context(request: HttpRequest, use_case: UseCase) -> dict[str, Any]:
    """What `obligations/_panel.html` needs, under one key: `obligations`."""
    return {
        "obligations": {
            "use_case": use_case,
            "overview": overview(use_case),
            "can_mark": services.can_mark(request.user, use_case),
            "can_add": services.can_add_evidence(request.user, use_case),
            "choices": STATUS_CHOICES,
            "max_kb": uploads.max_bytes() // 1024,
            "accept": ",".join(sorted(uploads.TYPES)),
        }
    }


def register_panel() -> None:
    """Show this panel on the use-case page (called by ObligationsConfig.ready)."""
    panels.register("obligations", "obligations/_panel.html", panel_context, order=40)


def _answer(
    request: HtmxHttpRequest, uc: UseCase, *, error: str = "", done: str = ""
) -> HttpResponse:
    return panels.answer(request, uc, "obligations", error=error, done=done, anchor="#obligations")


@login_required
def panel(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    uc = use_case_for(request, pk).use_case
    return render(request, "obligations/_panel.html", panel_context(request, uc))


@login_required
@require_POST
def set_status(request: HtmxHttpRequest, pk: int, key: str) -> HttpResponse:
    uc = use_case_for(request, pk).use_case
    try:
        row = services.set_status(
            actor=request.user,
            use_case=uc,
            obligation=key,
            status=request.POST.get("status", ""),
            reason=request.POST.get("reason", ""),
        )
    except InvalidInput as exc:
        return _answer(request, uc, error=exc.sentence)
    except PermissionDenied as exc:
        return _answer(request, uc, error=str(exc))
    return _answer(request, uc, done=f"Marked {STATUS_LABELS[row.status]}.")


@login_required
@require_POST
def add_evidence(request: HtmxHttpRequest, pk: int, key: str) -> HttpResponse:
    uc = use_case_for(request, pk).use_case
    upload = request.FILES.get("file")
    try:
        services.add_evidence(
            actor=request.user,
            use_case=uc,
            obligation=key,
            url=request.POST.get("url", ""),
            chunks=upload.chunks() if upload else None,
            filename=(upload.name or "") if upload else "",
            note=request.POST.get("note", ""),
        )
    except InvalidInput as exc:
        return _answer(request, uc, error=exc.sentence)
    except PermissionDenied as exc:
        return _answer(request, uc, error=str(exc))
    return _answer(request, uc, done="Evidence added.")


def evidence_file_response(request: HttpRequest, evidence_id: int) -> FileResponse:
    """The stored file of evidence on a use case the viewer may see; 404 otherwise."""
    visible = UseCase.objects.visible_to(request.user)
    ev = Evidence.objects.filter(pk=evidence_id, use_case__in=visible).first()
    if ev is None or not ev.is_file:
        raise Http404("No such evidence file, or not one you may see.")
    try:
        handle = uploads.stored_path(ev.stored_name).open("rb")
    except (OSError, ValueError) as exc:
        raise Http404("The evidence file is missing.") from exc
    response = FileResponse(
        handle, as_attachment=True, filename=ev.original_name, content_type=ev.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def download(request: HttpRequest, evidence_id: int) -> FileResponse:
    return evidence_file_response(request, evidence_id)


@login_required
def crosswalk_page(request: HttpRequest) -> HttpResponse:
    pack = active_pack()
    framework = request.GET.get("framework", "")
    if framework not in FRAMEWORKS:
        framework = FRAMEWORKS[0]
    rows = crosswalk(pack, framework, request.user)
    chosen_ref = request.GET.get("ref", "")
    chosen_status = request.GET.get("status", "")
    drill = next((r for r in rows if r.ref_id == chosen_ref), None)
    if chosen_status not in (MET, OPEN, NOT_APPLICABLE, OVERDUE):
        chosen_status = OPEN
    context = {
        "pack": pack,
        "frameworks": list(pack.frameworks),
        "framework": pack.framework(framework),
        "rows": rows,
        "drill": drill,
        "drill_status": chosen_status,
        "drill_label": STATUS_LABELS.get(chosen_status, "open and due at their stage"),
        "drill_cases": drill.cases[chosen_status] if drill else [],
        "statuses": STATUS_CHOICES,
    }
    return render(request, "obligations/crosswalk.html", context)
