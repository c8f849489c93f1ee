"""The prioritised backlog: current scores of visible use cases in the prioritisation stages.

Ranked by value x feasibility (then value, then title), so two use cases with the same
product keep a stable order. Ranks count within what the viewer may see and the filters.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F

from aiom.governance.policy.versions import active_policy
from aiom.organisation.models import OrgUnit
from aiom.portfolio.models import UseCase
from aiom.value.models import PriorityScore
from aiom.value.policy import Prioritisation
from aiom.value.priority import quadrant

LIMIT = 500


@dataclass(frozen=True)
class Entry:
    rank: int
    score: PriorityScore
    quadrant: str

    @property
    def use_case(self) -> UseCase:
        return self.score.use_case

    @property
    def product(self) -> Decimal:
        return self.score.value_score * self.score.feasibility_score


def prioritisation_stages() -> list[str]:
    rules = active_policy().policy.optional_section(Prioritisation)
    return list(rules.stages) if rules is not None else []


def backlog(
    user: Any, *, theme: int | None = None, org_unit: int | None = None, limit: int = LIMIT
) -> list[Entry]:
    """Up to `limit` ranked entries the user may see, optionally for one theme or unit subtree."""
    use_cases = UseCase.objects.visible_to(user).filter(stage__in=prioritisation_stages())
    if theme is not None:
        use_cases = use_cases.filter(theme_id=theme)
    if org_unit is not None:
        path = OrgUnit.objects.filter(pk=org_unit).values("path")[:1]
        use_cases = use_cases.filter(org_unit__path__startswith=path)
    scores = (
        PriorityScore.objects.filter(is_current=True, use_case__in=use_cases.values("pk"))
        .select_related("use_case__org_unit", "use_case__theme")
        .annotate(product=F("value_score") * F("feasibility_score"))
        .order_by("-product", "-value_score", "use_case__title", "pk")[:limit]
    )
    return [
        Entry(rank, s, quadrant(s.value_score, s.feasibility_score))
        for rank, s in enumerate(scores, start=1)
    ]
