"""From stored links to readiness facts: what the gate, the use-case page and the API read.

`data_facts_for_many` answers for any number of use cases in one query per 500 ids, so
the gate builder, the simulator and analytics never query per use case.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from aiom.catalogue.checks import (
    FACTS_KEY,
    MIN_PRODUCTS,
    DataProductFacts,
    data_reasons,
    product_problems,
)
from aiom.catalogue.models import AccessStatus, UseCaseDataProduct
from aiom.catalogue.policy import DataRules
from aiom.governance.policy.versions import active_policy
from aiom.portfolio.models import UseCase

BATCH = 500
__all__ = ["FACTS_KEY", "Readiness", "current_rules", "data_facts_for_many", "readiness"]


@dataclass(frozen=True)
class ProductStatus:
    facts: DataProductFacts
    problems: tuple[str, ...]

    @property
    def ready(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Readiness:
    """Is the use case's data ready, why not, and each linked product's own verdict."""

    ready: bool
    reasons: list[str]
    products: tuple[ProductStatus, ...]
    rules: DataRules


def data_facts_for_many(use_case_ids: Iterable[int]) -> dict[int, tuple[DataProductFacts, ...]]:
    """Each use case's linked products as plain facts; every id given gets an entry."""
    ids = list(dict.fromkeys(use_case_ids))
    found: dict[int, list[DataProductFacts]] = {i: [] for i in ids}
    for start in range(0, len(ids), BATCH):
        rows = (
            UseCaseDataProduct.objects.filter(use_case_id__in=ids[start : start + BATCH])
            .order_by("data_product__name", "data_product_id")
            .values_list(
                "use_case_id",
                "data_product_id",
                "data_product__name",
                "data_product__steward_id",
                "data_product__classification",
                "data_product__quality_score",
                "data_product__quality_checked_on",
                "data_product__access_status",
            )
        )
        for uc_id, pk, name, steward, cls, quality, checked, status in rows:
            found[uc_id].append(
                DataProductFacts(
                    pk, name, steward, cls, quality, checked, status == AccessStatus.RETIRED
                )
            )
    return {uc_id: tuple(facts) for uc_id, facts in found.items()}


def current_rules() -> DataRules:
    return active_policy().policy.section(DataRules)


def readiness(
    use_case: UseCase,
    *,
    today: dt.date | None = None,
    rules: DataRules | None = None,
    min_products: int = MIN_PRODUCTS,
) -> Readiness:
    """The data readiness of one use case under the active policy (or `rules`)."""
    rules = rules or current_rules()
    today = today or timezone.localdate()
    facts = data_facts_for_many([use_case.pk])[use_case.pk]
    reasons = data_reasons(facts, rules, today, min_products)
    statuses = tuple(ProductStatus(f, tuple(product_problems(f, rules, today))) for f in facts)
    return Readiness(not reasons, reasons, statuses, rules)
