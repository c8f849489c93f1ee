"""The demo seed: plans for live use cases, mostly ready; pilots' plans with gaps."""

import random

from aiom.change import demo
from aiom.change.models import ChangePlan
from aiom.change.overview import overviews
from aiom.portfolio import services as portfolio
from aiom.portfolio.models import UseCase
from tests.change.conftest import today
from tests.conftest import World


def test_seed_makes_plans_for_live_use_cases(world: World) -> None:
    made = {
        stage: portfolio.create_use_case(
            actor=None, title=f"In {stage}", org_unit=world.retail, owner=world.alice, stage=stage
        )
        for stage in ("pilot", "scaling", "operational")
    }
    assert demo.seed(today=today(), rng=random.Random(7)) >= 2
    plans = {p.use_case.stage: p for p in ChangePlan.objects.select_related("use_case")}
    assert {"scaling", "operational"} <= set(plans)
    assert not ChangePlan.objects.filter(use_case=world.alice_uc).exists()  # intake
    found = overviews(UseCase.objects.filter(pk__in=[uc.pk for uc in made.values()]))
    for stage in ("scaling", "operational"):
        assert found[made[stage].pk].ready, found[made[stage].pk].reasons
        assert plans[stage].groups.count() >= 2
    assert plans["operational"].status == "done"
