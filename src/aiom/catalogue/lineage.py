"""Lineage as an indented tree: upstream products and sources, downstream products and uses.

The graph is read one level at a time (one query per level and direction, at most
`MAX_DEPTH` + 1 levels), then laid out as rows. A product already on the path is marked a
cycle and not expanded; one already expanded elsewhere is marked a repeat, so a tangled
graph yields at most one expanded row per product and never explodes.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from aiom.catalogue.models import DataProduct, UseCaseDataProduct
from aiom.portfolio.models import UseCase

MAX_DEPTH = 10
Edges = dict[int, list[int]]
Kind = Literal["product", "source", "use_case", "hidden"]
Note = Literal["", "cycle", "repeat", "depth limit"]


@dataclass(frozen=True)
class Row:
    depth: int
    kind: Kind
    id: int | None
    name: str
    note: Note = ""
    classification: str = ""
    quality: int | None = None


@dataclass(frozen=True)
class Lineage:
    upstream: list[Row]
    downstream: list[Row]


def _walk(start: int, direction: Literal["up", "down"]) -> tuple[Edges, set[int]]:
    """Edges within MAX_DEPTH levels of `start`, plus one level to tell where the cap cut.

    One query per level.
    """
    through = DataProduct.upstream.through
    src, dst = (
        ("from_dataproduct_id", "to_dataproduct_id")
        if direction == "up"
        else ("to_dataproduct_id", "from_dataproduct_id")
    )
    edges: Edges = {}
    seen, frontier = {start}, [start]
    for _ in range(MAX_DEPTH + 1):
        if not frontier:
            break
        rows = through.objects.filter(**{f"{src}__in": frontier}).values_list(src, dst)
        following = []
        for a, b in rows.order_by(src, dst):
            edges.setdefault(a, []).append(b)
            if b not in seen:
                seen.add(b)
                following.append(b)
        frontier = following
    return edges, seen


def _layout(
    start: int,
    edges: Edges,
    products: dict[int, DataProduct],
    leaves: dict[int, list[Row]],
) -> list[Row]:
    """Depth-first rows below `start` (explicit stack, so no recursion at all)."""
    rows: list[Row] = []
    expanded = {start}
    stack: list[tuple[int, int, tuple[int, ...]]] = [
        (child, 1, (start,)) for child in reversed(edges.get(start, []))
    ]
    rows.extend(leaves.get(start, []))
    while stack:
        pk, depth, path = stack.pop()
        p = products.get(pk)
        if p is None:
            rows.append(Row(depth, "hidden", None, "a data product you cannot see"))
            continue
        note: Note = ""
        if pk in path:
            note = "cycle"
        elif pk in expanded:
            note = "repeat"
        elif depth >= MAX_DEPTH and edges.get(pk):
            note = "depth limit"
        rows.append(Row(depth, "product", pk, p.name, note, p.classification, p.quality_score))
        if note:
            continue
        expanded.add(pk)
        rows.extend(Row(r.depth + depth, r.kind, r.id, r.name) for r in leaves.get(pk, []))
        stack.extend((c, depth + 1, (*path, pk)) for c in reversed(edges.get(pk, [])))
    return rows


def _products(ids: Iterable[int], user: Any) -> dict[int, DataProduct]:
    return {p.pk: p for p in DataProduct.objects.visible_to(user).filter(pk__in=list(ids))}


def lineage(product: DataProduct, user: Any) -> Lineage:
    """Both directions, limited to what `user` may see (hidden nodes stay anonymous)."""
    up_edges, up_ids = _walk(product.pk, "up")
    down_edges, down_ids = _walk(product.pk, "down")
    products = _products(up_ids | down_ids, user)
    sources = {
        pk: [Row(1, "source", None, name) for name in p.external_sources]
        for pk, p in products.items()
        if pk in up_ids
    }
    sources[product.pk] = [Row(1, "source", None, name) for name in product.external_sources]
    visible_uses = UseCase.objects.visible_to(user).values("pk")
    uses: dict[int, list[Row]] = {}
    links = UseCaseDataProduct.objects.filter(
        data_product_id__in=down_ids, use_case__in=visible_uses
    ).select_related("use_case")
    for link in links.order_by("use_case__title", "use_case_id"):
        row = Row(1, "use_case", link.use_case_id, link.use_case.title)
        uses.setdefault(link.data_product_id, []).append(row)
    return Lineage(
        upstream=_layout(product.pk, up_edges, products, sources),
        downstream=_layout(product.pk, down_edges, products, uses),
    )
