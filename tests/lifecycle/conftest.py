"""Use cases ready for the lifecycle: assessed with known answers, with pilot plans."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from aiom.governance.assessments import services as assessments
from aiom.governance.models import ReviewRequest, ReviewStatus
from aiom.governance.policy.versions import active_policy
from aiom.governance.reviews import services as reviews
from aiom.lifecycle import services as lifecycle
from aiom.obligations import services as obligations
from aiom.obligations.derive import derive, is_due
from aiom.obligations.facts import active_pack, case_facts
from aiom.organisation import services as org
from aiom.organisation.models import Role
from aiom.portfolio import services as portfolio
from aiom.portfolio.models import UseCase
from aiom.value import services as value_services
from aiom.value.models import KPI
from tests.answers import MEDIUM
from tests.conftest import World, make_person

CRITERIA: list[dict[str, Any]] = [
    {
        "metric": "Average handling time",
        "baseline": 9.5,
        "target": 7.0,
        "unit": "min",
        "direction": "lower",
    }
]

APPROVAL = "Risks are understood and the mitigations are proportionate."


def today() -> dt.date:
    return timezone.localdate()


def advance(uc: UseCase, actor: Any, *stages: str) -> UseCase:
    for stage in stages:
        lifecycle.transition(actor=actor, use_case=uc, to_stage=stage)
    return UseCase.objects.get(pk=uc.pk)


@pytest.fixture
def reviewers(world: World) -> dict[str, Any]:
    """Vera: AI expert (global); Rob: risk reviewer scoped to Retail; Cleo: compliance (global)."""
    return {
        "vera": make_person("vera", world.group, (Role.AI_EXPERT, None)),
        "rob": make_person("rob", world.retail, (Role.RISK_REVIEWER, world.retail)),
        "cleo": make_person("cleo", world.group, (Role.COMPLIANCE_REVIEWER, None)),
    }


@pytest.fixture
def ready(world: World) -> UseCase:
    """Alice's use case in feasibility... set up to reach risk review: sponsor, hypothesis."""
    uc = portfolio.update_use_case(
        actor=world.alice,
        use_case=world.alice_uc,
        sponsor=world.ada,
        problem="Underwriters spend hours reading applicant documents by hand.",
        value_hypothesis="Cut reading time by a third without more errors.",
    )
    assessments.assess(actor=world.alice, use_case=uc, answers=MEDIUM)
    meet_obligations(uc)  # what the gates into pilot, scaling and operational ask for
    return UseCase.objects.get(pk=uc.pk)


def meet_obligations(uc: UseCase, stage: str = "operational") -> int:
    """Mark met (as the system) every obligation the use case owes that is due by `stage`."""
    uc = UseCase.objects.get(pk=uc.pk)
    order = [s.key for s in active_policy().policy.stages if not s.terminal]
    due = [o for o in derive(active_pack(), case_facts(uc)) if is_due(o, stage, order)]
    for o in due:
        obligations.set_status(actor=None, use_case=uc, obligation=o.key, status="met")
    return len(due)


def measure(uc: UseCase, value: float, criterion: dict[str, Any] | None = None) -> None:
    """Record `value` for the exit criterion's KPI (defined from the criterion if missing)."""
    c = criterion or CRITERIA[0]
    kpi = KPI.objects.filter(use_case=uc, name=c["metric"]).first() or value_services.define_kpi(
        actor=None,
        use_case=uc,
        name=c["metric"],
        unit=c.get("unit", ""),
        direction=c.get("direction", "higher"),
        baseline=Decimal(str(c["baseline"])),
        target=Decimal(str(c["target"])),
    )
    value_services.record_measurement(
        actor=None, kpi=kpi, value=Decimal(str(value)), measured_on=today()
    )


def approve_fully(review: ReviewRequest, people: list[Any], rationale: str = APPROVAL) -> None:
    """Each person who may decide approves, until the review is approved (any tier's path)."""
    for person in people:
        review = ReviewRequest.objects.get(pk=review.pk)
        if review.status != ReviewStatus.OPEN:
            break
        if reviews.slot_for(person, review) is not None:
            reviews.decide(actor=person, review=review, outcome="approve", rationale=rationale)
    assert ReviewRequest.objects.get(pk=review.pk).status == ReviewStatus.APPROVED


@pytest.fixture
def in_pilot(world: World, ready: UseCase, reviewers: dict[str, Any]) -> UseCase:
    """Alice's medium-tier use case in a running pilot: handling time 9.5 → 7 min (lower)."""
    uc = advance(ready, world.alice, "feasibility", "risk_review")
    lifecycle.plan_pilot(
        actor=world.alice,
        use_case=uc,
        exit_criteria=CRITERIA,
        ends_on=today() + dt.timedelta(days=60),
    )
    review = reviews.request_review(actor=world.alice, use_case=uc, to_stage="pilot")
    approve_fully(review, list(reviewers.values()))
    return advance(uc, world.alice, "pilot")


def set_unit_lead(world: World, user: Any) -> None:
    org.update_org_unit(actor=None, unit=world.retail, lead=user)
