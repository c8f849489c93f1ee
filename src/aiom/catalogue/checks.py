"""Data readiness as plain facts and the `data_ready` gate check (pure: no ORM).

A use case is data-ready when at least `min_products` data products are linked (default
one: a gate asking for data wants data) and every linked product has a steward, a
classification, a quality score at or above the policy's floor checked within its
freshness window, and is not retired. The gate reads `facts.extra["data_products"]`;
when the gate builder did not load it, the check fails rather than passing blind.
"""

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiom.catalogue.policy import DataRules
from aiom.lifecycle.checks import GateFacts
from aiom.lifecycle.gate_registry import check

if TYPE_CHECKING:
    from aiom.governance.policy.schema import Policy

MIN_PRODUCTS = 1  # the check's `min_products` when the gate does not say
FACTS_KEY = "data_products"


@dataclass(frozen=True)
class DataProductFacts:
    """One linked data product, as the readiness rules see it."""

    product_id: int
    name: str
    steward_id: int | None
    classification: str
    quality: int | None
    checked_on: dt.date | None
    retired: bool = False


def product_problems(p: DataProductFacts, rules: DataRules, today: dt.date) -> list[str]:
    """Why one product is not ready; empty when it is."""
    problems = []
    if p.retired:
        problems.append(f"“{p.name}” is retired.")
    if p.steward_id is None:
        problems.append(f"“{p.name}” has no data steward.")
    if not p.classification:
        problems.append(f"“{p.name}” is not classified.")
    if p.quality is None or p.checked_on is None:
        problems.append(f"“{p.name}” has no quality score yet.")
    else:
        if p.quality < rules.quality_floor:
            problems.append(
                f"“{p.name}” scores {p.quality} for quality, below the floor of "
                f"{rules.quality_floor}."
            )
        age = (today - p.checked_on).days
        if age > rules.freshness_days:
            problems.append(
                f"“{p.name}” was last checked on {p.checked_on:%d %b %Y}, {age} days ago; "
                f"the policy wants a check every {rules.freshness_days} days."
            )
    return problems


def data_reasons(
    products: tuple[DataProductFacts, ...],
    rules: DataRules,
    today: dt.date,
    min_products: int = MIN_PRODUCTS,
) -> list[str]:
    """Every reason the data is not ready; empty when it is."""
    reasons = []
    if len(products) < min_products:
        reasons.append(
            "No data product is linked: link the data this use case consumes."
            if not products
            else f"Only {len(products)} data products are linked; at least {min_products} needed."
        )
    for p in products:
        reasons.extend(product_problems(p, rules, today))
    return reasons


@check(
    "data_ready",
    "Linked data products are stewarded, classified, good and fresh enough",
    reads=(FACTS_KEY,),
)
def _data_ready(f: GateFacts, p: "Policy", params: dict[str, Any]) -> tuple[bool, str]:
    products = f.extra.get(FACTS_KEY)
    if products is None:
        return False, "The data products of this use case were not loaded; cannot judge them."
    least = int(params.get("min_products", MIN_PRODUCTS))
    reasons = data_reasons(tuple(products), p.section(DataRules), f.today, least)
    if reasons:
        return False, " ".join(reasons)
    count = len(products)
    return True, f"{count} data product{'' if count == 1 else 's'}, all ready."
