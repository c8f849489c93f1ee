"""From stored rows to the plain facts `derive` and the gate check read.

`load_many(ids)` answers in two queries whatever the number of use cases; it is the
loader registered as the gate facts under `FACTS_KEY`.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from aiom.governance.policy.versions import active_policy
from aiom.obligations.derive import CaseFacts, ObligationFacts
from aiom.obligations.models import ObligationStatus
from aiom.obligations.pack import Pack, load
from aiom.obligations.policy import ObligationRules
from aiom.portfolio.models import UseCase

CASE_FIELDS = (
    "tier",
    "ai_type",
    "stage",
    "customer_facing",
    "personal_data",
    "automated_decisions",
)


def case_facts(uc: UseCase) -> CaseFacts:
    return CaseFacts(
        tier=uc.tier,
        ai_type=uc.ai_type,
        stage=uc.stage,
        customer_facing=uc.customer_facing,
        personal_data=uc.personal_data,
        automated_decisions=uc.automated_decisions,
    )


def active_pack() -> Pack:
    """The pack the active policy names."""
    return load(active_policy().policy.section(ObligationRules).pack).pack


def recorded_for(ids: Iterable[int] | QuerySet[Any]) -> dict[int, dict[str, tuple[str, str]]]:
    """use case id -> obligation key -> (status, reason); `ids` may be a pk queryset."""
    out: dict[int, dict[str, tuple[str, str]]] = {}
    wanted = ids if isinstance(ids, QuerySet) else list(ids)
    rows = ObligationStatus.objects.filter(use_case_id__in=wanted).values_list(
        "use_case_id", "obligation", "status", "reason"
    )
    for uc_id, key, status, reason in rows:
        out.setdefault(uc_id, {})[key] = (status, reason)
    return out


def load_many(ids: list[int]) -> dict[int, ObligationFacts]:
    """{use case id: facts} for the gate, in two queries."""
    recorded = recorded_for(ids)
    rows = UseCase.objects.filter(pk__in=ids).values("pk", *CASE_FIELDS)
    return {
        row["pk"]: ObligationFacts(
            CaseFacts(**{k: row[k] for k in CASE_FIELDS}), recorded.get(row["pk"], {})
        )
        for row in rows
    }
