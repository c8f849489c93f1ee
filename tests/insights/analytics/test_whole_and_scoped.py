"""The whole organisation and a scope covering all of it give the same answers, though
they are computed differently (counts from indexes vs a pass over the scope's rows)."""

from typing import Any

from aiom.insights import analytics
from aiom.insights.analytics import Scope, facts
from aiom.lifecycle.models import StageChange
from tests.conftest import World
from tests.insights.analytics.conftest import ago, make, today


def history(uc: Any, *steps: tuple[str, str, int]) -> None:
    """Stage changes (from, to, days ago), written with the ORM: signals mark the facts."""
    for from_stage, to_stage, days in steps:
        StageChange.objects.create(
            use_case=uc, from_stage=from_stage, to_stage=to_stage, on=ago(days), actor_name="t"
        )


def test_the_two_ways_agree(world: World) -> None:
    kept = make(world, "Kept running", stage="operational", entered=200)
    history(kept, ("", "intake", 400), ("pilot", "operational", 200))
    left = make(world, "Retired since", stage="retired", entered=100, owner=None)
    history(
        left, ("", "intake", 380), ("pilot", "operational", 250), ("operational", "retired", 100)
    )
    gone = make(world, "Rejected early", stage="rejected", entered=150)
    history(gone, ("", "intake", 300), ("intake", "rejected", 150))
    make(world, "Stuck in scaling", stage="scaling", entered=300, owner=None)
    everything = facts.of(Scope())
    covering = facts.of(Scope(org_unit=world.group.pk))
    assert facts.whole(everything) and not facts.whole(covering)
    assert facts.whole(everything.filter(stage="pilot"))  # a figure's filter keeps it
    whole = analytics.diagnostics(Scope(), today=today())
    scoped = analytics.diagnostics(Scope(org_unit=world.group.pk), today=today())
    assert whole == scoped
    operational = {d.key: d for d in whole}["embedded"].trend
    assert any(value not in (None, 0) for _, value in operational)  # a real trend compared
    assert analytics.dwell(Scope(), today=today()) == analytics.dwell(
        Scope(org_unit=world.group.pk), today=today()
    )
