"""Governance timing: first assessment at intake, review cycles against SLA, overdue."""

import datetime as dt

from django.utils import timezone

from aiom.core.clock import moment
from aiom.governance.assessments import services as assessments
from aiom.governance.models import Decision, ReviewRequest
from aiom.insights import analytics
from aiom.insights.analytics import Scope, Share
from aiom.portfolio.models import UseCase
from tests.answers import LOW, MEDIUM
from tests.conftest import World
from tests.insights.analytics.conftest import ago, make, today


def review(
    world: World, uc: UseCase, requested: int, due: int, decided: int | None, status: str
) -> ReviewRequest:
    r = ReviewRequest.objects.create(
        use_case=uc,
        from_stage="risk_review",
        to_stage="pilot",
        tier="low",
        structure="federated",
        approvers=[{"role": "risk_reviewer", "count": 1}],
        status=status,
        policy_version=1,
        requested_at=moment(ago(requested)),
        due_on=ago(due),
        closed_at=timezone.now() if decided is not None else None,
    )
    if decided is not None:
        Decision.objects.create(
            review=r,
            reviewer=world.rita,
            reviewer_name="Rita",
            role="risk_reviewer",
            outcome="approve",
            rationale="Fine by the policy and proportionate.",
            snapshot={},
            policy_version=1,
            decided_at=moment(ago(decided)),
        )
    return r


def test_governance_timing(world: World) -> None:
    assessments.assess(actor=None, use_case=world.alice_uc, answers=LOW, today=ago(100))
    late = make(world, "Assessed late", stage="feasibility", entered=30)
    assessments.assess(actor=None, use_case=late, answers=MEDIUM, today=ago(20))
    assessments.assess(actor=None, use_case=late, answers=LOW, today=ago(5))
    review(world, late, requested=20, due=10, decided=15, status="used")  # 5 days, in SLA
    review(world, late, requested=40, due=30, decided=20, status="rejected")  # 20 days, late
    review(world, late, requested=9, due=2, decided=None, status="open")  # overdue
    review(world, late, requested=3, due=-5, decided=None, status="open")  # open, not due
    g = analytics.governance_timing(Scope(), today=today())
    assert g.assessed == 2
    assert g.at_intake == Share(1, 2)  # the late one's FIRST assessment was in feasibility
    assert g.review_median_days == 12.5
    assert g.reviews_within_sla == Share(1, 2)
    assert g.reviews_open_overdue == 1


def test_the_first_assessment_stage_is_kept_on_the_use_case(world: World) -> None:
    uc = make(world, "Moved on before its first assessment", stage="intake", entered=30)
    assessments.assess(actor=None, use_case=uc, answers=MEDIUM, today=ago(20))
    UseCase.objects.filter(pk=uc.pk).update(stage="feasibility")  # moved on since
    uc.refresh_from_db()
    assessments.assess(actor=None, use_case=uc, answers=LOW, today=ago(5))
    assert UseCase.objects.get(pk=uc.pk).first_assessed_in == "intake"  # still the first
    backdated = make(world, "Assessed later, backdated earlier", stage="feasibility", entered=9)
    assessments.assess(actor=None, use_case=backdated, answers=LOW, today=ago(2))
    UseCase.objects.filter(pk=backdated.pk).update(stage="risk_review")
    backdated.refresh_from_db()
    assessments.assess(actor=None, use_case=backdated, answers=LOW, today=ago(8))
    assert UseCase.objects.get(pk=backdated.pk).first_assessed_in == "risk_review"


def test_governance_with_nothing_assessed_is_not_measured(world: World) -> None:
    g = analytics.governance_timing(Scope(), today=today())
    assert g.assessed == 0 and g.at_intake.share is None
    assert g.review_median_days is None and g.reviews_within_sla.share is None


def test_due_dates_are_dates(world: World) -> None:
    r = review(world, world.alice_uc, requested=2, due=1, decided=1, status="approved")
    assert isinstance(r.due_on, dt.date)
