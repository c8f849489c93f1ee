"""Value history for the demo: KPIs with monthly measurements, adoption, feedback, scores.

Runs after the portfolio demo inside its transaction, everything through the services with
`actor=None` and backdated dates. Deterministic for a given `rng`. Measurements trend from
the baseline toward the target; whether and when a use case meets it is drawn per use case,
so time-to-value spreads from months to more than a year, and some never get there.
"""

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from aiom.core.partial_dates import known
from aiom.lifecycle.models import PilotPlan, StageChange
from aiom.portfolio.models import UseCase
from aiom.value import services
from aiom.value.backlog import prioritisation_stages
from aiom.value.demo_texts import (
    COMMENTS,
    EXTRA_KPIS,
    FALLBACK_KPI,
    RATING_WEIGHTS,
    rationale_for,
)
from aiom.value.models import KPI

MEASURED = ("pilot", "scaling", "operational", "retired")
ADOPTED = ("pilot", "scaling", "operational")
REACH_CHANCE = {"pilot": 0.3, "scaling": 0.65, "operational": 0.85, "retired": 0.5}
MAX_POINTS = 24
Kpi = tuple[str, float, float, str, str]  # name, baseline, target, unit, direction


def seed(*, today: dt.date, rng: random.Random) -> dict[str, int]:
    """Add value data to the loaded demo; returns how many of each thing were made."""
    counts = dict.fromkeys(
        ("kpis", "measurements", "adoption", "feedback", "priority_scores", "value_realised"), 0
    )
    measured = list(
        UseCase.objects.filter(stage__in=MEASURED).select_related("org_unit").order_by("pk")
    )
    starts: dict[int, dt.date] = {}
    for uc_id, on in StageChange.objects.filter(
        to_stage="pilot", use_case__in=[u.pk for u in measured]
    ).values_list("use_case_id", "on"):
        starts[uc_id] = min(known(on), starts.get(uc_id, known(on)))
    plans = {
        p.use_case_id: p.exit_criteria
        for p in PilotPlan.objects.filter(use_case__in=[u.pk for u in measured])
    }
    for uc in measured:
        start = starts.get(uc.pk, known(uc.stage_entered_on))
        end = known(uc.stage_entered_on) if uc.stage == "retired" else today
        _kpis_and_measurements(uc, _kpi_specs(uc, plans.get(uc.pk), rng), start, end, rng, counts)
        if uc.stage in ADOPTED:
            counts["adoption"] += _adoption(uc, start, today, rng)
        counts["feedback"] += _feedback(uc, start, end, rng)
    counts["value_realised"] = UseCase.objects.filter(
        pk__in=[u.pk for u in measured], value_realised_on__isnull=False
    ).count()
    stages = prioritisation_stages()
    for uc in UseCase.objects.filter(stage__in=stages).select_related("org_unit").order_by("pk"):
        if rng.random() < 0.85:
            _score(uc, today, rng)
            counts["priority_scores"] += 1
    return counts


def _kpi_specs(uc: UseCase, criteria: Any, rng: random.Random) -> list[Kpi]:
    specs: list[Kpi] = []
    for c in criteria or []:
        if c.get("metric") and c.get("target") is not None and c.get("baseline") is not None:
            specs.append(
                (
                    c["metric"],
                    float(c["baseline"]),
                    float(c["target"]),
                    c.get("unit", ""),
                    c.get("direction", "higher"),
                )
            )
    if not specs:
        specs.append(FALLBACK_KPI)
    extras = [k for k in EXTRA_KPIS.get(uc.ai_type, []) if k[0] not in {s[0] for s in specs}]
    rng.shuffle(extras)
    return (specs + extras)[: rng.choice((1, 2, 2, 3))]


def _month_days(start: dt.date, end: dt.date) -> list[dt.date]:
    span = (end - start).days
    step = max(30, span // MAX_POINTS + 1)
    return [start + dt.timedelta(days=d) for d in range(0, span + 1, step)]


def _kpis_and_measurements(
    uc: UseCase,
    specs: list[Kpi],
    start: dt.date,
    end: dt.date,
    rng: random.Random,
    counts: dict[str, int],
) -> None:
    days = _month_days(start, end)
    reaches = rng.random() < REACH_CHANCE.get(uc.stage, 0.5)
    for i, (name, base, target, unit, direction) in enumerate(specs):
        # a pilot's exit criterion was measured over the pilot already (lifecycle.demo): go on
        # from its last measurement, at the target if the pilot reached it, short if not
        kpi = KPI.objects.filter(use_case=uc, name=name).first() or services.define_kpi(
            actor=None,
            use_case=uc,
            name=name,
            unit=unit,
            direction=direction,
            baseline=Decimal(str(base)),
            target=Decimal(str(target)),
            owner=uc.owner,
        )
        counts["kpis"] += 1
        measured_until = kpi.last_measured_on
        # the lead KPI decides time-to-value; the others reach theirs later, or not at all
        hit = reaches and (i == 0 or rng.random() < 0.5)
        if measured_until is not None:
            hit = kpi.target_met_on is not None
        fast = (start - known(uc.proposed_on)).days < 200 and rng.random() < 0.6  # quick movers
        month_hit = 1 if fast else rng.choice((1, 2, 3, 4, 6, 9, 14))
        month_hit += i * rng.randint(0, 4)
        plateau = rng.uniform(0.45, 0.9)
        if measured_until is not None:  # continue the pilot's result, not a new ramp
            month_hit, plateau = (0, plateau) if hit else (10_000, rng.uniform(0.7, 0.9))
        for n, day in enumerate(days):  # n = 0: the baseline, measured as the pilot starts
            if measured_until is not None and day <= measured_until:
                continue
            if hit and n >= month_hit:
                progress = rng.uniform(1.0, 1.12)
            else:
                ramp = min(1.0, n / max(month_hit, 2)) ** 0.8
                progress = min(0.96, ramp * (0.97 if hit else plateau) + rng.uniform(-0.04, 0.04))
            value = base + (target - base) * max(progress, -0.05)
            services.record_measurement(
                actor=None,
                kpi=kpi,
                value=Decimal(str(round(value, 2))),
                measured_on=day,
                source="monthly report",
            )
            counts["measurements"] += 1


def _adoption(uc: UseCase, start: dt.date, today: dt.date, rng: random.Random) -> int:
    ceiling = {"pilot": rng.randint(15, 60), "scaling": rng.randint(120, 600)}.get(
        uc.stage, rng.randint(300, 3000)
    )
    month = start.replace(day=1)
    rows, n = 0, 0
    while month <= today:
        following = (month + dt.timedelta(days=32)).replace(day=1)
        n += 1
        share = min(1.0, 0.15 + 0.85 * (n / 10) ** 1.2)
        users = max(3, int(ceiling * share * rng.uniform(0.9, 1.05)))
        services.record_adoption(
            actor=None,
            use_case=uc,
            period_start=month,
            period_end=following - dt.timedelta(days=1),
            active_users=users,
            usage=int(users * rng.uniform(8, 40)),
            source="usage analytics",
        )
        rows += 1
        month = following
    return rows


def _feedback(uc: UseCase, start: dt.date, end: dt.date, rng: random.Random) -> int:
    span = max(1, (end - start).days)
    made = rng.randint(2, 6)
    for _ in range(made):
        rating = rng.choices(range(1, 6), weights=RATING_WEIGHTS)[0]
        services.give_feedback(
            actor=None,
            use_case=uc,
            rating=rating,
            comment=rng.choice(COMMENTS[rating]),
            today=start + dt.timedelta(days=rng.randint(0, span)),
        )
    return made


def _score(uc: UseCase, today: dt.date, rng: random.Random) -> None:
    benefit = float(uc.expected_benefit_amount or 0)
    criteria = {
        "strategic_fit": rng.randint(3, 5) if uc.theme_id else rng.randint(1, 3),
        "expected_benefit": 1 + sum(benefit > b for b in (50e3, 200e3, 750e3, 2e6)),
        "reach": rng.randint(3, 5) if uc.customer_facing else rng.randint(1, 4),
        "data_readiness": rng.randint(1, 5),
        "technical_complexity": rng.randint(3, 5)
        if uc.ai_type in ("generative", "agent")
        else rng.randint(1, 4),
        "change_effort": rng.randint(3, 5) if uc.automated_decisions else rng.randint(1, 4),
    }
    day = min(today, known(uc.stage_entered_on) + dt.timedelta(days=rng.randint(2, 20)))
    services.score_priority(
        actor=None,
        use_case=uc,
        criteria=criteria,
        rationale=rationale_for(uc.title, criteria),
        today=day,
    )
