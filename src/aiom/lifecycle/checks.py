"""Gate checks: pure functions, registered by name, that the policy's gates refer to.

Each takes the plain facts of one use case (no ORM), the active policy and the check's
parameters from the policy, and answers pass or fail with a reason a person can read.
Lifecycle's own are declared here and registered from its AppConfig.ready(); other apps
declare theirs beside the facts they know (`aiom.lifecycle.gate_registry`).
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiom.lifecycle import exit_criteria
from aiom.lifecycle.exit_criteria import ExitCriterion
from aiom.lifecycle.gate_registry import check, gate_checks
from aiom.lifecycle.success_measures import success_measures

if TYPE_CHECKING:
    from aiom.governance.policy.schema import Policy


@dataclass(frozen=True)
class AssessmentFacts:
    tier: str
    prohibited: bool
    stale: bool
    stale_reason: str
    assessed_on: dt.date
    policy_version: int | None = None


@dataclass(frozen=True)
class PilotFacts:
    starts_on: dt.date | None
    ends_on: dt.date | None
    criteria: tuple[ExitCriterion, ...] = ()
    extensions: int = 0


@dataclass(frozen=True)
class GateFacts:
    """What a gate may look at, frozen at the moment the gate is evaluated."""

    stage: str
    today: dt.date
    owner_id: int | None = None
    sponsor_id: int | None = None
    problem: str = ""
    value_hypothesis: str = ""
    expected_benefit: float | None = None
    environment: str = "sandbox"
    assessment: AssessmentFacts | None = None
    pilot: PilotFacts | None = None
    kpis: tuple[ExitCriterion, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckResult:
    check: str
    passed: bool
    reason: str
    details: tuple[str, ...] = ()  # one line per item the reason is about, by name
    overridden: str = ""  # a failed check that someone allowed to override did: who and why

    @property
    def text(self) -> str:
        """The reason with its items, as one sentence for a refusal or a log."""
        if not self.details:
            return self.reason
        return f"{self.reason.rstrip('.:')}: {'; '.join(self.details)}."

    @property
    def cleared(self) -> bool:
        """Passed, or failed and overridden by someone the policy allows to."""
        return self.passed or bool(self.overridden)


# A check answers (passed, reason) or (passed, reason, details): details name the items.
Verdict = tuple[bool, str] | tuple[bool, str, tuple[str, ...]]


@check("owner_assigned", "An accountable business owner is named")
def _owner(f: GateFacts, p: "Policy", params: dict[str, Any]) -> tuple[bool, str]:
    if f.owner_id is None:
        return False, "No accountable business owner is named."
    return True, "An accountable business owner is named."


@check("sponsor_assigned", "An executive sponsor is named")
def _sponsor(f: GateFacts, p: "Policy", params: dict[str, Any]) -> tuple[bool, str]:
    if f.sponsor_id is None:
        return False, "No executive sponsor is named."
    return True, "An executive sponsor is named."


@check("problem_described", "The business problem is described (min_chars)")
def _problem(f: GateFacts, p: "Policy", params: dict[str, Any]) -> tuple[bool, str]:
    least = int(params.get("min_chars", 20))
    if len(f.problem.strip()) < least:
        return False, f"The business problem needs a description of at least {least} characters."
    return True, "The business problem is described."


@check("value_hypothesis_present", "A value hypothesis is written down")
def _hypothesis(f: GateFacts, p: "Policy", params: dict[str, Any]) -> tuple[bool, str]:
    if not f.value_hypothesis.strip():
        return False, "No value hypothesis: say what value this should create and how to tell."
    return True, "A value hypothesis is written down."


@check("expected_benefit_present", "An expected annual benefit is estimated")
def _benefit(f: GateFacts, p: "Policy", params: dict[str, Any]) -> tuple[bool, str]:
    if f.expected_benefit is None:
        return False, "No expected annual benefit is estimated."
    return True, "An expected annual benefit is estimated."


@check("risk_assessed", "A risk assessment exists")
def _assessed(f: GateFacts, p: "Policy", params: dict[str, Any]) -> tuple[bool, str]:
    if f.assessment is None:
        return False, "No risk assessment yet: complete the questionnaire."
    return True, f"Risk assessed: {f.assessment.tier} tier."


@check("risk_assessment_current", "The risk assessment is current: not stale, within cadence")
def _current(f: GateFacts, p: "Policy", params: dict[str, Any]) -> tuple[bool, str]:
    a = f.assessment
    if a is None:
        return False, "No risk assessment yet: complete the questionnaire."
    if a.stale:
        return False, f"The risk assessment is stale ({a.stale_reason}); re-assess first."
    cadence: int | None = {str(k): v for k, v in p.review_cadence_days.items()}.get(a.tier)
    if cadence is not None and (f.today - a.assessed_on).days > cadence:
        return False, (
            f"The {a.tier}-tier assessment from {a.assessed_on:%d %b %Y} is older than the "
            f"{cadence}-day review cadence; re-assess first."
        )
    return True, f"The risk assessment is current ({a.tier} tier, {a.assessed_on:%d %b %Y})."


@check("not_prohibited", "No prohibited practice was declared in the assessment")
def _not_prohibited(f: GateFacts, p: "Policy", params: dict[str, Any]) -> tuple[bool, str]:
    if f.assessment is not None and f.assessment.prohibited:
        return False, "The assessment declares a prohibited practice: this use case cannot proceed."
    return True, "No prohibited practice declared."


@check("pilot_plan_ready", "A pilot plan with measurable exit criteria and an end date")
def _pilot_plan(f: GateFacts, p: "Policy", params: dict[str, Any]) -> tuple[bool, str]:
    plan = f.pilot
    least = int(params.get("min_criteria", 1))
    if plan is None:
        return False, "No pilot plan: set exit criteria and an end date before the pilot starts."
    measurable = [c for c in plan.criteria if c.metric.strip() and c.target is not None]
    if len(measurable) < least:
        return (
            False,
            f"The pilot plan needs at least {least} measurable exit criterion "
            "(a metric with a target).",
        )
    if plan.ends_on is None:
        return False, "The pilot plan has no end date."
    start = plan.starts_on or f.today
    if plan.ends_on <= start:
        return False, "The pilot's end date must come after its start."
    if (plan.ends_on - start).days > p.pilot.max_days:
        return False, (
            f"The pilot would run {(plan.ends_on - start).days} days; the policy allows at most "
            f"{p.pilot.max_days}."
        )
    return True, f"Pilot plan: {len(measurable)} exit criteria, ends {plan.ends_on:%d %b %Y}."


@check("kpis_with_baseline_and_target", "Every exit criterion / KPI has a baseline and a target")
def _kpis(f: GateFacts, p: "Policy", params: dict[str, Any]) -> tuple[bool, str]:
    # The use case's own KPIs when it has them; before that, the pilot's exit criteria:
    # the read model the value panel shows too (success_measures.py).
    found = success_measures(f.kpis, f.pilot.criteria if f.pilot else ())
    return found.source != "none" and not found.missing, found.sentence


@check("production_environment", "Runs in the production environment")
def _production(f: GateFacts, p: "Policy", params: dict[str, Any]) -> tuple[bool, str]:
    if f.environment != "production":
        return False, "It still runs in the sandbox; move it to production first."
    return True, "Runs in production."


@check(
    "exit_criteria_met",
    "Each pilot exit criterion's latest measurement meets its target (unknown is unmet)",
    reads=(exit_criteria.FACTS_KEY,),
)
def _exit_criteria(f: GateFacts, p: "Policy", params: dict[str, Any]) -> Verdict:
    plan = f.pilot
    if plan is None or not plan.criteria:
        return False, "No pilot exit criteria to judge the pilot by."
    measured = f.extra.get(exit_criteria.FACTS_KEY) or {}
    results = exit_criteria.judge_all(plan.criteria, measured)
    missed = [r for r in results if not r.met]
    if not missed:
        return True, f"All {len(results)} exit criteria met.", tuple(r.sentence for r in results)
    return (
        False,
        f"{len(missed)} of {len(results)} exit criteria not met",
        tuple(r.sentence for r in missed),
    )


def evaluate(
    facts: GateFacts, policy: "Policy", requires: list[tuple[str, dict[str, Any]]]
) -> list[CheckResult]:
    """Run each named check; unknown names cannot occur (the policy schema refuses them)."""
    checks, results = gate_checks(), []
    for name, params in requires:
        verdict = checks[name](facts, policy, params)
        details = verdict[2] if len(verdict) == 3 else ()
        results.append(CheckResult(name, verdict[0], verdict[1], tuple(details)))
    return results
