"""/api/v1/policy: the policy in force, its versions, and validating, simulating, activating.

Any internal user may read the policy and try drafts; a simulation only covers the use
cases the caller may see, so it never reveals a confidential title. Only administrators
activate (with a write-scoped token). Partners answer 403 everywhere.
"""

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import ConfigDict, Field

from aiom.core.api_support import require_scope
from aiom.core.errors import PermissionDenied
from aiom.governance.models import PolicyVersion
from aiom.governance.policy import versions as policies
from aiom.governance.policy.schema import Policy, PolicyError
from aiom.governance.policy.simulate import simulate
from aiom.organisation.access import access_for
from aiom.organisation.schemas import PersonRef, person_ref
from aiom.portfolio.models import UseCase

router = Router(tags=["policy"])
MAX_DOCUMENT = 500_000


class VersionOut(Schema):
    version: int
    sha256: str
    name: str
    activated_at: dt.datetime
    activated_by: PersonRef | None
    note: str

    @staticmethod
    def resolve_activated_by(obj: Any) -> dict[str, Any] | None:
        return person_ref(obj.activated_by)


class PolicyOut(VersionOut):
    structure: str
    content: str = Field(description="The YAML document exactly as activated")

    @staticmethod
    def resolve_structure(obj: Any) -> str:
        return policies.load_text(obj.content).structure


class PolicyDraftIn(Schema):
    model_config = ConfigDict(extra="forbid")

    content: str = Field(..., max_length=MAX_DOCUMENT, description="A policy YAML document")


class ActivateIn(PolicyDraftIn):
    note: str = Field("", max_length=2_000, description="Why the policy changes")


class ValidationOut(Schema):
    valid: bool
    problems: list[str] = Field(description="'path: message' lines; empty when valid")


class ProblemsOut(Schema):
    """A refused policy: `problems` as 'path: message' lines when the YAML was read; a body
    that is not even the right shape answers ninja's `detail` alone."""

    detail: list[dict[str, Any]]
    problems: list[str] = Field(default_factory=list)


class ActivatedOut(Schema):
    version: int
    sha256: str
    name: str
    changed: bool = Field(description="False when the content was already in force")


def _internal(request: HttpRequest) -> None:
    if not access_for(request.user).is_internal:
        raise PermissionDenied("the governance policy is for people inside the organisation")


def _parse(content: str) -> tuple[Policy | None, list[str]]:
    try:
        return policies.load_text(content), []
    except PolicyError as exc:
        return None, exc.problems


def _unprocessable(problems: list[str]) -> Status[dict[str, Any]]:
    detail = [{"loc": ["body", "content"], "msg": p, "type": "invalid_policy"} for p in problems]
    return Status(422, {"detail": detail, "problems": problems})


def _version(number: int) -> PolicyVersion:
    found = PolicyVersion.objects.select_related("activated_by").filter(version=number).first()
    if found is None:
        raise Http404(f"no policy version {number}")
    return found


@router.get("/policy", response=PolicyOut, summary="The policy in force")
def get_policy(request: HttpRequest) -> PolicyVersion:
    _internal(request)
    return _version(policies.active_policy().version)


@router.get("/policy/versions", response=list[VersionOut], summary="Every activated version")
@paginate(LimitOffsetPagination)
def list_versions(request: HttpRequest) -> Any:
    _internal(request)
    return PolicyVersion.objects.select_related("activated_by").defer("content")


@router.get("/policy/versions/{int:version}", response=PolicyOut, summary="One version")
def get_version(request: HttpRequest, version: int) -> PolicyVersion:
    _internal(request)
    return _version(version)


@router.post("/policy/validate", response=ValidationOut, summary="Check a draft policy")
def validate_policy(request: HttpRequest, payload: PolicyDraftIn) -> dict[str, Any]:
    _internal(request)
    policy, problems = _parse(payload.content)
    return {"valid": policy is not None, "problems": problems}


@router.post(
    "/policy/simulate",
    response={200: dict[str, Any], 422: ProblemsOut},
    summary="What a draft would change in the use cases you can see (writes nothing)",
)
def simulate_policy(request: HttpRequest, payload: PolicyDraftIn) -> Status[dict[str, Any]]:
    _internal(request)
    draft, problems = _parse(payload.content)
    if draft is None:
        return _unprocessable(problems)
    result = simulate(draft, use_cases=UseCase.objects.visible_to(request.user))
    return Status(200, result.to_json())


@router.post(
    "/policy/activate",
    response={200: ActivatedOut, 422: ProblemsOut},
    summary="Put a policy in force as the next version (administrators)",
)
def activate_policy(request: HttpRequest, payload: ActivateIn) -> Status[dict[str, Any]]:
    require_scope(request, "write")
    if not access_for(request.user).is_admin:
        raise PermissionDenied("only administrators may activate a policy")
    policy, problems = _parse(payload.content)
    if policy is None:
        return _unprocessable(problems)
    before = policies.active_policy().version
    row = policies.activate(actor=request.user, text=payload.content, note=payload.note)
    return Status(
        200,
        {
            "version": row.version,
            "sha256": row.sha256,
            "name": row.name,
            "changed": row.version != before,
        },
    )
