"""/training-records (list, record, CSV import) and /literacy/coverage (full paths).

Records are listed as `TrainingRecord.objects.visible_to` allows; coverage is aggregate
and open to every internal user, never to external partners.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from aiom.core.api_support import require_scope
from aiom.core.errors import PermissionDenied
from aiom.literacy import services
from aiom.literacy.coverage import coverage
from aiom.literacy.imports import import_training_csv
from aiom.literacy.models import TrainingRecord
from aiom.organisation.access import access_for
from aiom.organisation.models import OrgUnit

router = Router(tags=["literacy"])


class RecordIn(Schema):
    person: int
    course: str
    provider: str = ""
    level: str
    completed_on: dt.date
    expires_on: dt.date | None = None


class RecordOut(Schema):
    id: int
    person: int
    person_name: str
    course: str
    provider: str
    level: str
    completed_on: dt.date
    expires_on: dt.date | None
    source: str
    recorded_at: dt.datetime

    @staticmethod
    def resolve_person(obj: TrainingRecord) -> int:
        return int(obj.person.pk)

    @staticmethod
    def resolve_person_name(obj: TrainingRecord) -> str:
        return str(obj.person.get_full_name() or obj.person.get_username())


class TrainingImportOut(Schema):
    created: int
    skipped: int
    people: int


class LiteracyRoleOut(Schema):
    role: str
    label: str
    level: str
    people: int
    trained: int
    share: float | None


class LiteracyCoverageOut(Schema):
    org_unit: int | None
    target: float
    meets_target: bool
    people: int
    trained: int
    people_share: float | None
    leaders: int
    trained_leaders: int
    leader_share: float | None
    reviewers: int
    trained_reviewers: int
    reviewer_share: float | None
    by_role: list[LiteracyRoleOut]


def _records(request: HttpRequest) -> Any:
    return TrainingRecord.objects.visible_to(request.user).select_related("person")


@router.get("/training-records", response=list[RecordOut], summary="List training records")
@paginate(LimitOffsetPagination)
def list_records(request: HttpRequest, person: int | None = None, level: str = "") -> Any:
    found = _records(request)
    if person is not None:
        found = found.filter(person_id=person)
    return found.filter(level=level) if level else found


@router.post("/training-records", response={201: RecordOut}, summary="Record a completed course")
def create_record(request: HttpRequest, payload: RecordIn) -> Status[Any]:
    require_scope(request, "write")
    person = get_object_or_404(User, pk=payload.person, is_active=True)
    values = payload.model_dump(exclude={"person"})
    record = services.record_training(actor=request.user, person=person, **values)
    return Status(201, _records(request).get(pk=record.pk))


@router.post(
    "/training-records/import",
    response=TrainingImportOut,
    summary="Import training records from an HR CSV export (all rows or none; admins)",
)
def import_records(request: HttpRequest, file: File[UploadedFile]) -> Any:
    require_scope(request, "write")
    return import_training_csv(actor=request.user, file=file)


@router.get("/literacy/coverage", response=LiteracyCoverageOut, summary="AI literacy coverage")
def get_coverage(request: HttpRequest, org_unit: int | None = None) -> dict[str, Any]:
    if not access_for(request.user).is_internal:
        raise PermissionDenied("literacy coverage is for internal users")
    unit = None
    if org_unit is not None:
        unit = OrgUnit.objects.filter(pk=org_unit).first()
        if unit is None:
            raise Http404(f"no org unit {org_unit}")
    cov = coverage(org_unit=unit, today=timezone.localdate())
    return {
        "org_unit": org_unit,
        "meets_target": cov.meets_target,
        "people_share": cov.people_share,
        "leader_share": cov.leader_share,
        "reviewer_share": cov.reviewer_share,
        "by_role": [r.__dict__ | {"share": r.share} for r in cov.by_role],
        **{k: getattr(cov, k) for k in ("target", "people", "trained", "leaders")},
        **{k: getattr(cov, k) for k in ("trained_leaders", "reviewers", "trained_reviewers")},
    }
