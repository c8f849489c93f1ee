"""/use-cases/{id}/obligations (list, status, evidence) and /obligations/crosswalk.

Use cases answer as `UseCase.objects.visible_to` allows (404 otherwise). Evidence files
download from `api_download_url` (tokens) or `download_url` (the page, for a session);
both check visibility the same way.
"""

import datetime as dt
from typing import Any

from django.http import FileResponse, Http404, HttpRequest
from django.urls import reverse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from aiom.core.api_support import require_scope
from aiom.obligations import services
from aiom.obligations.crosswalk import crosswalk
from aiom.obligations.facts import active_pack
from aiom.obligations.models import Evidence
from aiom.obligations.pack import FRAMEWORKS
from aiom.obligations.reading import Item, overview
from aiom.obligations.views import evidence_file_response
from aiom.portfolio.access import use_case_for
from aiom.portfolio.models import UseCase

router = Router(tags=["obligations"])


class ReferenceOut(Schema):
    framework: str
    id: str
    note: str


class EvidenceOut(Schema):
    id: int
    obligation: str
    url: str
    file_name: str
    content_type: str
    size: int | None
    sha256: str
    download_url: str | None
    api_download_url: str | None
    note: str
    added_by: str
    added_at: dt.datetime


class ObligationOut(Schema):
    key: str
    title: str
    summary: str
    from_stage: str
    status: str
    reason: str
    due_now: bool
    updated_by: str | None
    updated_at: dt.datetime | None
    references: list[ReferenceOut]
    evidence: list[EvidenceOut]


class UseCaseObligationsOut(Schema):
    use_case: int
    pack: str
    tier: str
    open: int
    obligations: list[ObligationOut]


class ObligationStatusIn(Schema):
    status: str
    reason: str = ""


class CellOut(Schema):
    id: int
    title: str


class CrosswalkRowOut(Schema):
    reference: str
    notes: list[str]
    obligations: list[str]
    met: int
    open: int
    not_applicable: int
    overdue: int
    readiness: float | None
    use_cases: dict[str, list[CellOut]]


class CrosswalkOut(Schema):
    framework: str
    pack: str
    rows: list[CrosswalkRowOut]


def _name(user: Any) -> str:
    return "system" if user is None else str(user.get_full_name() or user.get_username())


def _evidence(ev: Evidence) -> dict[str, Any]:
    return {
        "id": ev.pk,
        "obligation": ev.obligation,
        "url": ev.url,
        "file_name": ev.original_name,
        "content_type": ev.content_type,
        "size": ev.size,
        "sha256": ev.sha256,
        "download_url": reverse("obligations:download", args=[ev.pk]) if ev.is_file else None,
        "api_download_url": (
            reverse("api:download_evidence", args=[ev.pk]) if ev.is_file else None
        ),
        "note": ev.note,
        "added_by": _name(ev.added_by),
        "added_at": ev.added_at,
    }


def _item(item: Item) -> dict[str, Any]:
    ob = item.owed.obligation
    return {
        "key": ob.key,
        "title": ob.title,
        "summary": ob.summary,
        "from_stage": ob.from_stage,
        "status": item.owed.status,
        "reason": item.owed.reason,
        "due_now": item.due_now,
        "updated_by": _name(item.row.updated_by) if item.row else None,
        "updated_at": item.row.updated_at if item.row else None,
        "references": [r.model_dump() for r in ob.references],
        "evidence": [_evidence(ev) for ev in item.evidence],
    }


def _listing(uc: UseCase) -> dict[str, Any]:
    ov = overview(uc)
    return {
        "use_case": uc.pk,
        "pack": ov.pack.name,
        "tier": uc.tier,
        "open": ov.open_count,
        "obligations": [_item(i) for i in ov.items],
    }


@router.get(
    "/use-cases/{pk}/obligations",
    response=UseCaseObligationsOut,
    summary="The obligations a use case owes, with status and evidence",
)
def list_obligations(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _listing(use_case_for(request, pk).use_case)


@router.put(
    "/use-cases/{pk}/obligations/{key}",
    response=ObligationOut,
    summary="Mark an obligation met, open or not applicable (with a reason)",
)
def put_status(
    request: HttpRequest, pk: int, key: str, payload: ObligationStatusIn
) -> dict[str, Any]:
    require_scope(request, "write")
    uc = use_case_for(request, pk).use_case
    services.set_status(
        actor=request.user,
        use_case=uc,
        obligation=key,
        status=payload.status,
        reason=payload.reason,
    )
    return next(i for i in _listing(uc)["obligations"] if i["key"] == key)


@router.post(
    "/use-cases/{pk}/obligations/{key}/evidence",
    response={201: EvidenceOut},
    summary="Add evidence: a link (url) or a file (multipart), with a note",
)
def post_evidence(
    request: HttpRequest,
    pk: int,
    key: str,
    url: Form[str] = "",
    note: Form[str] = "",
    file: File[UploadedFile | None] = None,
) -> Status[Any]:
    require_scope(request, "write")
    uc = use_case_for(request, pk).use_case
    ev = services.add_evidence(
        actor=request.user,
        use_case=uc,
        obligation=key,
        url=url,
        chunks=file.chunks() if file is not None else None,
        filename=(file.name or "") if file is not None else "",
        note=note,
    )
    return Status(201, _evidence(ev))


@router.get(
    "/obligations/evidence/{evidence_id}/file",
    summary="Download an evidence file (as an attachment; 404 unless you may see its use case)",
)
def download_evidence(request: HttpRequest, evidence_id: int) -> FileResponse:
    return evidence_file_response(request, evidence_id)


@router.get(
    "/obligations/crosswalk",
    response=CrosswalkOut,
    summary="Readiness per framework reference over the use cases you may see",
)
def get_crosswalk(request: HttpRequest, framework: str = "eu-ai-act") -> dict[str, Any]:
    if framework not in FRAMEWORKS:
        raise Http404(f"no framework '{framework}'; known: {', '.join(FRAMEWORKS)}")
    pack = active_pack()
    rows = crosswalk(pack, framework, request.user)
    return {
        "framework": framework,
        "pack": pack.name,
        "rows": [
            {
                "reference": r.ref_id,
                "notes": r.notes,
                "obligations": [o.key for o in r.obligations],
                "met": r.met,
                "open": r.open,
                "not_applicable": r.not_applicable,
                "overdue": r.overdue,
                "readiness": r.readiness,
                "use_cases": {
                    status: [{"id": pk, "title": title} for pk, title in cases]
                    for status, cases in r.cases.items()
                },
            }
            for r in rows
        ],
    }
