"""Small hand-computed portfolios for the analytics tests, built through services.

Value rows (KPI, Measurement, Adoption) and pilot plans/reviews in the past are written
with the ORM: their services either do not exist yet or refuse backdating.
"""

import datetime as dt
from typing import Any

from django.utils import timezone

from aiom.insights.analytics import facts
from aiom.portfolio import services as portfolio
from aiom.portfolio.models import UseCase
from tests.conftest import World


def today() -> dt.date:
    return timezone.localdate()


def ago(days: int) -> dt.date:
    return today() - dt.timedelta(days=days)


def make(
    world: World, title: str, *, stage: str = "intake", entered: int = 0, **fields: Any
) -> UseCase:
    """A use case created (as the system) at `stage`, entered `entered` days ago."""
    fields.setdefault("org_unit", world.retail)
    fields.setdefault("owner", world.alice)
    fields.setdefault("proposed_on", ago(max(entered, 0) + 10))
    return portfolio.create_use_case(
        actor=None,
        require_owner=False,
        title=title,
        stage=stage,
        stage_entered_on=ago(entered),
        **fields,
    )


def realise(uc: UseCase, on: dt.date) -> None:
    UseCase.objects.filter(pk=uc.pk).update(value_realised_on=on)
    facts.touch([uc.pk])  # written behind the services: say so
