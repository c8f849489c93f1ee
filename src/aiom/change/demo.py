"""Demo change plans for use cases in pilot, scaling and operation.

Every scaling and operational use case gets a plan, most pilots too. Plans of live use
cases are mostly ready, with interventions done; pilots' plans still have gaps (no
champion yet, a group without an intervention or a target). Adoption targets are set
around the adoption the value seed recorded, so some are met, some behind, some missed.
Deterministic for a given `rng` seed and `today`; run after the value seed.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth.models import User

from aiom.change import services
from aiom.core.partial_dates import known
from aiom.organisation.models import Person, Role
from aiom.portfolio.models import UseCase
from aiom.value.models import Adoption

STAGES = ("pilot", "scaling", "operational")

# (name, share of the target, what changes, impact)
GROUPS = [
    (
        "Front-line staff",
        0.6,
        "They review the system's suggestion before acting instead of starting from scratch; "
        "the checklist they used to fill by hand is pre-filled.",
        "high",
    ),
    (
        "Team leaders",
        0.15,
        "They coach on the new way of working and watch the quality dashboard weekly; "
        "escalations now arrive with the system's reasoning attached.",
        "medium",
    ),
    (
        "Operations and support",
        0.15,
        "They handle the system's exceptions queue and answer first-line questions.",
        "medium",
    ),
    (
        "Quality and compliance",
        0.1,
        "They sample outputs each month and sign off the control report.",
        "low",
    ),
]

INTERVENTIONS = {
    "training": "Two-hour hands-on session with real cases, then a buddy for the first week.",
    "communication": "Announcement by the sponsor, FAQ on the intranet, monthly update.",
    "process_change": "Updated procedure and checklist; the old form is withdrawn.",
    "support": "Floor walkers in the first fortnight and a channel answered within a day.",
}

SUMMARY = (
    "{title}: the people who do this work today keep the decision but start from the "
    "system's draft. We bring each group along with training, communication and support "
    "sized to how much changes for them, led by a champion from the business."
)


def _people_by_unit() -> dict[int, list[User]]:
    partners = set(
        User.objects.filter(role_assignments__role=Role.PARTNER).values_list("pk", flat=True)
    )
    found: dict[int, list[User]] = {}
    for person in Person.objects.select_related("user").filter(user__is_active=True):
        if person.org_unit_id is not None and person.user_id not in partners:
            found.setdefault(person.org_unit_id, []).append(person.user)
    return found


def _latest_users() -> dict[int, int]:
    latest: dict[int, int] = {}
    for uc_id, users in Adoption.objects.order_by("use_case_id", "period_start").values_list(
        "use_case_id", "active_users"
    ):
        latest[uc_id] = users
    return latest


def _plan(uc: UseCase, people: list[User], latest: int | None, today: dt.date, rng: Any) -> None:
    live = uc.stage != "pilot"
    others = [p for p in people if p.pk != uc.owner_id]
    champion = rng.choice(others) if others and (live or rng.random() < 0.6) else None
    go_live = known(uc.stage_entered_on) + dt.timedelta(days=rng.randint(30, 120))
    status = {"pilot": "draft", "scaling": "in_progress", "operational": "done"}[uc.stage]
    plan = services.create_plan(
        actor=None,
        use_case=uc,
        summary=SUMMARY.format(title=uc.title),
        champion=champion,
        go_live_on=go_live,
        status=status if champion or live else "draft",
    )
    total = max(20, int((latest or rng.randint(40, 400)) * rng.uniform(0.8, 1.5)))
    if uc.stage == "operational":
        target_on = today - dt.timedelta(days=rng.randint(10, 120))
    else:
        target_on = today + dt.timedelta(days=rng.randint(30, 200))
    for name, share, what, impact in GROUPS[: rng.randint(2, 4)]:
        target = max(1, int(total * share))
        gap = not live and rng.random() < 0.3
        group = services.add_group(
            actor=None,
            plan=plan,
            name=name,
            size=int(target * rng.uniform(1.1, 1.6)) + 1,
            org_unit=uc.org_unit,
            what_changes=what,
            impact=impact,
            target_users=None if gap else target,
            target_on=None if gap else target_on,
        )
        kinds = rng.sample(list(INTERVENTIONS), rng.randint(0 if gap else 1, 3))
        for kind in kinds:
            due = go_live - dt.timedelta(days=rng.randint(0, 30))
            services.add_intervention(
                actor=None,
                group=group,
                kind=kind,
                description=INTERVENTIONS[kind],
                owner=champion or uc.owner,
                due_on=due,
                status="done" if due < today and (live or rng.random() < 0.5) else "planned",
            )


def seed(*, today: dt.date, rng: random.Random) -> int:
    """Create the demo's change plans; returns how many were made."""
    people = _people_by_unit()
    latest = _latest_users()
    made = 0
    cases = UseCase.objects.filter(stage__in=STAGES).select_related("org_unit").order_by("pk")
    for uc in cases:
        if uc.stage == "pilot" and rng.random() < 0.3:
            continue  # not every pilot has thought about change yet
        _plan(uc, people.get(uc.org_unit_id, []), latest.get(uc.pk), today, rng)
        made += 1
    return made
