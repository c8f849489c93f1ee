"""Suggestions for a draft or an existing use case: text similarity plus other signals.

final score = text score + 0.1 per shared data product (at most 2) + 0.05 for the same
vendor, capped at 1. Use cases in other org units (neither above nor below the draft's)
are ranked first when within OTHER_UNIT_NUDGE of a same-unit one; the nudge orders, the
score shown is not changed. Only use cases `user` may see are ever suggested, and none
they may not see moves a score or takes a place among the candidates (`index.View`).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aiom.catalogue.models import UseCaseDataProduct
from aiom.organisation.models import OrgUnit
from aiom.portfolio.models import UseCase
from aiom.similarity import index as similarity_index
from aiom.similarity import loaded, snapshots, tasks
from aiom.similarity.corpus import document_text

PRODUCT_WEIGHT = 0.1
MAX_PRODUCTS = 2
VENDOR_WEIGHT = 0.05
OTHER_UNIT_NUDGE = 0.05
POOL = 40
NOT_VENDORS = frozenset({"", "n/a", "na", "none", "tbd", "unknown", "in-house", "internal"})


@dataclass(frozen=True)
class Draft:
    title: str
    problem: str = ""
    description: str = ""
    value_hypothesis: str = ""
    org_unit_id: int | None = None
    vendor: str = ""
    use_case_id: int | None = None

    @property
    def text(self) -> str:
        return document_text(self.title, self.problem, self.description, self.value_hypothesis)


@dataclass(frozen=True)
class Suggestion:
    use_case_id: int
    title: str
    org_unit_id: int
    org_unit: str
    other_unit: bool
    score: float
    text_score: float
    shared_terms: tuple[str, ...]
    reasons: list[str] = field(default_factory=list)


def vendor_key(vendor: str) -> str:
    key = " ".join(vendor.casefold().split())
    return "" if key in NOT_VENDORS else key


def combine(
    text_score: float, shared_terms: tuple[str, ...], products: list[str], vendor: str
) -> tuple[float, list[str]]:
    """The final score and its reasons, from the text score and the other signals (pure)."""
    reasons = [f"shared terms: {', '.join(shared_terms)}"] if shared_terms else []
    score = text_score + PRODUCT_WEIGHT * min(len(products), MAX_PRODUCTS)
    reasons += [f"shared data product: {name}" for name in products]
    if vendor:
        score += VENDOR_WEIGHT
        reasons.append(f"same vendor: {vendor}")
    return min(score, 1.0), reasons


def _unrelated_units(a: str | None, b: str) -> bool:
    return a is None or not (a.startswith(b) or b.startswith(a))


def text_hits(
    view: similarity_index.View, text: str, k: int, exclude: int | None = None
) -> dict[int, tuple[float, tuple[str, ...]]]:
    """The `k` best of the viewer's shared partition plus the `k` best of the confidential
    use cases they may see, scored alike; nothing they may not see takes part."""
    method, idx = view.index.method, view.index
    skip = view.hidden | {exclude} if exclude is not None else view.hidden
    found = method.query(text, k, skip)
    if view.extra:
        found += method.query_extra(text, idx.confidential, k, view.extra - {exclude})
    return {pk: (score, terms) for pk, score, terms in found}


def similar(user: Any, draft: Draft, k: int = 5) -> list[Suggestion]:
    """The `k` visible use cases most like `draft`, other org units first when close
    (from the snapshot's index, loaded in this process when first needed)."""
    view = loaded.view_for(user)
    hits = text_hits(view, draft.text, POOL, draft.use_case_id)
    return _ranked(user, draft, hits, view.index.entries, k)


def _ranked(
    user: Any,
    draft: Draft,
    hits: dict[int, tuple[float, tuple[str, ...]]],
    entries: Mapping[int, similarity_index.Entry],
    k: int,
) -> list[Suggestion]:
    """The text hits plus the other signals, ranked; `entries` describes the hits (a hit
    it does not describe is left out)."""
    products: dict[int, list[str]] = {}
    if draft.use_case_id is not None:
        mine = UseCaseDataProduct.objects.filter(use_case_id=draft.use_case_id)
        shared = UseCaseDataProduct.objects.filter(
            data_product__in=mine.values("data_product"),
            use_case__in=UseCase.objects.visible_to(user).values("pk"),
        ).exclude(use_case_id=draft.use_case_id)
        for pk, name in shared.values_list("use_case_id", "data_product__name"):
            products.setdefault(pk, []).append(name)
            hits.setdefault(pk, (0.0, ()))
    if products and not set(products) <= set(entries):  # visible: the query above says so
        entries = {**entries, **entries_of([pk for pk in products if pk not in entries], user)}
    unit_path = None
    if draft.org_unit_id is not None:
        unit_path = (
            OrgUnit.objects.filter(pk=draft.org_unit_id).values_list("path", flat=True).first()
        )
    my_vendor = vendor_key(draft.vendor)
    found = []
    for pk, (text_score, terms) in hits.items():
        entry = entries.get(pk)
        if entry is None:
            continue
        same_vendor = (
            entry.vendor.strip() if my_vendor and vendor_key(entry.vendor) == my_vendor else ""
        )
        score, reasons = combine(text_score, terms, products.get(pk, []), same_vendor)
        other = unit_path is not None and _unrelated_units(unit_path, entry.unit_path)
        found.append(
            Suggestion(
                pk,
                entry.title,
                entry.org_unit_id,
                entry.unit_name,
                other,
                round(score, 3),
                round(text_score, 3),
                terms,
                reasons,
            )
        )
    found.sort(
        key=lambda s: (-(s.score + (OTHER_UNIT_NUDGE if s.other_unit else 0)), s.use_case_id)
    )
    return found[:k]


def entries_of(ids: list[int], user: Any) -> dict[int, similarity_index.Entry]:
    """The use cases `ids` that `user` may see, as they are now (one query by primary key:
    visibility is applied to these few rows, not computed over the portfolio)."""
    rows = (
        UseCase.objects.visible_to(user)
        .filter(pk__in=ids)
        .values_list("id", "title", "org_unit_id", "org_unit__name", "org_unit__path", "vendor")
    )
    return {row[0]: similarity_index.Entry(*row) for row in rows}


def draft_of(use_case: UseCase) -> Draft:
    return Draft(
        use_case.title,
        use_case.problem,
        use_case.description,
        use_case.value_hypothesis,
        use_case.org_unit_id,
        use_case.vendor,
        use_case.pk,
    )


def similar_to(user: Any, use_case: UseCase, k: int = 5) -> list[Suggestion] | None:
    """The `k` visible use cases most like `use_case`, from its persisted neighbours (a
    few indexed rows, no index), visibility applied as they are read; None while no
    snapshot exists yet (a rebuild is asked for). A partner granted some units is
    answered from an index of what they may see (`index.scoped`)."""
    if similarity_index.needs_own_index(user):
        return similar(user, draft_of(use_case), k)
    snap = snapshots.ready()
    if snap is None:
        tasks.enqueue_rebuild()
        return None
    rows = snapshots.neighbours(snap, use_case.pk)
    hits = {other: (raw, terms) for _, other, raw, _, terms in rows}
    entries = entries_of(list(hits), user)  # the ones they may not see are dropped here
    visible = {pk: hit for pk, hit in hits.items() if pk in entries}
    return _ranked(user, draft_of(use_case), visible, entries, k)
