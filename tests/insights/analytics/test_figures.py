"""Each figure on a small portfolio computed by hand, with its edge cases."""

import datetime as dt
from decimal import Decimal

from aiom.insights import analytics
from aiom.insights.analytics import Scope, Share
from aiom.lifecycle import services as lifecycle
from aiom.lifecycle.models import PilotPlan
from aiom.portfolio.models import UseCase
from aiom.value.models import KPI, Adoption
from tests.conftest import World
from tests.insights.analytics.conftest import ago, make, realise, today

ALL = Scope()


def plan(uc: UseCase, ends: dt.date, decision: str = "") -> None:
    PilotPlan.objects.create(
        use_case=uc,
        exit_criteria=[{"metric": "m", "target": 1}],
        starts_on=uc.stage_entered_on,
        ends_on=ends,
        original_ends_on=ends,
        decision=decision,
        decided_on=today() if decision else None,
        policy_version=1,
    )


def test_funnel_counts_now_and_entries_in_the_period(world: World) -> None:
    make(world, "Old", stage="feasibility", entered=200)
    make(world, "Recent", stage="feasibility", entered=10)
    f = analytics.funnel(ALL, since=ago(30), until=today())
    assert f.per_stage["intake"] == 3
    assert f.per_stage["feasibility"] == 2
    assert list(f.per_stage)[:3] == ["intake", "feasibility", "risk_review"]
    assert f.entered["feasibility"] == 1  # the old entry is outside [since, until]
    assert f.entered["intake"] == 3
    assert f.proposed == 4


def test_pilot_outcomes(world: World) -> None:
    stalled = make(world, "Stalled", stage="pilot", entered=100)
    plan(stalled, ago(10))
    running = make(world, "Running", stage="pilot", entered=30)
    plan(running, today() + dt.timedelta(days=30))
    stopped = make(world, "Stopped", stage="pilot", entered=200)
    lifecycle.transition(
        actor=None, use_case=stopped, to_stage="stopped", reason="No uplift at all.", today=ago(50)
    )
    scaled = make(world, "Scaled", stage="pilot", entered=200)
    plan(scaled, ago(120), decision="scale")
    p = analytics.pilot_outcomes(ALL, today=today())
    # the policy's default counts the stalled pilot as decided, not scaled
    assert (p.started, p.decided, p.scaled, p.stopped, p.stalled, p.running) == (4, 3, 1, 1, 1, 1)
    assert p.scale_rate == 1 / 3
    assert p.stopped_share == p.stalled_share == 0.25
    assert sum(c.started for c in p.cohorts) == 4
    assert [c.quarter for c in p.cohorts] == sorted(c.quarter for c in p.cohorts)


def test_no_pilot_decided_yet_is_none_not_zero(world: World) -> None:
    running = make(world, "Running", stage="pilot", entered=5)
    plan(running, today() + dt.timedelta(days=30))
    p = analytics.pilot_outcomes(ALL, today=today())
    assert p.decided == 0
    assert p.scale_rate is None
    assert p.running == 1
    empty = analytics.pilot_outcomes(Scope(org_unit=world.cards.pk), today=today())
    assert empty.started == 0 and empty.stopped_share is None


def test_time_to_value(world: World) -> None:
    for days in (30, 100, 200, 500):
        uc = make(world, f"{days} days", stage="operational", entered=1, proposed_on=ago(600))
        realise(uc, ago(600) + dt.timedelta(days=days))
    t = analytics.time_to_value(ALL)
    assert t.realised == 4
    assert t.median_days == 150
    assert t.p75_days == 275  # 200 + (500 - 200) * 0.25
    assert [n for _, n in t.buckets] == [1, 1, 1, 1]
    assert t.not_yet == 3  # the world's three intake use cases


def test_time_to_value_without_any_value_is_not_measured(world: World) -> None:
    t = analytics.time_to_value(ALL)
    assert (t.realised, t.median_days, t.p75_days) == (0, None, None)


def test_dwell_against_sla(world: World) -> None:
    make(world, "Slow intake", entered=20)  # intake SLA 14
    late = make(world, "Slow feasibility", stage="feasibility", entered=50)  # SLA 45
    make(world, "Fresh feasibility", stage="feasibility", entered=10)
    make(world, "Gone", stage="rejected", entered=400)
    d = analytics.dwell(ALL, today=today())
    by = {s.stage: s for s in d.stages}
    assert "rejected" not in by
    assert (by["intake"].count, by["intake"].median_days, by["intake"].over) == (4, 0, 1)
    assert (by["feasibility"].count, by["feasibility"].median_days) == (2, 30)
    assert by["feasibility"].sla_days == 45 and by["feasibility"].over == 1
    assert by["pilot"].median_days is None
    assert [r.title for r in d.over] == ["Slow feasibility", "Slow intake"]
    assert d.over[0].id == late.pk and d.over[0].days == 50 and d.over[0].sla_days == 45
    assert d.over_total == 2


def kpi(uc: UseCase, name: str, measured: dt.date | None, **kw: object) -> KPI:
    fields: dict[str, object] = {"baseline": Decimal(10), "target": Decimal(5), "cadence_days": 30}
    fields.update(kw)
    return KPI.objects.create(use_case=uc, name=name, last_measured_on=measured, **fields)


def test_coverage(world: World) -> None:
    make(world, "Orphan", owner=None, sponsor=world.ada)
    kpi(world.alice_uc, "fresh", ago(10))
    kpi(world.alice_secret, "stale", ago(40))  # outside its 30-day cadence
    kpi(world.wealth_secret, "no baseline", ago(1), baseline=None)
    c = analytics.coverage(ALL, today=today())
    assert c.total == 4
    assert c.owner == Share(3, 4)
    assert c.sponsor == Share(1, 4)
    assert c.kpis_measured == Share(1, 4)
    assert c.data_ready is None


def test_coverage_without_measurements_and_for_an_empty_unit(world: World) -> None:
    assert analytics.coverage(ALL, today=today()).kpis_measured == Share(0, 3)
    empty = analytics.coverage(Scope(org_unit=world.cards.pk), today=today())
    assert empty.total == 0 and empty.owner.share is None


def test_embedding_and_vendors(world: World) -> None:
    op = make(world, "Live", stage="operational", entered=5, sourcing="buy", vendor="Acme")
    make(world, "Partnered", sourcing="partner", vendor=" acme ")
    make(world, "Other", sourcing="buy", vendor="Globex")
    make(world, "No", stage="rejected", entered=3, sourcing="buy")
    month = today().replace(day=1)
    Adoption.objects.create(
        use_case=op, period_start=month, period_end=month, active_users=40, usage=900
    )
    Adoption.objects.create(
        use_case=world.alice_uc, period_start=month, period_end=month, active_users=2, usage=10
    )
    old = dt.date(month.year - 2, month.month, 1)
    Adoption.objects.create(use_case=op, period_start=old, period_end=old, active_users=9, usage=9)
    e = analytics.embedding(ALL, today=today())
    assert e.operational == Share(1, 6)  # the rejected one is left out
    assert e.adoption == [(f"{month:%Y-%m}", 42, 910)]
    v = analytics.vendor_dependence(ALL)
    assert v.bought == Share(3, 7) and v.partnered == Share(1, 7) and v.built == Share(3, 7)
    assert [(n.lower(), c) for n, c, _ in v.top] == [("acme", 2), ("globex", 1)]
    assert v.dependent == 3 and v.top[0][2] == 2 / 3  # 2 of the 3 that depend on a vendor
    assert v.hhi is not None and abs(v.hhi - ((2 / 3) ** 2 + (1 / 3) ** 2)) < 1e-9


def test_vendors_without_any_vendor(world: World) -> None:
    v = analytics.vendor_dependence(ALL)
    assert v.top == [] and v.hhi is None and v.bought == Share(0, 3)
