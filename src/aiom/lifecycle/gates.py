"""From stored use cases to the plain facts gate checks read, and gate reports.

`facts_for_many` loads a whole queryset's facts in three queries, so the simulator and
the sweep can evaluate thousands of use cases without a query per row. The facts other
apps add (`GateFacts.extra`: data products, change plans, obligations, ...) come from the
`gate_facts` store and are loaded lazily: nothing is queried unless a check reads the
key, and then once for the batch, so a gate costs only the facts its checks need.
"""

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.utils import timezone

from aiom.governance.models import RiskAssessment
from aiom.governance.policy.schema import Policy
from aiom.lifecycle.checks import (
    AssessmentFacts,
    CheckResult,
    GateFacts,
    PilotFacts,
    evaluate,
)
from aiom.lifecycle.exit_criteria import ExitCriterion
from aiom.lifecycle.gate_registry import fact_sources
from aiom.lifecycle.models import PilotPlan
from aiom.portfolio.models import UseCase
from aiom.value.models import KPI

# GateFacts.extra: {(from, to, check): who and why}, the open overrides (overrides.open_for)
OVERRIDES_KEY = "gate_overrides"


class _Batch:
    """The registered facts of a batch of use cases, loaded on the first read of each key."""

    def __init__(self, ids: list[int]) -> None:
        self.ids = ids
        self.loaded: dict[str, Mapping[int, Any]] = {}

    def get(self, key: str, pk: int) -> Any:
        source = fact_sources()[key]
        if key not in self.loaded:
            self.loaded[key] = source.loader(self.ids)
        return self.loaded[key].get(pk, source.default)


class LazyExtra(Mapping[str, Any]):
    """`GateFacts.extra`: the registered facts, each loaded on its first read."""

    def __init__(self, batch: _Batch, pk: int) -> None:
        self._batch = batch
        self._pk = pk

    def __getitem__(self, key: str) -> Any:
        if key in fact_sources():
            return self._batch.get(key, self._pk)
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(fact_sources())

    def __len__(self) -> int:
        return len(fact_sources())


def _number(value: Any) -> float | None:
    try:
        return None if value is None or value == "" else float(value)
    except (TypeError, ValueError):
        return None


def assessment_facts(a: RiskAssessment | None) -> AssessmentFacts | None:
    if a is None:
        return None
    return AssessmentFacts(
        tier=a.tier,
        prohibited=a.prohibited,
        stale=a.stale,
        stale_reason=a.stale_reason,
        assessed_on=timezone.localdate(a.assessed_at),
        policy_version=a.policy_version,
    )


def pilot_facts(plan: PilotPlan | None) -> PilotFacts | None:
    if plan is None:
        return None
    criteria = tuple(
        ExitCriterion(
            metric=str(c.get("metric", "")),
            target=_number(c.get("target")),
            baseline=_number(c.get("baseline")),
            unit=str(c.get("unit", "")),
            direction=str(c.get("direction", "higher")),
        )
        for c in plan.exit_criteria
        if isinstance(c, dict)
    )
    return PilotFacts(
        starts_on=plan.starts_on,
        ends_on=plan.ends_on,
        criteria=criteria,
        extensions=len(plan.extensions or []),
    )


def kpi_facts(kpis: Iterable[KPI]) -> tuple[ExitCriterion, ...]:
    return tuple(
        ExitCriterion(
            metric=k.name,
            target=_number(k.target),
            baseline=_number(k.baseline),
            unit=k.unit,
            direction=k.direction,
        )
        for k in kpis
    )


def facts_for(
    uc: UseCase,
    *,
    today: dt.date | None = None,
    assessment: RiskAssessment | None = None,
    plan: PilotPlan | None = None,
    kpis: Iterable[KPI] = (),
    batch: _Batch | None = None,
    load: bool = True,
) -> GateFacts:
    """The gate facts of one use case; with load=True, assessment, plan and KPIs are fetched."""
    if load:
        assessment = uc.assessments.filter(is_current=True).first()
        plan = PilotPlan.objects.filter(use_case=uc).first()
        kpis = KPI.objects.filter(use_case=uc, is_active=True)
    return GateFacts(
        stage=uc.stage,
        today=today or timezone.localdate(),
        owner_id=uc.owner_id,
        sponsor_id=uc.sponsor_id,
        problem=uc.problem,
        value_hypothesis=uc.value_hypothesis,
        expected_benefit=_number(uc.expected_benefit_amount),
        environment=uc.environment,
        assessment=assessment_facts(assessment),
        pilot=pilot_facts(plan),
        kpis=kpi_facts(kpis),
        extra=LazyExtra(batch or _Batch([uc.pk]), uc.pk),
    )


def facts_for_many(
    use_cases: Iterable[UseCase], today: dt.date | None = None
) -> dict[int, GateFacts]:
    cases = list(use_cases)
    ids = [uc.pk for uc in cases]
    assessments = {
        a.use_case_id: a
        for a in RiskAssessment.objects.filter(use_case_id__in=ids, is_current=True)
    }
    plans = {p.use_case_id: p for p in PilotPlan.objects.filter(use_case_id__in=ids)}
    kpis: dict[int, list[KPI]] = {}
    for kpi in KPI.objects.filter(use_case_id__in=ids, is_active=True):
        kpis.setdefault(kpi.use_case_id, []).append(kpi)
    batch = _Batch(ids)
    return {
        uc.pk: facts_for(
            uc,
            today=today,
            assessment=assessments.get(uc.pk),
            plan=plans.get(uc.pk),
            kpis=kpis.get(uc.pk, ()),
            batch=batch,
            load=False,
        )
        for uc in cases
    }


@dataclass(frozen=True)
class GateReport:
    from_stage: str
    to_stage: str
    allowed: bool  # is the transition in the policy at all
    results: tuple[CheckResult, ...]
    needs_approval: bool
    reason_required: bool

    override_checks: tuple[str, ...] = ()  # failed checks the policy lets a role override
    override_roles: tuple[str, ...] = ()

    @property
    def checks_pass(self) -> bool:
        """Every check passed, or failed and was overridden by someone allowed to."""
        return self.allowed and all(r.cleared for r in self.results)

    @property
    def overridable(self) -> list[CheckResult]:
        """Failed checks not yet overridden that the policy lets a role override."""
        return [r for r in self.results if not r.cleared and r.check in self.override_checks]

    @property
    def failures(self) -> list[str]:
        if not self.allowed:
            return [f"There is no transition from {self.from_stage} to {self.to_stage}."]
        roles = " or ".join(r.replace("_", " ") for r in self.override_roles)
        return [
            r.text
            + (
                f" A {roles} may record an override with a reason."
                if r.check in self.override_checks
                else ""
            )
            for r in self.results
            if not r.cleared
        ]


def gate_report(policy: Policy, facts: GateFacts, to_stage: str) -> GateReport:
    allowed = to_stage in policy.targets(facts.stage)
    gate = policy.gate(facts.stage, to_stage)
    rule = gate.override
    requires = [(c.check, c.params) for c in gate.requires]
    results = evaluate(facts, policy, requires) if allowed else []
    if rule is not None and any(not r.passed and r.check in rule.checks for r in results):
        # overrides are read only when a check they could clear has failed
        recorded = facts.extra.get(OVERRIDES_KEY) or {}
        results = [
            replace(r, overridden=recorded.get((facts.stage, to_stage, r.check), ""))
            if not r.passed and r.check in rule.checks
            else r
            for r in results
        ]
    return GateReport(
        facts.stage,
        to_stage,
        allowed,
        tuple(results),
        gate.approval,
        gate.reason_required,
        tuple(rule.checks) if rule else (),
        tuple(str(r) for r in rule.roles) if rule else (),
    )


def forward_targets(policy: Policy, stage: str) -> list[str]:
    """Targets that move a use case on: later in the stage list and not a terminal exit."""
    order = [st.key for st in policy.stages]
    here = order.index(stage) if stage in order else -1
    return [
        t
        for t in policy.targets(stage)
        if t in order and order.index(t) > here and not policy.stages[order.index(t)].terminal
    ]
