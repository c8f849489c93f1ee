"""Training for the personas: Alice leads Retail with leader training; Bob's awareness has
expired; Charlie (an executive sponsor) is a practitioner; Rita's reviewer training expired
on 2026-03-01 but her awareness is current; Ada has none. Coverage is taken on TODAY.
"""

import datetime as dt
from typing import Any

import pytest

from aiom.literacy.policy import LiteracyRules
from aiom.organisation import services as org
from aiom.organisation.models import Role

TODAY = dt.date(2026, 6, 1)
# What a policy requiring training looks like (the shipped default requires none).
REQUIRING = LiteracyRules.model_validate(
    {
        "target": 0.8,
        "require": [
            {"role": "risk_reviewer", "level": "reviewer"},
            {"role": "compliance_reviewer", "level": "reviewer"},
            {"role": "executive_sponsor", "level": "leader"},
        ],
        "high_tier_owner_level": "practitioner",
    }
)


@pytest.fixture
def trained(world: Any) -> Any:
    from aiom.literacy.services import record_training  # needs the app installed

    org.update_org_unit(actor=None, unit=world.retail, lead=world.alice)
    org.assign_role(actor=None, user=world.charlie, role=Role.EXECUTIVE_SPONSOR, org_unit=None)
    rows = [
        (world.alice, "leader", dt.date(2025, 9, 1), None),
        (world.bob, "awareness", dt.date(2024, 1, 1), dt.date(2025, 1, 1)),
        (world.charlie, "practitioner", dt.date(2025, 5, 1), dt.date(2027, 5, 1)),
        (world.rita, "reviewer", dt.date(2025, 3, 1), dt.date(2026, 3, 1)),
        (world.rita, "awareness", dt.date(2025, 3, 1), None),
    ]
    for person, level, done, expires in rows:
        record_training(
            actor=None,
            person=person,
            course=f"{level} course",
            provider="Academy",
            level=level,
            completed_on=done,
            expires_on=expires,
        )
    return world
