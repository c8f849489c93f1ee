"""Gate checks are pure functions: a table of facts in, pass or fail with a reason out."""

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest

from aiom.catalogue.checks import DataProductFacts
from aiom.change.rules import GroupFacts, PlanFacts
from aiom.governance.policy.versions import DEFAULT_POLICY_PATH, load_file
from aiom.lifecycle.checks import (
    AssessmentFacts,
    GateFacts,
    PilotFacts,
)
from aiom.lifecycle.exit_criteria import ExitCriterion, Measured, metric_key
from aiom.lifecycle.gate_registry import gate_checks
from aiom.obligations.derive import CaseFacts, ObligationFacts

TODAY = dt.date(2026, 11, 27)
POLICY = load_file(DEFAULT_POLICY_PATH)[1]
KPI = ExitCriterion(metric="Handling time", target=7.0, baseline=9.5)
CHANGE_PLAN = PlanFacts(7, (GroupFacts("Tellers", 50, "Answer from the draft.", 1, 40, TODAY),))
# A low-tier predictive use case owes incident reporting and operator training from pilot.
LOW_CASE = CaseFacts(tier="low", ai_type="predictive", stage="risk_review")
OBLIGATIONS_OPEN = ObligationFacts(LOW_CASE)
OBLIGATIONS_MET = ObligationFacts(
    LOW_CASE, {"incident_reporting": ("met", ""), "operator_literacy": ("met", "")}
)


MEASURED_ON = dt.date(2026, 11, 20)
AHT = ExitCriterion("Handling time", 7.0, 9.5, "min", "lower")
RESOLVED = ExitCriterion("Resolved first time", 90.0, 70.0, "%", "higher")


def measured(criterion: ExitCriterion, value: float | None) -> dict[str, Any]:
    """Gate facts of a pilot with one criterion whose KPI last read `value` (None: never)."""
    latest = {} if value is None else {metric_key(criterion.metric): Measured(value, MEASURED_ON)}
    return {"pilot": pilot(criteria=(criterion,)), "extra": {"exit_measurements": latest}}


def assessed(tier: str = "medium", days_ago: int = 10, **kw: Any) -> AssessmentFacts:
    return AssessmentFacts(
        tier=tier,
        prohibited=kw.get("prohibited", False),
        stale=kw.get("stale", False),
        stale_reason=kw.get("reason", ""),
        assessed_on=TODAY - dt.timedelta(days=days_ago),
    )


def pilot(days: int | None = 60, criteria: tuple[ExitCriterion, ...] = (KPI,)) -> PilotFacts:
    ends = None if days is None else TODAY + dt.timedelta(days=days)
    return PilotFacts(starts_on=None, ends_on=ends, criteria=criteria)


def facts(**kw: Any) -> GateFacts:
    return GateFacts(stage=kw.pop("stage", "intake"), today=TODAY, **kw)


CASES: list[tuple[str, dict[str, Any], dict[str, Any], bool, str]] = [
    ("owner_assigned", {"owner_id": 1}, {}, True, "owner is named"),
    ("owner_assigned", {}, {}, False, "No accountable business owner"),
    ("sponsor_assigned", {"sponsor_id": 2}, {}, True, "sponsor is named"),
    ("sponsor_assigned", {}, {}, False, "No executive sponsor"),
    ("problem_described", {"problem": "x" * 20}, {"min_chars": 20}, True, "is described"),
    ("problem_described", {"problem": "x" * 19}, {"min_chars": 20}, False, "at least 20"),
    ("problem_described", {"problem": " " * 40}, {}, False, "at least 20"),
    ("value_hypothesis_present", {"value_hypothesis": "Faster"}, {}, True, "written down"),
    ("value_hypothesis_present", {"value_hypothesis": "  "}, {}, False, "No value hypothesis"),
    ("expected_benefit_present", {"expected_benefit": 0.0}, {}, True, "is estimated"),
    ("expected_benefit_present", {}, {}, False, "No expected annual benefit"),
    ("risk_assessed", {"assessment": assessed()}, {}, True, "medium tier"),
    ("risk_assessed", {}, {}, False, "No risk assessment"),
    ("risk_assessment_current", {"assessment": assessed("medium", 180)}, {}, True, "current"),
    (
        "risk_assessment_current",
        {"assessment": assessed("medium", 181)},
        {},
        False,
        "older than the 180-day review cadence",
    ),
    ("risk_assessment_current", {"assessment": assessed("high", 91)}, {}, False, "90-day"),
    ("risk_assessment_current", {"assessment": assessed("low", 365)}, {}, True, "current"),
    (
        "risk_assessment_current",
        {"assessment": assessed(stale=True, reason="it became customer-facing")},
        {},
        False,
        "stale (it became customer-facing)",
    ),
    ("not_prohibited", {"assessment": assessed(prohibited=True)}, {}, False, "prohibited"),
    ("not_prohibited", {}, {}, True, "No prohibited practice"),
    ("pilot_plan_ready", {"pilot": pilot()}, {}, True, "1 exit criteria"),
    ("pilot_plan_ready", {}, {}, False, "No pilot plan"),
    ("pilot_plan_ready", {"pilot": pilot(None)}, {}, False, "no end date"),
    ("pilot_plan_ready", {"pilot": pilot(120)}, {}, True, "ends"),
    ("pilot_plan_ready", {"pilot": pilot(121)}, {}, False, "at most 120"),
    ("pilot_plan_ready", {"pilot": pilot(0)}, {}, False, "must come after its start"),
    (
        "pilot_plan_ready",
        {"pilot": pilot(criteria=(ExitCriterion("NPS", None),))},
        {},
        False,
        "measurable exit criterion",
    ),
    ("pilot_plan_ready", {"pilot": pilot()}, {"min_criteria": 2}, False, "at least 2"),
    ("kpis_with_baseline_and_target", {"pilot": pilot()}, {}, True, "1 pilot exit criterion with"),
    ("kpis_with_baseline_and_target", {"kpis": (KPI, KPI)}, {}, True, "2 KPIs with"),
    (
        "kpis_with_baseline_and_target",
        {"kpis": (ExitCriterion("Adoption", 100.0),)},
        {},
        False,
        "without a baseline",
    ),
    ("kpis_with_baseline_and_target", {}, {}, False, "No KPIs"),
    ("production_environment", {"environment": "production"}, {}, True, "Runs in production"),
    ("production_environment", {"environment": "sandbox"}, {}, False, "still runs in the sandbox"),
    ("data_ready", {"extra": {"data_products": ()}}, {}, False, "No data product is linked"),
    (
        "data_ready",
        {
            "extra": {
                "data_products": (DataProductFacts(1, "Applications", 7, "internal", 85, TODAY),)
            }
        },
        {},
        True,
        "all ready",
    ),
    (
        "data_ready",
        {
            "extra": {
                "data_products": (DataProductFacts(1, "Applications", None, "internal", 85, TODAY),)
            }
        },
        {},
        False,
        "",
    ),
    (
        "data_ready",
        {
            "extra": {
                "data_products": (DataProductFacts(1, "Applications", 7, "internal", 60, TODAY),)
            }
        },
        {},
        False,
        "",
    ),
    ("data_ready", {}, {}, False, "were not loaded"),
    (
        "obligations_met",
        {"stage": "risk_review", "extra": {"obligations": OBLIGATIONS_OPEN}},
        {},
        False,
        "Operators are trained",
    ),
    (
        "obligations_met",
        {"stage": "risk_review", "extra": {"obligations": OBLIGATIONS_MET}},
        {},
        True,
        "none open",
    ),
    ("obligations_met", {}, {}, False, "were not loaded"),
    # exit criteria: the latest measurement against the target, in the criterion's direction
    ("exit_criteria_met", measured(AHT, 6.9), {}, True, "All 1 exit criteria met"),
    ("exit_criteria_met", measured(AHT, 7.0), {}, True, "7 min on 20 Nov 2026, target ≤ 7 min"),
    ("exit_criteria_met", measured(AHT, 7.01), {}, False, "7.01 min on 20 Nov 2026"),
    ("exit_criteria_met", measured(AHT, 9.9), {}, False, "target ≤ 7 min — unmet"),
    ("exit_criteria_met", measured(RESOLVED, 84), {}, False, "84 % on 20 Nov 2026"),
    ("exit_criteria_met", measured(RESOLVED, 90), {}, True, "target ≥ 90 % — met"),
    ("exit_criteria_met", measured(RESOLVED, 95.5), {}, True, "95.5 %"),
    ("exit_criteria_met", measured(RESOLVED, None), {}, False, "no measurement yet"),
    ("exit_criteria_met", measured(RESOLVED, None), {}, False, "unknown, counts as unmet"),
    ("exit_criteria_met", {"pilot": pilot(criteria=())}, {}, False, "No pilot exit criteria"),
    ("exit_criteria_met", {}, {}, False, "No pilot exit criteria"),
    (
        "exit_criteria_met",
        {
            "pilot": pilot(criteria=(AHT, RESOLVED)),
            "extra": {"exit_measurements": {"handling time": Measured(6.0, MEASURED_ON)}},
        },
        {},
        False,
        "1 of 2 exit criteria not met",
    ),
    (  # the KPI is found by name whatever its case and spacing
        "exit_criteria_met",
        {
            "pilot": pilot(criteria=(replace(AHT, metric="  Handling   TIME "),)),
            "extra": {"exit_measurements": {"handling time": Measured(6.0, MEASURED_ON)}},
        },
        {},
        True,
        "met",
    ),
    ("change_plan_ready", {"extra": {"change_plan": CHANGE_PLAN}}, {}, True, "Change plan ready"),
    ("change_plan_ready", {"extra": {"change_plan": None}}, {}, False, "No change plan"),
    ("change_plan_ready", {}, {}, False, "No change plan"),
    (
        "change_plan_ready",
        {"extra": {"change_plan": CHANGE_PLAN}},
        {"min_groups": 2},
        False,
        "at least 2",
    ),
]


@pytest.mark.parametrize(("check", "given", "params", "passes", "says"), CASES)
def test_gate_check_table(
    check: str, given: dict[str, Any], params: dict[str, Any], passes: bool, says: str
) -> None:
    verdict = gate_checks()[check](facts(**given), POLICY, params)
    passed, text = verdict[0], " ".join([verdict[1], *(verdict[2] if len(verdict) == 3 else ())])
    assert passed is passes
    assert says in text


def test_every_registered_check_is_in_the_table() -> None:
    assert {c for c, *_ in CASES} == set(gate_checks())
