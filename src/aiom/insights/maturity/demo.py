"""Demo self-assessments: the organisation and six units, ~6 months ago and recently.

Each unit's lead answers (the whole organisation: the group lead if an administrator,
else the first administrator, else the system). Profiles are per-dimension answer levels
(0-3) with jitter from `rng`; Technology, Risk and Cards rate themselves generously, so the
page shows "higher than the evidence". Units missing from the demo are skipped, and a
scope that already has a self-assessment is left alone (re-running adds nothing).
"""

import datetime as dt
import random

from django.contrib.auth.models import User
from django.utils import timezone

from aiom.insights.maturity import services
from aiom.insights.maturity.model import current
from aiom.maturity.models import SelfAssessment
from aiom.organisation.models import OrgUnit, Role, RoleAssignment

GROUP = "demo-group"
EARLIER_DAYS = 182
GROWTH = 0.8  # how much lower, in answer points, the earlier self-assessment sits

# Recent answer level per dimension: people, processes, technology, data, governance.
PROFILES: dict[str | None, tuple[float, float, float, float, float]] = {
    None: (1.6, 1.8, 1.7, 1.3, 2.0),
    "demo-retail": (2.0, 2.2, 1.8, 1.6, 2.2),
    "demo-operations": (1.4, 1.8, 1.2, 1.0, 1.4),
    "demo-technology": (2.4, 2.2, 2.9, 2.2, 2.1),
    "demo-risk": (1.6, 1.6, 1.2, 1.8, 2.9),
    "demo-cards": (2.3, 2.7, 2.5, 2.3, 2.5),
    "demo-hr": (0.8, 0.8, 0.6, 0.8, 1.0),
}


def answers_for(levels: tuple[float, ...], rng: random.Random) -> dict[str, str]:
    """One answer per question near its dimension's level (jitter ±0.6, clamped to 0-3)."""
    model = current().model
    out: dict[str, str] = {}
    for dim, level in zip(model.dimensions, levels, strict=True):
        for q in dim.questions:
            want = min(3, max(0, round(level + rng.uniform(-0.6, 0.6))))
            best = min(q.answers, key=lambda a: abs(a.score - want))
            out[q.key] = best.key
    return out


def _org_actor() -> User | None:
    group = OrgUnit.objects.filter(code=GROUP).select_related("lead").first()
    if group is not None and group.lead and services.can_self_assess(group.lead, None):
        return group.lead
    admin = (
        RoleAssignment.objects.filter(role=Role.ADMINISTRATOR, org_unit__isnull=True)
        .select_related("user")
        .order_by("user_id")
        .first()
    )
    return admin.user if admin is not None else None


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def seed(*, today: dt.date, rng: random.Random) -> int:
    """Create the demo self-assessments; returns how many were created."""
    created = 0
    for code, recent in PROFILES.items():
        unit = None
        actor: User | None
        if code is None:
            actor = _org_actor()
        else:
            unit = OrgUnit.objects.filter(code=code).select_related("lead").first()
            if unit is None:
                continue
            actor = unit.lead
        if SelfAssessment.objects.filter(org_unit=unit).exists():
            continue
        earlier = tuple(max(0.0, level - GROWTH) for level in recent)
        when = [
            (earlier, today - dt.timedelta(days=EARLIER_DAYS + rng.randint(0, 14))),
            (recent, today - dt.timedelta(days=rng.randint(3, 20))),
        ]
        for levels, day in when:
            services.self_assess(
                actor=actor,
                org_unit=unit,
                answers=answers_for(levels, rng),
                assessed_at=_at(day),
            )
            created += 1
    return created
