"""The demo seed (two history points per unit, by its lead) and evidence from live data."""

import datetime as dt
import random

from aiom.insights.maturity import demo
from aiom.insights.maturity.fetch import gather
from aiom.maturity.models import SelfAssessment
from aiom.organisation import services as org
from aiom.portfolio import services as portfolio
from tests.conftest import World


def test_seed_writes_two_points_per_present_unit_showing_progress(world: World) -> None:
    group = org.create_org_unit(actor=None, name="Demo group", code="demo-group", lead=world.ada)
    org.create_org_unit(
        actor=None, name="Demo retail", parent=group, code="demo-retail", lead=world.bob
    )
    org.create_org_unit(
        actor=None, name="Demo HR", parent=group, code="demo-hr", lead=world.charlie
    )
    today = dt.date(2026, 5, 1)
    assert demo.seed(today=today, rng=random.Random(7)) == 6
    for unit, lead in ((None, world.ada), ("demo-retail", world.bob), ("demo-hr", world.charlie)):
        rows = list(
            SelfAssessment.objects.filter(org_unit__code=unit)
            if unit
            else SelfAssessment.objects.filter(org_unit=None)
        )
        assert len(rows) == 2
        recent, earlier = rows
        assert {r.assessed_by for r in rows} == {lead}
        assert recent.overall_score > earlier.overall_score
        assert (today - earlier.assessed_at.date()).days >= demo.EARLIER_DAYS
        assert (today - recent.assessed_at.date()).days <= 20
    assert demo.seed(today=today, rng=random.Random(7)) == 0  # already seeded


def test_evidence_from_the_live_portfolio_respects_visibility(world: World) -> None:
    org_wide = gather(None, today=dt.date(2026, 5, 1))
    assert set(org_wide.dimensions) == {"people", "processes", "technology", "data", "governance"}
    governance = {i.key: i for i in org_wide.dimensions["governance"].inputs}
    assert governance["owner_coverage"].shown == "100% (3 of 3)"
    people = {i.key: i for i in org_wide.dimensions["people"].inputs}
    assert people["training"].health == 0.0  # nobody in scope holds current training
    assert "People with current AI training" not in org_wide.dimensions["people"].missing
    portfolio.update_use_case(actor=world.alice, use_case=world.alice_uc, sponsor=world.bob)
    charlie_sees = gather(None, today=dt.date(2026, 5, 1), user=world.charlie)
    shown = {i.key: i.shown for i in charlie_sees.dimensions["people"].inputs}
    assert shown["sponsor_coverage"] == "50% (1 of 2)"  # not alice's confidential one
    retail = gather(world.retail.pk, today=dt.date(2026, 5, 1))
    assert {i.key: i.shown for i in retail.dimensions["governance"].inputs}[
        "owner_coverage"
    ] == "100% (2 of 2)"
    assert [g.text for g in retail.gaps if g.dimension == "people"] == [
        "1 use case without a sponsor"
    ]
