"""/transparency/register (public, no auth) and /use-cases/{id}/publication (full paths)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from ninja import Router, Schema, Status

from aiom.core.api_support import require_scope
from aiom.portfolio.access import use_case_for
from aiom.transparency import services
from aiom.transparency.public import MAX_AGE
from aiom.transparency.register import register
from aiom.transparency.rules import Facts, verdict

router = Router(tags=["transparency"])


class EntryOut(Schema):
    reference: str
    name: str
    summary: str
    org_unit: str
    ai_type: str
    tier: str
    human_oversight: str
    status: str
    contact: str
    published_on: dt.date


class RegisterOut(Schema):
    organisation: str
    count: int
    use_cases: list[EntryOut]


class PublicationDecisionIn(Schema):
    publish: bool
    rationale: str
    public_summary: str = ""
    human_oversight: str = ""
    oversight_mode: str = ""  # human_decides | human_reviews | automated
    contact: str = ""


class PublicationDecisionOut(Schema):
    id: int
    use_case: int
    publish: bool
    rationale: str
    public_summary: str
    human_oversight: str
    oversight_mode: str
    contact: str
    reference: str
    decided_at: dt.datetime
    decided_by: int | None
    published: bool
    reasons: list[str]
    approved: dict[str, Any]
    pending_review: bool
    reopened_reason: str


@router.get(
    "/transparency/register",
    response=RegisterOut,
    auth=None,
    summary="The public register of published AI use cases (no authentication)",
)
def public_register(request: HttpRequest, response: HttpResponse) -> dict[str, Any]:
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    _, rules, publishable = services.transparency_rules()
    reg = register(rules, publishable)
    return {
        "organisation": reg.organisation,
        "count": reg.count,
        "use_cases": [{**e.as_dict(), "published_on": e.published_on} for e in reg.entries],
    }


@router.post(
    "/use-cases/{int:use_case_id}/publication",
    response={201: PublicationDecisionOut},
    summary="Decide whether a use case is published on the public register",
)
def decide(
    request: HttpRequest, use_case_id: int, payload: PublicationDecisionIn
) -> Status[dict[str, Any]]:
    require_scope(request, "write")
    uc = use_case_for(request, use_case_id).use_case
    d = services.decide_publication(actor=request.user, use_case=uc, **payload.model_dump())
    uc.refresh_from_db()
    _, _, publishable = services.transparency_rules()
    v = verdict(Facts(uc.stage, uc.confidential, d.publish), publishable)
    body = {
        **d.snapshot(),
        "id": d.pk,
        "decided_at": d.decided_at,
        "decided_by": d.decided_by_id,
        "published": v.published,
        "reasons": list(v.reasons),
        "pending_review": d.pending_review,
    }
    return Status(201, body)
