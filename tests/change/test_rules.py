"""Readiness and adoption against target: pure rules, table-tested."""

import datetime as dt

import pytest

from aiom.change.rules import (
    AdoptionState,
    GroupFacts,
    PlanFacts,
    compare_adoption,
    plan_reasons,
    plan_target,
)

DAY = dt.date(2026, 6, 1)
GOOD = GroupFacts("Tellers", 50, "They answer from the draft.", 1, 40, DAY)


def group(**changes: object) -> GroupFacts:
    values = {**GOOD.__dict__, **changes}
    return GroupFacts(**values)


@pytest.mark.parametrize(
    ("plan", "min_groups", "reasons"),
    [
        (PlanFacts(7, (GOOD,)), 1, []),
        (
            None,
            1,
            ["No change plan: name the people affected, what changes and how they get there."],
        ),
        (PlanFacts(None, (GOOD,)), 1, ["No change champion is named."]),
        (PlanFacts(7, ()), 1, ["No stakeholder group: say who is affected by the change."]),
        (
            PlanFacts(7, (GOOD,)),
            2,
            ["Only 1 stakeholder group; the policy wants at least 2."],
        ),
        (
            PlanFacts(7, (group(size=0),)),
            1,
            ["“Tellers”: say how many people the group holds."],
        ),
        (
            PlanFacts(7, (group(what_changes="  "),)),
            1,
            ["“Tellers”: say what changes for these people."],
        ),
        (
            PlanFacts(7, (group(interventions=0),)),
            1,
            ["“Tellers” has no intervention (training, communication, ...)."],
        ),
        (
            PlanFacts(7, (group(target_users=None),)),
            1,
            ["“Tellers” has no adoption target (active users by a date)."],
        ),
        (
            PlanFacts(7, (group(target_on=None),)),
            1,
            ["“Tellers” has no adoption target (active users by a date)."],
        ),
        (
            PlanFacts(7, (group(target_users=60),)),
            1,
            ["“Tellers”: the target of 60 active users exceeds the group's 50 people."],
        ),
        (
            PlanFacts(None, (group(name="A", size=0), group(name="B", interventions=0))),
            1,
            [
                "No change champion is named.",
                "“A”: say how many people the group holds.",
                "“B” has no intervention (training, communication, ...).",
            ],
        ),
    ],
)
def test_plan_readiness(plan: PlanFacts | None, min_groups: int, reasons: list[str]) -> None:
    assert plan_reasons(plan, min_groups) == reasons


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        ((), (None, None)),
        ((group(target_users=None),), (None, None)),
        (
            (GOOD, group(target_users=10, target_on=DAY + dt.timedelta(days=5))),
            (50, DAY.replace(day=6)),
        ),
        ((GOOD, group(target_users=None)), (40, DAY)),
    ],
)
def test_plan_target_sums_groups_by_the_latest_date(
    groups: tuple[GroupFacts, ...], expected: tuple[int | None, dt.date | None]
) -> None:
    assert plan_target(groups) == expected


@pytest.mark.parametrize(
    ("target", "target_on", "actual", "today", "state", "share"),
    [
        (None, None, 10, DAY, AdoptionState.NO_TARGET, None),
        (0, DAY, 10, DAY, AdoptionState.NO_TARGET, None),
        (40, DAY, None, DAY, AdoptionState.NO_DATA, None),
        (40, DAY, 40, DAY, AdoptionState.MET, 1.0),
        (40, DAY, 50, DAY + dt.timedelta(days=9), AdoptionState.MET, 1.25),
        (40, DAY, 10, DAY, AdoptionState.NOT_YET, 0.25),  # on the day itself: not yet missed
        (40, DAY, 10, DAY + dt.timedelta(days=1), AdoptionState.MISSED, 0.25),
        (40, None, 10, DAY, AdoptionState.NOT_YET, 0.25),
    ],
)
def test_adoption_against_target(
    target: int | None,
    target_on: dt.date | None,
    actual: int | None,
    today: dt.date,
    state: AdoptionState,
    share: float | None,
) -> None:
    verdict = compare_adoption(target, target_on, actual, None, today)
    assert (verdict.state, verdict.share) == (state, share)
