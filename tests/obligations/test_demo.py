import datetime as dt
import random

from aiom.obligations import demo
from aiom.obligations.models import Evidence, ObligationStatus
from aiom.portfolio.models import UseCase
from tests.conftest import World


def test_seed_marks_use_cases_past_feasibility(world: World) -> None:
    assert demo.seed(today=dt.date(2026, 11, 27), rng=random.Random(7)) == 0  # all at intake
    UseCase.objects.filter(pk=world.alice_uc.pk).update(stage="operational")
    made = demo.seed(today=dt.date(2026, 11, 27), rng=random.Random(7))
    assert made == ObligationStatus.objects.count() > 0
    assert set(ObligationStatus.objects.values_list("use_case_id", flat=True)) == {
        world.alice_uc.pk
    }
    for ev in Evidence.objects.all():
        assert ev.url.startswith(demo.EVIDENCE_BASE) and not ev.is_file
