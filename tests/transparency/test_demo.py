import datetime as dt
import random

from aiom.governance.policy.versions import active_policy
from aiom.transparency import demo
from aiom.transparency.models import PublicationDecision
from aiom.transparency.policy import TransparencyRules
from aiom.transparency.register import register
from aiom.transparency.rules import Publishable
from tests.transparency.conftest import operational

TODAY = dt.date(2026, 6, 1)


def test_seed_publishes_several_declines_one_and_keeps_confidential_out(world, cora):
    ucs = [operational(world, f"Ops {i}", description=f"Does thing {i}. More.") for i in range(11)]
    secret = operational(world, "Secret ops", confidential=True)
    made = demo.seed(today=TODAY, rng=random.Random(3))
    assert made == 8
    policy = active_policy().policy
    reg = register(policy.section(TransparencyRules), Publishable.of(policy))
    assert reg.count == 8
    assert {e.summary for e in reg.entries} <= {f"Does thing {i}." for i in range(11)}
    assert all(e.human_oversight and e.contact for e in reg.entries)
    declined = PublicationDecision.objects.get(publish=False)
    assert declined.use_case in ucs and declined.decided_by == cora
    assert not PublicationDecision.objects.filter(use_case=secret).exists()
    assert len(ucs) - made - 1 == 2  # two stay undecided


def test_seed_without_operational_use_cases_does_nothing(world):
    assert demo.seed(today=TODAY, rng=random.Random(3)) == 0
    assert not PublicationDecision.objects.exists()
