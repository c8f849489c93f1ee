"""After a change the index in hand answers while ONE background thread rebuilds it."""

from typing import Any

import pytest

from aiom.portfolio import services as portfolio
from aiom.similarity import index
from tests.conftest import World


@pytest.mark.django_db(transaction=True)  # the rebuild thread reads committed rows only
def test_a_change_is_answered_from_the_index_in_hand_then_rebuilt(
    world: World, settings: Any
) -> None:
    settings.AIOM_SIMILARITY_SYNC_REBUILD = False
    settings.AIOM_SIMILARITY_REFRESH_SECONDS = 0  # check the portfolio on every read
    first = index.current()  # the first read builds it, synchronously
    assert world.alice_uc.pk in first.entries
    added = portfolio.create_use_case(
        actor=world.alice,
        org_unit=world.retail,
        owner=world.alice,
        theme=world.theme,
        title="Grant application chatbot",
    )
    assert index.current() is first  # stale, and no page waits for the rebuild
    assert index.current() is first  # still: one rebuild, not one per read
    index.wait_for_rebuild()
    fresh = index.current()
    assert fresh is not first and added.pk in fresh.entries
    assert fresh.signature == index.signature()


@pytest.mark.django_db(transaction=True)
def test_a_young_index_answers_without_looking_at_the_portfolio(
    world: World, settings: Any, django_assert_num_queries: Any
) -> None:
    settings.AIOM_SIMILARITY_SYNC_REBUILD = False
    settings.AIOM_SIMILARITY_REFRESH_SECONDS = 3600
    first = index.current()
    portfolio.create_use_case(
        actor=world.alice, org_unit=world.retail, owner=world.alice, title="Fresh idea"
    )
    with django_assert_num_queries(0):
        assert index.current() is first  # within the refresh window: not even checked


def test_tests_and_sync_mode_rebuild_before_answering(world: World) -> None:
    first = index.current()
    added = portfolio.create_use_case(
        actor=world.alice,
        org_unit=world.retail,
        owner=world.alice,
        theme=world.theme,
        title="Grant application chatbot",
    )
    assert added.pk in index.current().entries and index.current() is not first
