"""Use cases ready for the lifecycle: assessed with known answers, with pilot plans."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from aiom.governance import assessments
from aiom.lifecycle import services as lifecycle
from aiom.organisation import services as org
from aiom.organisation.models import Role
from aiom.portfolio import services as portfolio
from aiom.portfolio.models import UseCase
from tests.answers import MEDIUM
from tests.conftest import World, make_person

CRITERIA = [
    {
        "metric": "Average handling time",
        "baseline": 9.5,
        "target": 7.0,
        "unit": "min",
        "direction": "lower",
    }
]


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
    return UseCase.objects.get(pk=uc.pk)


def set_unit_lead(world: World, user: Any) -> None:
    org.update_org_unit(actor=None, unit=world.retail, lead=user)
