"""From stored plans and value figures to the plain facts the rules read, in batches.

Each loader answers for any number of use cases in a fixed number of queries per 500
ids, so the gate, the list page and the API never query per use case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Avg, Count, OuterRef, Subquery

from aiom.change.models import ChangePlan, StakeholderGroup
from aiom.change.rules import GroupFacts, PlanFacts
from aiom.value.models import Adoption, Feedback

BATCH = 500


@dataclass(frozen=True)
class AdoptionFigures:
    """The latest adoption period of a use case and its average end-user rating."""

    active_users: int | None = None
    measured_to: dt.date | None = None
    rating: float | None = None
    ratings: int = 0


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), BATCH):
        yield unique[start : start + BATCH]


def plan_facts_for_many(use_case_ids: Iterable[int]) -> dict[int, PlanFacts]:
    """Each use case's plan as facts; use cases without a plan are left out."""
    found: dict[int, PlanFacts] = {}
    for ids in _chunks(use_case_ids):
        heads_rows = list(
            ChangePlan.objects.filter(use_case_id__in=ids).values_list(
                "pk", "use_case_id", "champion_id", "status"
            )
        )
        plans = {pk: uc for pk, uc, _, _ in heads_rows}
        heads = {uc: (champion, status) for _, uc, champion, status in heads_rows}
        groups: dict[int, list[GroupFacts]] = {uc: [] for uc in plans.values()}
        rows = (
            StakeholderGroup.objects.filter(plan_id__in=list(plans))
            .annotate(n=Count("interventions"))
            .order_by("plan_id", "position", "id")
            .values_list(
                "plan_id", "name", "size", "what_changes", "n", "target_users", "target_on"
            )
        )
        for plan_id, name, size, what, n, target, target_on in rows:
            groups[plans[plan_id]].append(GroupFacts(name, size, what, n, target, target_on))
        for uc_id in plans.values():
            champion, status = heads[uc_id]
            found[uc_id] = PlanFacts(champion, tuple(groups[uc_id]), status)
    return found


def adoption_for_many(use_case_ids: Iterable[int]) -> dict[int, AdoptionFigures]:
    """Latest active users and average feedback per use case; every id gets an entry."""
    found: dict[int, AdoptionFigures] = {}
    for ids in _chunks(use_case_ids):
        latest = (
            Adoption.objects.filter(use_case_id=OuterRef("use_case_id"))
            .order_by("-period_start")
            .values("period_start")[:1]
        )
        periods = {
            uc: (users, end)
            for uc, users, end in Adoption.objects.filter(
                use_case_id__in=ids, period_start=Subquery(latest)
            ).values_list("use_case_id", "active_users", "period_end")
        }
        ratings = {
            uc: (avg, n)
            for uc, avg, n in Feedback.objects.filter(use_case_id__in=ids)
            .order_by()
            .values("use_case_id")
            .annotate(avg=Avg("rating"), n=Count("id"))
            .values_list("use_case_id", "avg", "n")
        }
        for uc in ids:
            users, end = periods.get(uc, (None, None))
            avg, n = ratings.get(uc, (None, 0))
            found[uc] = AdoptionFigures(users, end, None if avg is None else float(avg), n)
    return found
