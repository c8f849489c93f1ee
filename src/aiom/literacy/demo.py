"""Demo training records: most people trained, leaders at leader level, reviewers with
reviewer training (one of them expired), and some gaps, so coverage is interesting.

Works on whoever the other demo seeds created; run it after them. Deterministic for a
given `rng` seed and `today`.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.models import User

from aiom.literacy.models import Source
from aiom.literacy.services import record_training
from aiom.organisation.models import REVIEWER_ROLES, OrgUnit, Role

COURSES = {
    "awareness": ("AI at work: the essentials", "Internal Academy", 730),
    "practitioner": ("Building with AI responsibly", "Coursera for Business", 1095),
    "leader": ("Leading AI transformation", "INSEAD Executive Education", 1095),
    "reviewer": ("Assessing AI risk under the EU AI Act", "Risk & Compliance Institute", 365),
}


def _record(person: User, level: str, completed: dt.date) -> None:
    course, provider, days = COURSES[level]
    record_training(
        actor=None,
        person=person,
        course=course,
        provider=provider,
        level=level,
        completed_on=completed,
        expires_on=completed + dt.timedelta(days=days),
        source=Source.DEMO,
    )


def seed(*, today: dt.date, rng: random.Random) -> int:
    """Create the demo's training records; returns how many were made."""
    people = list(
        User.objects.filter(is_active=True, person__org_unit__isnull=False)
        .exclude(role_assignments__role=Role.PARTNER)
        .order_by("username")
        .distinct()
    )
    leaders = set(OrgUnit.objects.exclude(lead=None).values_list("lead_id", flat=True))
    leaders |= set(
        User.objects.filter(role_assignments__role=Role.EXECUTIVE_SPONSOR).values_list(
            "pk", flat=True
        )
    )
    reviewers = list(
        User.objects.filter(role_assignments__role__in=REVIEWER_ROLES)
        .order_by("username")
        .distinct()
    )
    made = 0
    for person in people:
        if person.pk not in leaders and rng.random() < 0.18:
            continue  # a gap: nobody trained them yet
        level = "leader" if person.pk in leaders else rng.choice(["awareness", "practitioner"])
        if person.pk in leaders and rng.random() < 0.25:
            level = "awareness"  # a leader who has not done the leader course
        _record(person, level, today - dt.timedelta(days=rng.randint(20, 600)))
        made += 1
    for i, reviewer in enumerate(reviewers):
        # The first reviewer's training lapsed a month ago; the rest are current.
        ago = 365 + 30 if i == 0 else rng.randint(10, 300)
        _record(reviewer, "reviewer", today - dt.timedelta(days=ago))
        made += 1
    return made
