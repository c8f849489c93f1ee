"""What the facts keep per use case for the figures (facts.py: `reached`, the period ends
`*_until`) agrees with a computation from the rows after every kind of write, and the
figures that read them agree with their definitions.

The from-scratch side here reads the source rows directly (stage changes, the use case's
dates), not `facts.compute`, so a wrong kept column cannot agree with itself.
"""

import datetime as dt
import itertools
from typing import Any

import pytest
from django.db.models import Q

from aiom.core import date_periods
from aiom.core.partial_dates import Precision, start_of
from aiom.governance.reviews import services as reviews
from aiom.insights.analytics import facts, spans
from aiom.insights.analytics.base import Scope
from aiom.insights.analytics.stage_reach import stage_reach
from aiom.lifecycle import services as lifecycle
from aiom.lifecycle.models import StageChange
from aiom.portfolio import services as portfolio
from aiom.portfolio.models import UseCase
from aiom.value import services as value
from aiom.value.models import UseCaseFacts
from tests.conftest import World
from tests.insights.analytics.conftest import make
from tests.lifecycle.conftest import CRITERIA, advance, approve_fully, today


def _end(day: dt.date | None, precision: str) -> dt.date | None:
    return None if day is None else date_periods.end_of(day, precision)


def kept(uc: UseCase) -> UseCaseFacts:
    facts.current()
    return UseCaseFacts.objects.get(use_case=uc)


def from_scratch(uc: UseCase) -> dict[str, Any]:
    changes = StageChange.objects.filter(use_case=uc)
    first = changes.filter(from_stage="").order_by("on").first()
    return {
        "reached": ",".join(sorted(set(changes.values_list("to_stage", flat=True)))),
        "proposed_until": _end(uc.proposed_on, uc.proposed_precision),
        "stage_entered_until": _end(uc.stage_entered_on, uc.stage_entered_precision),
        "created_until": None if first is None else _end(first.on, first.on_precision),
    }


def assert_kept() -> None:
    """Every use case's kept columns equal the from-scratch ones; no facts row is left
    for a deleted use case; and the incremental rows equal a full recomputation."""
    facts.current()
    kept = {f.use_case_id: f for f in UseCaseFacts.objects.all()}
    use_cases = list(UseCase.objects.all())
    assert set(kept) == {uc.pk for uc in use_cases}
    for uc in use_cases:
        row = kept[uc.pk]
        have = {k: getattr(row, k) for k in ("reached", *spans_fields())}
        assert have == from_scratch(uc), uc.title
    assert facts.verify() == []


def spans_fields() -> tuple[str, ...]:
    return ("proposed_until", "stage_entered_until", "created_until")


def reach_by_definition(keys: list[str]) -> list[tuple[str, int, int, int]]:
    """(stage, ever entered, there now, there now without a recorded entry) from the rows."""
    out = []
    for key in keys:
        into = set(StageChange.objects.filter(to_stage=key).values_list("use_case_id", flat=True))
        there = set(UseCase.objects.filter(stage=key).values_list("pk", flat=True))
        out.append((key, len(into | there), len(there), len(there - into)))
    return out


KEYS = ["intake", "feasibility", "risk_review", "pilot", "scaling", "stopped"]


def assert_reach() -> None:
    got = [(r.key, r.entered, r.now, r.unrecorded) for r in stage_reach(Scope(), KEYS)]
    assert got == reach_by_definition(KEYS)


def test_kept_columns_after_stage_changes_reviews_measurements_and_deletions(
    world: World, ready: UseCase, reviewers: dict[str, Any]
) -> None:
    assert_kept()
    uc = advance(ready, world.alice, "feasibility", "risk_review")  # stage changes
    assert_kept()
    assert_reach()
    lifecycle.plan_pilot(
        actor=world.alice,
        use_case=uc,
        exit_criteria=CRITERIA,
        ends_on=today() + dt.timedelta(days=30),
    )
    review = reviews.request_review(actor=world.alice, use_case=uc, to_stage="pilot")
    assert_kept()
    approve_fully(review, list(reviewers.values()))  # review decisions
    assert_kept()
    uc = advance(uc, world.alice, "pilot")
    assert kept(uc).reached == "feasibility,intake,pilot,risk_review"
    kpi = value.define_kpi(
        actor=world.alice, use_case=uc, name="Hours saved", baseline=0, target=10, cadence_days=30
    )
    value.record_measurement(actor=world.alice, kpi=kpi, value=4, measured_on=today())
    assert_kept()
    lifecycle.transition(
        actor=world.alice, use_case=uc, to_stage="stopped", reason="No measurable gain."
    )
    assert_kept()
    assert_reach()
    # deletions: a stage change (ORM, through the signals), then a whole use case
    StageChange.objects.filter(use_case=uc, to_stage="feasibility").delete()
    assert "feasibility" not in kept(uc).reached
    assert_kept()
    assert_reach()
    other = make(world, "To be deleted", stage="pilot", entered=40)
    assert_kept()
    UseCase.objects.filter(pk=other.pk).delete()
    assert_kept()
    assert_reach()


def test_kept_period_ends_of_partial_dates(world: World) -> None:
    """A proposal and a stage entry known to a quarter or a year, and an import's first
    change known to a month: each keeps its period's last day."""
    uc = make(world, "Partial", stage="pilot", entered=400)
    portfolio.update_use_case(
        actor=world.alice,
        use_case=uc,
        proposed_on=dt.date(2023, 4, 1),
        proposed_precision=Precision.QUARTER,
    )
    UseCase.objects.filter(pk=uc.pk).update(
        stage_entered_on=dt.date(2024, 1, 1), stage_entered_precision=Precision.YEAR
    )
    StageChange.objects.filter(use_case=uc, from_stage="").update(
        on=dt.date(2022, 2, 1), on_precision=Precision.MONTH
    )
    facts.touch([uc.pk])  # written behind the services: say so
    row = kept(uc)
    assert (row.proposed_until, row.stage_entered_until, row.created_until) == (
        dt.date(2023, 6, 30),
        dt.date(2024, 12, 31),
        dt.date(2022, 2, 28),
    )
    assert_kept()


DAYS = [dt.date(2023, 1, 1), dt.date(2023, 2, 15), dt.date(2023, 3, 31), dt.date(2023, 11, 1)]
CUTS = [
    dt.date(2023, 1, 1),
    dt.date(2023, 2, 1),
    dt.date(2023, 2, 16),
    dt.date(2023, 4, 1),
    dt.date(2023, 12, 31),
    dt.date(2024, 1, 1),
]


@pytest.fixture
def partial_proposals(world: World) -> dict[int, tuple[dt.date | None, str]]:
    """One use case per (day, precision), as stored (its period's first day), plus one
    whose proposal is unknown."""
    made: dict[int, tuple[dt.date | None, str]] = {}
    for day, precision in itertools.product(DAYS, date_periods.PRECISIONS):
        stored = start_of(day, precision)
        uc = make(world, f"{day} {precision}", proposed_on=stored)
        UseCase.objects.filter(pk=uc.pk).update(proposed_precision=precision)
        made[uc.pk] = (stored, precision)
    unknown = make(world, "Unknown proposal")
    UseCase.objects.filter(pk=unknown.pk).update(proposed_on=None)  # as an import leaves it
    made[unknown.pk] = (None, Precision.DAY)
    facts.touch(made)
    facts.current()
    return made


def _matched(q: Q, ids: set[int]) -> set[int]:
    return set(UseCaseFacts.objects.filter(q, use_case_id__in=ids).values_list("pk", flat=True))


def test_span_filters_match_the_period_rules(
    partial_proposals: dict[int, tuple[dt.date | None, str]],
) -> None:
    """spans.py over the kept period ends selects exactly the rows date_periods.py's rules
    (in Python and per precision in SQL) select, for bounds on and inside periods."""
    ids = set(partial_proposals)

    def where(rule: Any) -> set[int]:
        return {pk for pk, (day, precision) in partial_proposals.items() if rule(day, precision)}

    for cut in CUTS:
        assert _matched(spans.before_q("proposed", cut), ids) == where(
            lambda d, p, c=cut: date_periods.before(d, p, c) is True
        )
        assert _matched(spans.straddles_day_q("proposed", cut), ids) == where(
            lambda d, p, c=cut: d is not None and date_periods.before(d, p, c) is None
        )
        assert _matched(spans.before_q("proposed", cut), ids) == _matched(
            date_periods.before_q("proposed_on", "proposed_precision", cut), ids
        )
    for since, until in itertools.product([None, *CUTS], [None, *CUTS]):
        if since is not None and until is not None and until < since:
            continue
        inside = _matched(spans.inside_q("proposed", since, until), ids)
        assert inside == where(lambda d, p, a=since, b=until: date_periods.inside(d, p, a, b))
        assert inside == _matched(
            date_periods.inside_q("proposed_on", "proposed_precision", since, until), ids
        )
        assert _matched(spans.straddles_q("proposed", since, until), ids) == _matched(
            date_periods.straddles_q("proposed_on", "proposed_precision", since, until), ids
        )
