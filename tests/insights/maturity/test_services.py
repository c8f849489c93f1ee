"""self_assess: who may answer for which unit, completeness, the stored row and its audit."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.core.models import AuditEvent
from aiom.insights.maturity import services
from aiom.insights.maturity.model import DIMENSIONS, current
from aiom.maturity.models import SelfAssessment
from aiom.organisation import services as org
from tests.conftest import World


def answers(score: int = 2) -> dict[str, str]:
    return {
        q.key: next(a.key for a in q.answers if a.score == score)
        for _, q in current().model.questions()
    }


@pytest.fixture
def leads(world: World) -> World:
    """Bob leads Retail Banking (and so Cards below it); Charlie leads Wealth Management."""
    org.update_org_unit(actor=None, unit=world.retail, lead=world.bob)
    org.update_org_unit(actor=None, unit=world.wealth, lead=world.charlie)
    return world


def test_a_lead_self_assesses_and_the_row_and_audit_are_stored(leads: World) -> None:
    row = services.self_assess(actor=leads.bob, org_unit=leads.retail, answers=answers(2))
    assert (row.overall_score, row.overall_level) == (Decimal("66.7"), "integrated")
    assert row.dimension_scores == dict.fromkeys(DIMENSIONS, 66.7)
    assert row.model_version == current().sha256
    stored = SelfAssessment.objects.get()
    assert (stored.pk, stored.org_unit, stored.assessed_by) == (row.pk, leads.retail, leads.bob)
    assert stored.answers == answers(2)
    event = AuditEvent.objects.filter(object_type="maturity.selfassessment").get()
    assert (event.action, event.actor, event.object_id) == ("self_assess", leads.bob, str(row.pk))
    assert event.after is not None and event.after["overall_level"] == "integrated"


@pytest.mark.parametrize(
    ("persona", "unit", "allowed"),
    [
        ("bob", "retail", True),  # lead of the unit
        ("bob", "cards", True),  # lead of an ancestor
        ("bob", "wealth", False),  # another unit
        ("bob", None, False),  # the whole organisation: administrators only
        ("charlie", "retail", False),  # another unit's lead
        ("ada", "cards", True),  # administrator
        ("ada", None, True),
        ("alice", "retail", False),  # a business owner who leads nothing
        ("pat", "retail", False),  # external partner
        ("rita", "retail", False),
    ],
)
def test_who_may_self_assess(leads: World, persona: str, unit: str | None, allowed: bool) -> None:
    actor = getattr(leads, persona)
    target = getattr(leads, unit) if unit else None
    assert services.can_self_assess(actor, target) is allowed
    if allowed:
        services.self_assess(actor=actor, org_unit=target, answers=answers())
        assert SelfAssessment.objects.count() == 1
    else:
        with pytest.raises(PermissionDenied):
            services.self_assess(actor=actor, org_unit=target, answers=answers())
        assert not SelfAssessment.objects.exists()


def test_every_question_must_be_answered(leads: World) -> None:
    given: dict[str, Any] = answers()
    given.pop("data_access")
    given["governance_review"] = "sometimes"
    with pytest.raises(InvalidInput) as caught:
        services.self_assess(actor=leads.bob, org_unit=leads.retail, answers=given)
    assert caught.value.errors == {
        "data_access": "unanswered",
        "governance_review": "not one of: none, some, most, all",
    }
    assert not SelfAssessment.objects.exists()
    assert not AuditEvent.objects.filter(object_type="maturity.selfassessment").exists()


def test_the_system_may_backdate_and_history_is_kept(leads: World) -> None:
    then = timezone.now() - dt.timedelta(days=180)
    old = services.self_assess(actor=None, org_unit=None, answers=answers(1), assessed_at=then)
    new = services.self_assess(actor=leads.ada, org_unit=None, answers=answers(3))
    assert old.assessed_by is None and old.assessed_at == then
    assert services.latest(None) == new
    assert list(SelfAssessment.objects.filter(org_unit=None)) == [new, old]
