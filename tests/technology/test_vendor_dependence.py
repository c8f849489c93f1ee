"""Vendor dependence reads the registry's vendor links, falling back to free text."""

from typing import Any

from aiom.technology import services
from aiom.value import analytics
from aiom.value.analytics.base import Scope
from tests.conftest import World
from tests.technology.conftest import Registry, bought

ALL = Scope()


def test_links_count_per_vendor_and_free_text_fills_in(world: World, reg: Registry) -> None:
    a = bought(world, "Typed only", world.retail, vendor=" openai ")  # no link: free text
    b = bought(world, "Linked elsewhere", world.wealth, vendor="Globex")  # link wins over text
    services.link(actor=None, use_case=b, record=reg.acme)
    c = bought(world, "Two vendors", world.cards, vendor="")
    services.link(actor=None, use_case=c, record=reg.acme)
    services.link(actor=None, use_case=c, record=reg.openai)
    # The built summariser links OpenAI too, but a built use case is no vendor dependence.
    v = analytics.vendor_dependence(ALL)
    assert v.bought.count == 3
    assert [(name, n) for name, n, _ in v.top] == [("Acme AI", 2), ("OpenAI", 2)]
    assert v.top[0][2] == 2 / 3
    assert "Globex" not in [name for name, _, _ in v.top]
    assert v.hhi is not None and abs(v.hhi - 0.5) < 1e-9
    assert a.vendor == "openai"


def test_visibility_applies_to_the_links(world: World, reg: Registry) -> None:
    secret = bought(world, "Secret buy", world.retail, confidential=True)
    services.link(actor=None, use_case=secret, record=reg.acme)
    assert [n for n, _, _ in analytics.vendor_dependence(ALL, user=world.alice).top] == ["Acme AI"]
    assert analytics.vendor_dependence(ALL, user=world.charlie).top == []


def test_two_queries(world: World, reg: Registry, django_assert_num_queries: Any) -> None:
    services.link(actor=None, use_case=bought(world, "X", world.retail), record=reg.acme)
    with django_assert_num_queries(3):  # and the audit head: the figure is kept until a write
        analytics.vendor_dependence(ALL)
