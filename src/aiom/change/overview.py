"""The read model of change plans: readiness and adoption for the panel, list and API.

`overviews` answers for any number of use cases in a fixed number of queries (plans,
groups, adoption, feedback, the active policy), never one per use case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from aiom.change.facts import AdoptionFigures, adoption_for_many, plan_facts_for_many
from aiom.change.models import ChangePlan, Intervention, StakeholderGroup
from aiom.change.policy import ChangeRules
from aiom.change.rules import AdoptionVerdict, compare_adoption, plan_reasons, plan_target
from aiom.governance.policy.versions import active_policy
from aiom.portfolio.models import UseCase


@dataclass(frozen=True)
class PlanOverview:
    use_case_id: int
    stage: str
    reasons: list[str]
    adoption: AdoptionVerdict
    figures: AdoptionFigures
    required: bool  # the policy expects a ready plan in the use case's stage

    @property
    def ready(self) -> bool:
        return not self.reasons


def current_rules() -> ChangeRules:
    return active_policy().policy.section(ChangeRules)


def overviews(
    use_cases: Iterable[UseCase],
    *,
    today: dt.date | None = None,
    rules: ChangeRules | None = None,
) -> dict[int, PlanOverview]:
    """Readiness and adoption against target of each use case's plan (or its absence)."""
    cases = list(use_cases)
    ids = [uc.pk for uc in cases]
    rules = rules or current_rules()
    today = today or timezone.localdate()
    facts = plan_facts_for_many(ids)
    figures = adoption_for_many(ids)
    found = {}
    for uc in cases:
        plan = facts.get(uc.pk)
        target, target_on = plan_target(plan.groups) if plan else (None, None)
        fig = figures.get(uc.pk, AdoptionFigures())
        found[uc.pk] = PlanOverview(
            use_case_id=uc.pk,
            stage=uc.stage,
            reasons=plan_reasons(plan, rules.min_groups),
            adoption=compare_adoption(target, target_on, fig.active_users, fig.measured_to, today),
            figures=fig,
            required=uc.stage in rules.required_for_stages,
        )
    return found


def plan_with_contents(use_case: UseCase) -> ChangePlan | None:
    """The plan of one use case with its groups and interventions (three queries)."""
    interventions = Prefetch("interventions", queryset=Intervention.objects.select_related("owner"))
    groups = Prefetch(
        "groups",
        queryset=StakeholderGroup.objects.select_related("org_unit").prefetch_related(
            interventions
        ),
    )
    return (
        ChangePlan.objects.filter(use_case_id=use_case.pk)
        .select_related("champion")
        .prefetch_related(groups)
        .first()
    )
