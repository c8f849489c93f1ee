"""Lineage trees: sources and upstream products, downstream products and use cases.

Cycles are marked and not followed; depth is capped; each product expands once.
"""

from aiom.catalogue import services
from aiom.catalogue.lineage import MAX_DEPTH, lineage
from tests.catalogue.conftest import Catalogue, product
from tests.conftest import World
from tests.query_counts import Budget


def shape(rows) -> list[tuple[int, str, str, str]]:
    return [(r.depth, r.kind, r.name, r.note) for r in rows]


def test_upstream_and_downstream(world: World, cat: Catalogue) -> None:
    services.link_use_case(actor=world.alice, use_case=world.alice_uc, product=cat.applications)
    scores = product(
        cat.sam, name="Credit scores", domain=world.retail, upstream=[cat.applications]
    )
    up = lineage(cat.applications, world.alice).upstream
    assert shape(up) == [
        (1, "product", "Retail customers", ""),
        (2, "source", "Core banking CRM", ""),
    ]
    down = lineage(cat.customers, world.alice).downstream
    assert shape(down) == [
        (1, "product", "Mortgage applications", ""),
        (2, "use_case", "Mortgage document summariser", ""),
        (2, "product", "Credit scores", ""),
    ]
    assert down[2].id == scores.pk


def test_a_cycle_is_marked_and_not_followed(
    world: World, cat: Catalogue, query_budget: Budget
) -> None:
    # customers -> applications -> customers: a loop through the upstream links
    services.update_data_product(actor=cat.sam, product=cat.customers, upstream=[cat.applications])
    # a ceiling: a few queries per level of the tree (three here), never one per loop turn
    with query_budget("lineage_with_a_cycle", at_most=True):
        tree = lineage(cat.applications, world.alice)
    assert shape(tree.upstream) == [
        (1, "product", "Retail customers", ""),
        (2, "source", "Core banking CRM", ""),
        (2, "product", "Mortgage applications", "cycle"),
    ]
    assert shape(tree.downstream) == [
        (1, "product", "Retail customers", ""),
        (2, "product", "Mortgage applications", "cycle"),
    ]


def test_depth_is_capped(world: World, cat: Catalogue) -> None:
    chain = [cat.customers]
    for i in range(MAX_DEPTH + 3):
        chain.append(product(cat.sam, name=f"Stage {i}", domain=world.retail, upstream=[chain[-1]]))
    rows = lineage(chain[-1], world.alice).upstream
    assert [r.depth for r in rows] == list(range(1, MAX_DEPTH + 1))
    assert rows[-1].note == "depth limit"
    assert [r.note for r in rows[:-1]] == [""] * (MAX_DEPTH - 1)


def test_diamonds_expand_once(world: World, cat: Catalogue) -> None:
    left = product(cat.sam, name="Left", domain=world.retail, upstream=[cat.customers])
    right = product(cat.sam, name="Right", domain=world.retail, upstream=[cat.customers])
    top = product(cat.sam, name="Top", domain=world.retail, upstream=[left, right])
    assert shape(lineage(top, world.alice).upstream) == [
        (1, "product", "Left", ""),
        (2, "product", "Retail customers", ""),
        (3, "source", "Core banking CRM", ""),
        (1, "product", "Right", ""),
        (2, "product", "Retail customers", "repeat"),
    ]


def test_partners_see_hidden_nodes_anonymously(world: World, cat: Catalogue) -> None:
    public = product(
        cat.sam,
        name="Branch list",
        domain=world.retail,
        classification="public",
        upstream=[cat.customers],
    )
    rows = lineage(public, world.pat).upstream
    assert shape(rows) == [(1, "hidden", "a data product you cannot see", "")]
