"""API shapes of incidents, corrective actions and monitoring plans."""

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Schema

from aiom.monitoring.models import CorrectiveAction, Incident, MonitoringPlan


def _person(user: Any) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "name": user.get_full_name() or user.get_username()}


class MonitoringPersonOut(Schema):
    id: int
    name: str


class ActionOut(Schema):
    id: int
    description: str
    owner: MonitoringPersonOut | None
    due_on: dt.date | None
    done_at: dt.datetime | None

    @staticmethod
    def resolve_owner(obj: CorrectiveAction) -> dict[str, Any] | None:
        return _person(obj.owner)


class IncidentOut(Schema):
    id: int
    use_case: int
    use_case_title: str
    model_name: str
    title: str
    description: str
    occurred_at: dt.datetime
    detected_at: dt.datetime
    severity: str
    harms: list[str]
    people_affected: int | None
    status: str
    lessons_learned: str
    reported_by: MonitoringPersonOut | None
    reported_at: dt.datetime
    closed_at: dt.datetime | None
    severity_confirmed: bool
    severity_confirmed_by: MonitoringPersonOut | None
    severity_confirmed_at: dt.datetime | None
    actions: list[ActionOut]

    @staticmethod
    def resolve_use_case(obj: Incident) -> int:
        return obj.use_case_id

    @staticmethod
    def resolve_use_case_title(obj: Incident) -> str:
        return obj.use_case.title

    @staticmethod
    def resolve_reported_by(obj: Incident) -> dict[str, Any] | None:
        return _person(obj.reported_by)

    @staticmethod
    def resolve_severity_confirmed_by(obj: Incident) -> dict[str, Any] | None:
        return _person(obj.severity_confirmed_by)

    @staticmethod
    def resolve_actions(obj: Incident) -> list[CorrectiveAction]:
        return list(obj.actions.all())


class IncidentIn(Schema):
    use_case: int
    title: str
    description: str = ""
    model_name: str = ""
    occurred_at: dt.datetime
    detected_at: dt.datetime | None = None
    severity: str
    harms: list[str] = []
    people_affected: int | None = None


class IncidentPatch(Schema):
    title: str | None = None
    description: str | None = None
    model_name: str | None = None
    occurred_at: dt.datetime | None = None
    detected_at: dt.datetime | None = None
    severity: str | None = None
    harms: list[str] | None = None
    people_affected: int | None = None
    lessons_learned: str | None = None


class IncidentStatusIn(Schema):
    status: str
    lessons_learned: str | None = None


class SeverityConfirmationIn(Schema):
    """Blank: confirm the severity as reported; else the severity confirmed instead."""

    severity: str = ""


class ActionIn(Schema):
    description: str
    owner: int | None = None
    due_on: dt.date | None = None


class ActionDoneIn(Schema):
    done: bool = True


class MonitoringCheckOut(Schema):
    id: int
    kind: str
    description: str
    kpi: int | None
    lower: Decimal | None
    upper: Decimal | None

    @staticmethod
    def resolve_kpi(obj: Any) -> int | None:
        return obj.kpi_id  # type: ignore[no-any-return]


class MonitoringReviewOut(Schema):
    id: int
    reviewed_on: dt.date
    reviewed_by: MonitoringPersonOut | None
    outcome: str
    note: str

    @staticmethod
    def resolve_reviewed_by(obj: Any) -> dict[str, Any] | None:
        return _person(obj.reviewed_by)


class MonitoringPlanOut(Schema):
    id: int
    use_case: int
    reviewer: MonitoringPersonOut | None
    review_every_days: int
    last_reviewed_on: dt.date | None
    next_review_due_on: dt.date
    overdue: bool
    notes: str
    checks: list[MonitoringCheckOut]
    reviews: list[MonitoringReviewOut]

    @staticmethod
    def resolve_use_case(obj: MonitoringPlan) -> int:
        return obj.use_case_id

    @staticmethod
    def resolve_reviewer(obj: MonitoringPlan) -> dict[str, Any] | None:
        return _person(obj.reviewer)

    @staticmethod
    def resolve_checks(obj: MonitoringPlan) -> list[Any]:
        return list(obj.checks.all())

    @staticmethod
    def resolve_reviews(obj: MonitoringPlan) -> list[Any]:
        return list(obj.reviews.all())


class MonitoringPlanIn(Schema):
    reviewer: int | None = None
    review_every_days: int | None = None
    notes: str = ""


class CheckIn(Schema):
    kind: str
    description: str
    kpi: int | None = None
    lower: Decimal | None = None
    upper: Decimal | None = None


class ReviewIn(Schema):
    outcome: str
    note: str = ""
    reviewed_on: dt.date | None = None
