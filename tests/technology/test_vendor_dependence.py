"""A dependency on a vendor: a vendor link, the vendor of every linked model and platform,
and the free-text vendor, once per use case; the registry and the figures agree."""

from typing import Any

from django.test import Client

from aiom.insights import analytics
from aiom.insights.analytics.base import Scope
from aiom.technology import queries, services
from aiom.technology.models import Platform
from tests.conftest import World
from tests.query_counts import Budget
from tests.technology.conftest import Registry, bought

ALL = Scope()


def test_every_route_counts_once_per_use_case(world: World, reg: Registry) -> None:
    a = bought(world, "Typed only", world.retail, vendor=" openai ")  # free text
    b = bought(world, "Linked elsewhere", world.wealth, vendor="Globex")  # link and text
    services.link(actor=None, use_case=b, record=reg.acme)
    c = bought(world, "Two vendors", world.cards, vendor="")
    services.link(actor=None, use_case=c, record=reg.acme)
    services.link(actor=None, use_case=c, record=reg.openai)
    services.link(actor=None, use_case=c, record=reg.gpt)  # OpenAI again: still once
    # Alice's built summariser links GPT-4o (OpenAI's) and OpenAI; her secret predictor
    # links GPT-4o only: both depend on OpenAI, through the model.
    v = analytics.vendor_dependence(ALL)
    assert v.bought.count == 3
    assert [(name, n) for name, n, _ in v.top] == [("OpenAI", 4), ("Acme AI", 2), ("Globex", 1)]
    assert v.dependent == 5 and v.top[0][2] == 4 / 5
    assert v.hhi is not None and abs(v.hhi - 21 / 49) < 1e-9
    assert a.vendor == "openai"


def test_a_platform_vendor_counts(world: World, reg: Registry) -> None:
    services.update_record(actor=reg.ian, record=reg.gateway, vendor=reg.acme.pk)
    assert Platform.objects.get(pk=reg.gateway.pk).vendor == reg.acme
    # the gateway serves Alice's summariser and Charlie's confidential churn warning
    v = analytics.vendor_dependence(ALL)
    assert {name: n for name, n, _ in v.top}["Acme AI"] == 2
    routes = {d.use_case.title: d.via for d in queries.dependents(reg.acme, world.ada)}
    assert routes[world.alice_uc.title] == "platform LLM gateway"


def test_the_registry_page_of_a_model_and_of_its_vendor_agree(
    world: World, reg: Registry, login: Any
) -> None:
    """GPT-4o serves two use cases; its vendor OpenAI serves them both (and any other)."""
    client: Client = login("ada")
    model_page = client.get(f"/registry/models/{reg.gpt.pk}/").content.decode()
    vendor_page = client.get(f"/registry/vendors/{reg.openai.pk}/").content.decode()
    assert 'data-figure="used_by">2 use cases<' in model_page
    assert 'data-figure="used_by">2 use cases<' in vendor_page
    assert "via linked directly; model GPT-4o" in vendor_page  # each route, named
    listed = {v.name: v.uses for v in queries.vendors_for(world.ada)}
    assert listed["OpenAI"] == 2
    api = client.get(f"/api/v1/registry/vendors/{reg.openai.pk}")
    assert api.status_code == 200 and api.json()["used_by"] == 2


def test_visibility_applies_to_every_route(world: World, reg: Registry) -> None:
    secret = bought(world, "Secret buy", world.retail, vendor="Acme AI", confidential=True)
    services.link(actor=None, use_case=secret, record=reg.acme)
    for_charlie = {n: k for n, k, _ in analytics.vendor_dependence(ALL, user=world.charlie).top}
    assert "Acme AI" not in for_charlie
    assert {v.name: v.uses for v in queries.vendors_for(world.charlie)}["Acme AI"] == 0
    for_ada = {v.name: v.uses for v in queries.vendors_for(world.ada)}
    assert for_ada["Acme AI"] == 1  # linked and typed: one use case


def test_a_fixed_number_of_queries(world: World, reg: Registry, query_budget: Budget) -> None:
    for i in range(3):
        services.link(actor=None, use_case=bought(world, f"X{i}", world.retail), record=reg.acme)
    # sourcing counts, the links of all three kinds (one union), the typed names, the
    # registry's names, and the audit head: the figure is kept until a write
    with query_budget("vendor_dependence"):
        analytics.vendor_dependence(ALL)
