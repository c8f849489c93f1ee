"""Demo publication decisions: several operational use cases on the public register.

Decided by the head of regulatory compliance (a global compliance reviewer) when the
demo has one, else by the system. One operational use case gets a recorded decision
not to publish, others stay undecided, and confidential ones are never considered.
Deterministic for a given `rng` seed and `today`.
"""

from __future__ import annotations

import datetime as dt
import random
import re

from django.contrib.auth.models import User

from aiom.core.partial_dates import known
from aiom.organisation.models import Role
from aiom.portfolio.models import UseCase
from aiom.transparency.oversight import HUMAN_DECIDES, HUMAN_REVIEWS
from aiom.transparency.services import decide_publication

PUBLISH = 8
CONTACT = "ai-transparency@example.com"
OVERSIGHT = {
    "generative": "Staff read and correct every draft before it is used; nothing is sent "
    "or saved without a person's approval.",
    "agent": "The system acts only within limits set by its owners; staff review its "
    "actions daily and can stop it at any time.",
}
# Automated decisions about people are recorded for these: the statement must say so.
OVERSIGHT_DECISIONS = (
    "It decides routine cases on its own; staff review a sample of its decisions every "
    "week, and you can ask for a person to review any decision about you."
)
OVERSIGHT_DEFAULT = (
    "Its results are checked by the team that uses them, and its accuracy is reviewed "
    "regularly by its business owner."
)


def summary_for(uc: UseCase) -> str:
    """The first sentence of the solution, in the demo's plain words."""
    text = " ".join((uc.description or uc.problem).split())
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    return first or uc.title


def oversight_for(uc: UseCase) -> tuple[str, str]:
    """The public statement and the oversight mode that agree with the use case's facts."""
    if uc.automated_decisions:
        return OVERSIGHT_DECISIONS, HUMAN_REVIEWS
    return OVERSIGHT.get(uc.ai_type, OVERSIGHT_DEFAULT), HUMAN_DECIDES


def _decider() -> User | None:
    found = User.objects.filter(
        role_assignments__role=Role.COMPLIANCE_REVIEWER, role_assignments__org_unit=None
    )
    return found.order_by("username").first()


def seed(*, today: dt.date, rng: random.Random) -> int:
    """Publish a handful of operational, non-confidential use cases; returns how many."""
    candidates = list(
        UseCase.objects.filter(stage="operational", confidential=False)
        .select_related("org_unit")
        .order_by("pk")
    )
    if not candidates:
        return 0
    actor = _decider()
    chosen = rng.sample(candidates, min(len(candidates), PUBLISH + 1))
    declined, published = chosen[0], chosen[1:]
    for uc in published:
        day = min(today, known(uc.stage_entered_on) + dt.timedelta(days=rng.randint(7, 60)))
        statement, mode = oversight_for(uc)
        decide_publication(
            actor=actor,
            use_case=uc,
            publish=True,
            rationale="In live use with the public affected; reviewed for publication.",
            public_summary=summary_for(uc),
            human_oversight=statement,
            oversight_mode=mode,
            contact=CONTACT,
            today=day,
        )
    if len(chosen) > 1:
        decide_publication(
            actor=actor,
            use_case=declined,
            publish=False,
            rationale="Internal tooling only; the public summary is still being written.",
            today=today,
        )
    return len(published)
