import random
from typing import Any

from aiom.literacy import demo
from aiom.literacy.coverage import coverage
from aiom.literacy.enforcement import reviewer_trained
from aiom.literacy.models import TrainingRecord
from aiom.literacy.policy import LiteracyRules
from tests.literacy.conftest import TODAY


def test_seed_trains_most_people_with_one_lapsed_reviewer(world: Any) -> None:
    made = demo.seed(today=TODAY, rng=random.Random(7))
    assert made == TrainingRecord.objects.count() > 0
    assert set(TrainingRecord.objects.values_list("source", flat=True)) == {"demo"}
    assert not TrainingRecord.objects.filter(person=world.pat).exists()
    cov = coverage(today=TODAY, policy=LiteracyRules())
    assert cov.reviewers == 1 and cov.trained_reviewers == 0  # Rita is the lapsed one
    policy = LiteracyRules.model_validate(
        {"require": [{"role": "risk_reviewer", "level": "reviewer"}]}
    )
    ok, reason = reviewer_trained(world.rita, TODAY, policy)
    assert ok is False and "expired" in reason
