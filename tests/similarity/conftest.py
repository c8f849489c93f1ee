from collections.abc import Iterator
from typing import Any

import pytest

from aiom.portfolio import services as portfolio
from aiom.portfolio.models import UseCase
from aiom.similarity import loaded
from tests.conftest import World


@pytest.fixture(autouse=True)
def _fresh_index() -> Iterator[None]:
    loaded.reset()
    yield
    loaded.reset()


@pytest.fixture
def twins(world: World) -> tuple[UseCase, UseCase]:
    """A non-confidential invoice use case in Retail and its twin in Wealth Management."""
    common: dict[str, Any] = {"theme": world.theme}
    retail = portfolio.create_use_case(
        actor=world.alice,
        org_unit=world.retail,
        owner=world.alice,
        title="Supplier invoice extraction",
        problem="Clerks retype supplier invoices by hand into the ledger.",
        vendor="UiPath",
        **common,
    )
    wealth = portfolio.create_use_case(
        actor=world.charlie,
        org_unit=world.wealth,
        owner=world.charlie,
        title="Invoice data extraction for suppliers",
        problem="Supplier invoices are typed into the ledger by hand.",
        vendor="uipath",
        **common,
    )
    return retail, wealth
