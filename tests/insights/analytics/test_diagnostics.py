"""The eight questions: shape, visibility, empty units, laggards, and a bounded query count."""

from typing import Any

import pytest

from aiom.insights import analytics
from aiom.insights.analytics import QUESTIONS, Scope
from tests.conftest import World
from tests.insights.analytics.conftest import make, today
from tests.query_counts import Budget


def by_key(scope: Scope, user: Any = None) -> dict[str, analytics.Diagnostic]:
    return {d.key: d for d in analytics.diagnostics(scope, today=today(), user=user)}


def test_eight_questions_in_order_with_four_quarter_trends(world: World) -> None:
    result = analytics.diagnostics(Scope(), today=today())
    assert [d.key for d in result] == list(QUESTIONS)
    for d in result:
        assert len(d.trend) == 4 and d.answer.endswith(".")
    data = by_key(Scope())["data_readiness"]
    assert data.figure.value is None and data.figure.text == "not measured"
    assert data.laggards == [] and "Not measured" in data.answer


def test_ownership_with_laggards(world: World) -> None:
    orphan = make(world, "Orphan", owner=None)
    d = by_key(Scope())["ownership"]
    assert (d.figure.value, d.figure.text, d.figure.numerator, d.figure.denominator) == (
        75,
        "75%",
        3,
        4,
    )
    assert [r.id for r in d.laggards] == [orphan.pk]
    assert d.laggards[0].org_unit == "Retail Banking" and d.laggards[0].reason


def test_confidential_use_cases_are_not_counted_for_an_outsider(world: World) -> None:
    make(world, "Secret orphan", owner=None, confidential=True)
    for_charlie = by_key(Scope(), world.charlie)["ownership"]
    for_ada = by_key(Scope(), world.ada)["ownership"]
    # Charlie sees alice_uc and his own wealth_secret; Ada sees all four.
    assert "of the 2 use cases" in for_charlie.answer and for_charlie.laggards == []
    assert "of the 4 use cases" in for_ada.answer
    assert [r.title for r in for_ada.laggards] == ["Secret orphan"]


def test_an_empty_org_unit_is_not_measured(world: World) -> None:
    for d in analytics.diagnostics(Scope(org_unit=world.cards.pk), today=today()):
        assert d.laggards == []
        if d.key in ("ownership", "success_measured", "handover", "embedded"):
            assert d.figure.value is None and d.answer.startswith("Not measured")
    pilots = by_key(Scope(org_unit=world.cards.pk))["pilot_to_scale"]
    assert pilots.figure.value is None and pilots.answer.startswith("No pilot has been decided")


def test_query_count_is_bounded(world: World, query_budget: Budget) -> None:
    for i in range(5):
        make(world, f"Extra {i}", owner=None, stage="scaling", entered=200)
    by_key(Scope(), world.alice)  # warm the access cache and the parsed policy
    with query_budget("diagnostics"):  # fixed: it does not grow with the portfolio
        analytics.diagnostics(Scope(org_unit=world.retail.pk), today=today(), user=world.alice)


def test_figures_are_kept_until_an_audited_write(
    world: World, django_assert_num_queries: Any
) -> None:
    scope = Scope(org_unit=world.retail.pk)
    before = by_key(scope, world.alice)["ownership"]
    with django_assert_num_queries(1):  # only the audit head: the portfolio has not changed
        assert by_key(scope, world.alice)["ownership"] == before
    make(world, "Unowned helper", owner=None)  # through the service: audited
    after = by_key(scope, world.alice)["ownership"]
    assert after.answer != before.answer and after.figure != before.figure


def test_kept_figures_never_cross_visibility(world: World) -> None:
    everything = by_key(Scope(), world.ada)["ownership"].answer
    assert by_key(Scope(), world.rita)["ownership"].answer == everything  # global reviewer
    assert by_key(Scope(), world.charlie)["ownership"].answer != everything


@pytest.mark.parametrize("key", ["embedded", "handover"])
def test_scaling_use_cases_drag_embedding_and_handover_down(world: World, key: str) -> None:
    late = make(world, "Scaling too long", stage="scaling", entered=200)
    assert late.pk in [r.id for r in by_key(Scope())[key].laggards]
