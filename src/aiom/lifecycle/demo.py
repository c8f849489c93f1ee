"""What the demo's replay does before a gate, as a real organisation would.

Before a pilot is scaled, its exit criterion is measured over the pilot: most pilots reach
their target; the rest fall short, and a risk or compliance reviewer who is not involved
records an override with the figures and the reason the organisation scaled anyway. Now
and then an approval carries a condition, which owners mostly meet once due. (The
obligations due before a move are met by `obligations.demo.meet_due`, which the replay in
`aiom.demo.history` calls: lifecycle does not reach into obligations.)
"""

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from aiom.governance.models import ReviewCondition
from aiom.governance.policy.versions import active_policy
from aiom.governance.reviews import conditions
from aiom.lifecycle import overrides
from aiom.lifecycle.exit_criteria import number
from aiom.lifecycle.models import PilotPlan
from aiom.portfolio.models import UseCase
from aiom.value import services as value

REACHED = 0.8  # share of scaled pilots that met their exit criterion
SOURCE = "pilot evaluation"
WHY_SCALED_ANYWAY = (
    "{metric} reached {value} against the {goal} target. The shortfall comes from one "
    "team still on the old process; scaling moves them to the new one, and the sponsor "
    "accepted the gap. Re-measured at the 90-day review; stop if it does not close.",
    "{metric} ended at {value}, short of {goal}. Volumes in the pilot were too low to "
    "separate the effect from seasonal noise; the benefit case holds at the measured "
    "value. Scaling with a checkpoint after one quarter.",
)


CONDITIONAL = 0.2  # share of demo approvals that carry a condition
CONDITIONS = (
    "Publish the transparency notice before the first customer sees an output.",
    "Re-run the bias check on the first 500 live cases and file the result.",
    "Name a fallback team for when the system is down, and tell the users.",
    "Report the exit criterion to the sponsor monthly until the target is met.",
    "Have the data protection officer sign off the retention period.",
)
MET_NOTES = (
    "Done; the evidence is linked on the obligations panel.",
    "Filed with the risk committee's minutes.",
    "Confirmed by the sponsor in the monthly review.",
)


def conditions_for(uc: UseCase, day: dt.date, rng: random.Random) -> list[dict[str, Any]]:
    """Now and then an approval carries a condition for the owner, due within weeks."""
    if uc.owner_id is None or rng.random() >= CONDITIONAL:
        return []
    due = day + dt.timedelta(days=rng.randint(21, 75))
    return [{"text": rng.choice(CONDITIONS), "owner": uc.owner_id, "due_on": due}]


def settle_conditions(uc: UseCase, today: dt.date, rng: random.Random) -> int:
    """Owners meet most conditions that have fallen due; some stay open past their date."""
    closed = 0
    for c in ReviewCondition.objects.filter(use_case=uc, status="open", due_on__lt=today):
        if rng.random() < 0.7:
            conditions.close_condition(
                actor=c.owner, condition=c, status="met", note=rng.choice(MET_NOTES)
            )
            closed += 1
    return closed


def _pilot_days(start: dt.date, end: dt.date) -> list[dt.date]:
    span = max((end - start).days, 1)
    step = max(14, span // 4)
    return [start + dt.timedelta(days=d) for d in range(0, span + 1, step)][-6:]


def pilot_results(uc: UseCase, day: dt.date, rng: random.Random, reviewers: list[Any]) -> bool:
    """Measure the pilot's exit criterion up to `day`; override with a reason if it fell
    short. Returns whether the criterion was met."""
    plan = PilotPlan.objects.get(use_case=uc)
    criterion = plan.exit_criteria[0]
    base, target = float(criterion["baseline"]), float(criterion["target"])
    reached = rng.random() < REACHED
    start = plan.starts_on or (day - dt.timedelta(days=60))
    days = _pilot_days(start, day - dt.timedelta(days=2))
    kpi = value.define_kpi(
        actor=None,
        use_case=uc,
        name=criterion["metric"],
        unit=criterion.get("unit", ""),
        direction=criterion.get("direction", "higher"),
        baseline=Decimal(str(base)),
        target=Decimal(str(target)),
        owner=uc.owner,
    )
    final = rng.uniform(1.0, 1.1) if reached else rng.uniform(0.55, 0.9)
    for n, on in enumerate(days):
        share = final * (n / max(len(days) - 1, 1)) ** 0.7
        value.record_measurement(
            actor=None,
            kpi=kpi,
            value=Decimal(str(round(base + (target - base) * share, 2))),
            measured_on=on,
            source=SOURCE,
        )
    if reached:
        return True
    gate = active_policy().policy.gate("pilot", "scaling")
    roles = [str(r) for r in gate.override.roles] if gate.override else []
    fresh = UseCase.objects.select_related("org_unit").get(pk=uc.pk)
    who = [r for r in reviewers if overrides.may_override(r, fresh, roles)]
    if not who:
        return False
    measured = round(base + (target - base) * final, 2)
    unit = f" {criterion.get('unit', '')}".rstrip()
    side = "≤" if criterion.get("direction") == "lower" else "≥"
    reason = rng.choice(WHY_SCALED_ANYWAY).format(
        metric=criterion["metric"],
        value=f"{number(measured)}{unit}",
        goal=f"{side} {number(target)}{unit}",
    )
    overrides.override_gate(
        actor=rng.choice(who),
        use_case=fresh,
        to_stage="scaling",
        check="exit_criteria_met",
        reason=reason,
        today=day - dt.timedelta(days=1),
    )
    return False
