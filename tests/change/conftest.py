"""A complete change plan for Alice's use case, made through the services."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from aiom.change import services
from aiom.change.models import ChangePlan
from aiom.portfolio.models import UseCase
from tests.conftest import World
from tests.lifecycle.conftest import ready, reviewers

__all__ = ["ready", "reviewers"]


def today() -> dt.date:
    return timezone.localdate()


def complete_plan(world: World, uc: UseCase, actor: Any = None) -> ChangePlan:
    """Champion Bob; 'Underwriters' (40 people, target 30) with one training."""
    plan = services.create_plan(
        actor=actor or world.alice,
        use_case=uc,
        summary="Underwriters start from a summary instead of the raw documents.",
        champion=world.bob,
        go_live_on=today() + dt.timedelta(days=60),
    )
    group = services.add_group(
        actor=actor or world.alice,
        plan=plan,
        name="Underwriters",
        size=40,
        org_unit=world.retail,
        what_changes="They read the summary first and open documents only to check.",
        impact="high",
        target_users=30,
        target_on=today() + dt.timedelta(days=90),
    )
    services.add_intervention(
        actor=actor or world.alice,
        group=group,
        kind="training",
        description="Two-hour session with real files.",
        owner=world.bob,
        due_on=today() + dt.timedelta(days=30),
    )
    return ChangePlan.objects.get(pk=plan.pk)


@pytest.fixture
def plan(world: World) -> ChangePlan:
    return complete_plan(world, world.alice_uc)
