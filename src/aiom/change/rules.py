"""When a change plan is ready, and how adoption compares with its target (pure: no ORM).

A plan is ready when it names a champion and at least `min_groups` stakeholder groups,
and every group has a size, says what changes for its people, has at least one
intervention and an adoption target (active users and a date). Adoption is measured
for the use case as a whole (`aiom.value` records active users per period, not per
group), so the comparison is the plan's total target against the latest figure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class GroupFacts:
    name: str
    size: int
    what_changes: str
    interventions: int
    target_users: int | None
    target_on: dt.date | None


@dataclass(frozen=True)
class PlanFacts:
    champion_id: int | None
    groups: tuple[GroupFacts, ...] = ()
    status: str = "draft"


def group_problems(g: GroupFacts) -> list[str]:
    """Why one stakeholder group is not ready; empty when it is."""
    problems = []
    if g.size <= 0:
        problems.append(f"“{g.name}”: say how many people the group holds.")
    if not g.what_changes.strip():
        problems.append(f"“{g.name}”: say what changes for these people.")
    if g.interventions < 1:
        problems.append(f"“{g.name}” has no intervention (training, communication, ...).")
    if not g.target_users or g.target_on is None:
        problems.append(f"“{g.name}” has no adoption target (active users by a date).")
    elif g.size > 0 and g.target_users > g.size:
        problems.append(
            f"“{g.name}”: the target of {g.target_users} active users exceeds the group's "
            f"{g.size} people."
        )
    return problems


def plan_reasons(plan: PlanFacts | None, min_groups: int) -> list[str]:
    """Every reason the change plan is not ready; empty when it is."""
    if plan is None:
        return ["No change plan: name the people affected, what changes and how they get there."]
    reasons = []
    if plan.champion_id is None:
        reasons.append("No change champion is named.")
    if not plan.groups:
        reasons.append("No stakeholder group: say who is affected by the change.")
    elif len(plan.groups) < min_groups:
        reasons.append(
            f"Only {len(plan.groups)} stakeholder group{'' if len(plan.groups) == 1 else 's'}; "
            f"the policy wants at least {min_groups}."
        )
    for g in plan.groups:
        reasons.extend(group_problems(g))
    return reasons


class AdoptionState(StrEnum):
    NO_TARGET = "no_target"
    NO_DATA = "no_data"
    MET = "met"
    NOT_YET = "not_yet"  # below target, target date still ahead
    MISSED = "missed"  # below target, target date passed


STATE_LABELS = {
    AdoptionState.NO_TARGET: "no target",
    AdoptionState.NO_DATA: "no adoption figures yet",
    AdoptionState.MET: "target met",
    AdoptionState.NOT_YET: "below target",
    AdoptionState.MISSED: "target missed",
}


@dataclass(frozen=True)
class AdoptionVerdict:
    target: int | None
    target_on: dt.date | None
    actual: int | None
    measured_to: dt.date | None
    state: AdoptionState

    @property
    def share(self) -> float | None:
        """Actual over target (may exceed 1), or None when either is unknown."""
        if not self.target or self.actual is None:
            return None
        return self.actual / self.target

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]


def plan_target(groups: tuple[GroupFacts, ...]) -> tuple[int | None, dt.date | None]:
    """The plan's adoption target: the groups' targets summed, by the latest of their dates."""
    targets = [g for g in groups if g.target_users]
    if not targets:
        return None, None
    dates = [g.target_on for g in targets if g.target_on is not None]
    return sum(g.target_users or 0 for g in targets), max(dates) if dates else None


def compare_adoption(
    target: int | None,
    target_on: dt.date | None,
    actual: int | None,
    measured_to: dt.date | None,
    today: dt.date,
) -> AdoptionVerdict:
    """Actual active users against the target, and whether the date for it has passed."""
    if not target:
        state = AdoptionState.NO_TARGET
    elif actual is None:
        state = AdoptionState.NO_DATA
    elif actual >= target:
        state = AdoptionState.MET
    elif target_on is not None and target_on < today:
        state = AdoptionState.MISSED
    else:
        state = AdoptionState.NOT_YET
    return AdoptionVerdict(target, target_on, actual, measured_to, state)
