"""How figures count what their definition leaves open, and one read model per question:
stalled pilots (policy), stages entered without a recorded entry, KPIs for gate and panel."""

import datetime as dt
from typing import Any

import pytest
import yaml

from aiom.governance.policy.schema import PolicyError
from aiom.governance.policy.versions import DEFAULT_POLICY_PATH, activate
from aiom.insights import analytics
from aiom.insights.analytics import Scope
from aiom.insights.analytics import facts as facts_module
from aiom.insights.analytics.stage_reach import stage_reach
from aiom.insights.dashboard.content import headlines
from aiom.lifecycle.exit_criteria import ExitCriterion
from aiom.lifecycle.models import PilotPlan, StageChange
from aiom.lifecycle.success_measures import success_measures
from aiom.portfolio.models import UseCase
from tests.conftest import World
from tests.insights.analytics.conftest import ago, make, today

ALL = Scope()


def plan(uc: UseCase, ends: dt.date, decision: str = "", criteria: Any = None) -> None:
    PilotPlan.objects.create(
        use_case=uc,
        exit_criteria=criteria if criteria is not None else [{"metric": "m", "target": 1}],
        starts_on=uc.stage_entered_on,
        ends_on=ends,
        original_ends_on=ends,
        decision=decision,
        decided_on=today() if decision else None,
        policy_version=1,
    )


def pilots(world: World) -> None:
    """One scaled, one stopped (by decision), one stalled, one running."""
    for title, ends, decision in [
        ("Scaled", ago(120), "scale"),
        ("Stopped", ago(120), "stop"),
        ("Stalled", ago(10), ""),
        ("Running", today() + dt.timedelta(days=30), ""),
    ]:
        plan(make(world, title, stage="pilot", entered=100), ends, decision)


def policy_with(**analytics_rules: str) -> str:
    data = yaml.safe_load(DEFAULT_POLICY_PATH.read_text())
    data["analytics"] = analytics_rules
    return yaml.safe_dump(data, sort_keys=False)


def test_stalled_pilots_count_as_not_scaled_by_default_and_the_sentence_says_so(
    world: World,
) -> None:
    pilots(world)
    p = analytics.pilot_outcomes(ALL, today=today())
    f = p.figure
    assert (p.decided, p.scaled, p.stalled, p.stalled_counted) == (3, 1, 1, "not_scaled")
    assert (f.text, f.numerator, f.denominator) == ("33%", 1, 3)
    assert "1 stalled pilot (past the end date, no decision) counted as not scaled" in f.sentence
    assert f.counted in f.note and f.counted in f.sentence


def test_the_policy_may_leave_stalled_pilots_out_of_the_rate_and_it_says_so(
    world: World,
) -> None:
    pilots(world)
    activate(actor=None, text=policy_with(stalled_pilots="excluded"))
    p = analytics.pilot_outcomes(ALL, today=today())
    assert (p.decided, p.stalled_counted, p.figure.text) == (2, "excluded", "50%")
    assert "left out of the rate" in p.figure.sentence
    diag = {d.key: d for d in analytics.diagnostics(ALL, today=today())}["pilot_to_scale"]
    assert diag.figure == p.figure  # the diagnostic and the API's pilots are one figure


def test_a_stalled_pilots_rule_outside_the_two_is_refused_naming_the_path(db: Any) -> None:
    with pytest.raises(PolicyError) as refused:
        activate(actor=None, text=policy_with(stalled_pilots="ignored"))
    assert "analytics.stalled_pilots" in str(refused.value)


def test_the_dashboard_headlines_are_the_diagnostics_figures(world: World) -> None:
    pilots(world)
    make(world, "Orphan", owner=None)
    diag = {d.key: d.figure for d in analytics.diagnostics(ALL, today=today())}
    figures, _, _ = headlines(ALL, None, today())
    shown = {h.figure.key: h.figure for h in figures}
    for key in ("ownership", "pilot_to_scale", "time_to_value"):
        assert shown[key] == diag[key], key
    assert shown["embedded"].text == diag["embedded"].text


def test_ever_entered_is_never_below_there_now(world: World, login: Any) -> None:
    """A use case in a stage without a dated entry (an import that did not give the day)
    or without any recorded entry still entered it; both are counted, and said."""
    undated = make(world, "Imported live", stage="operational", entered=30)
    StageChange.objects.filter(use_case=undated).update(on=None)
    bare = make(world, "No entry row", stage="operational", entered=30)
    StageChange.objects.filter(use_case=bare, to_stage="operational").delete()
    facts_module.touch([undated.pk, bare.pk])
    (row,) = stage_reach(ALL, ["operational"])
    assert (row.entered, row.now, row.unrecorded) == (2, 2, 1)
    assert "1 use case there now without a recorded entry" in row.sentence
    api = login("ada").get("/api/v1/analytics/stage-reach").json()
    assert {r["key"]: (r["entered"], r["now"], r["unrecorded"]) for r in api}["operational"] == (
        2,
        2,
        1,
    )


@pytest.mark.parametrize(
    ("kpis", "criteria", "source", "passes", "sentence"),
    [
        ((), (), "none", False, "No KPIs: define what will be measured"),
        (
            (),
            (ExitCriterion("AHT", 7.0, 9.5), ExitCriterion("NPS", 40.0, 30.0)),
            "exit_criteria",
            True,
            "2 pilot exit criteria with a baseline and a target (no KPI recorded yet",
        ),
        (
            (ExitCriterion("AHT", 7.0, 9.5),),
            (ExitCriterion("NPS", 40.0, 30.0), ExitCriterion("X", 1.0, 0.0)),
            "kpis",
            True,
            "1 KPI with a baseline and a target.",
        ),
        ((ExitCriterion("AHT", 7.0),), (), "kpis", False, "KPIs without a baseline or target: AHT"),
    ],
)
def test_one_read_model_of_what_success_is_measured_by(
    kpis: tuple[ExitCriterion, ...],
    criteria: tuple[ExitCriterion, ...],
    source: str,
    passes: bool,
    sentence: str,
) -> None:
    found = success_measures(kpis, criteria)
    assert found.source == source
    assert (source != "none" and not found.missing) is passes
    assert found.sentence.startswith(sentence)


def test_the_gate_and_the_value_panel_say_the_same_about_kpis(world: World, login: Any) -> None:
    """The issue's case: a pilot plan with two exit criteria and no KPI yet."""
    uc = make(world, "Pilot without KPIs", stage="pilot", entered=20)
    criteria = [
        {"metric": "AHT", "baseline": 9.5, "target": 7.0, "unit": "min", "direction": "lower"},
        {"metric": "NPS", "baseline": 30, "target": 40, "unit": "", "direction": "higher"},
    ]
    plan(uc, today() + dt.timedelta(days=30), criteria=criteria)
    page = login("alice").get(f"/use-cases/{uc.pk}/").content.decode()
    said = "2 pilot exit criteria with a baseline and a target (no KPI recorded yet"
    assert page.count(said) >= 2  # the gate's check and the value panel
    assert "No KPIs yet" not in page
