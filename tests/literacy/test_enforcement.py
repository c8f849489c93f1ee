import datetime as dt

import pytest

from aiom.literacy.enforcement import owner_trained_for_tier, reviewer_trained
from aiom.literacy.policy import LiteracyRules
from aiom.literacy.services import record_training
from tests.literacy.conftest import REQUIRING, TODAY


def test_reviewer_with_expired_training_may_not_decide(trained):
    ok, reason = reviewer_trained(trained.rita, TODAY, REQUIRING)
    assert ok is False
    assert reason == "Rita Example has no current reviewer training (last: expired 2026-03-01)"


def test_reviewer_with_current_training_may_decide(trained):
    ok, reason = reviewer_trained(trained.rita, dt.date(2026, 2, 1), REQUIRING)
    assert ok is True and "holds current reviewer training" in reason
    record_training(
        actor=None,
        person=trained.rita,
        course="Refresher",
        provider="Academy",
        level="reviewer",
        completed_on=dt.date(2026, 1, 1),
    )
    assert reviewer_trained(trained.rita, TODAY, REQUIRING)[0] is True


def test_no_record_at_all(trained):
    assert reviewer_trained(trained.ada, TODAY, REQUIRING) == (
        False,
        "Ada Example has no reviewer training on record",
    )


def test_policy_without_reviewer_requirement(trained):
    policy = LiteracyRules(require=[])
    assert reviewer_trained(trained.ada, TODAY, policy)[0] is True


@pytest.mark.parametrize(
    ("name", "tier", "ok"),
    [
        ("alice", "high", True),  # leader counts for practitioner
        ("charlie", "high", True),
        ("bob", "high", False),
        ("ada", "high", False),
        ("ada", "medium", True),
        ("bob", None, True),
    ],
)
def test_owner_of_high_tier(trained, name, tier, ok):
    got, reason = owner_trained_for_tier(getattr(trained, name), tier, TODAY, REQUIRING)
    assert got is ok and reason


def test_owner_reason_names_the_level(trained):
    _, reason = owner_trained_for_tier(trained.bob, "high", TODAY, REQUIRING)
    assert reason == (
        "Bob Example has no practitioner training on record; "
        "owning a high-tier use case needs practitioner level or above"
    )


def test_shipped_policy_requires_nothing(trained):
    assert reviewer_trained(trained.ada, TODAY)[0] is True
    assert owner_trained_for_tier(trained.bob, "high", TODAY)[0] is True
