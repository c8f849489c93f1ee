"""The shared vocabulary of portfolio analytics: scope, shares, use-case references.

Every figure is computed in the database over `Scope.use_cases(user)`, so a caller never
sees (not even as a count) a use case that `visible_to` hides from them.
"""

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from aiom.organisation.models import OrgUnit
from aiom.portfolio.models import UseCase


@dataclass(frozen=True)
class Scope:
    """Which part of the portfolio a figure covers; every filter is optional.

    `org_unit` includes the unit's whole subtree; `tier="none"` means not yet assessed.
    """

    org_unit: int | None = None
    theme: int | None = None
    tier: str | None = None
    ai_type: str | None = None

    def use_cases(self, user: Any = None) -> QuerySet[UseCase]:
        """The use cases in scope, `visible_to(user)` when a user is given (None = system)."""
        qs: QuerySet[UseCase] = (
            UseCase.objects.all() if user is None else UseCase.objects.visible_to(user)
        )
        return qs.filter(self.q())

    def q(self) -> Q:
        """The scope as a filter on `org_unit_id`, `theme_id`, `tier` and `ai_type`, which
        the use cases and their facts both have (empty for the whole portfolio)."""
        q = Q()
        if self.org_unit is not None:
            # The subtree's unit ids, then the rows by their indexed org_unit_id: the
            # planner walks the few units, not every row joined to its unit's path.
            path = OrgUnit.objects.filter(pk=self.org_unit).values("path")[:1]
            q &= Q(org_unit_id__in=OrgUnit.objects.filter(path__startswith=path).values("pk"))
        if self.theme is not None:
            q &= Q(theme_id=self.theme)
        if self.tier is not None:
            q &= Q(tier="" if self.tier == "none" else self.tier)
        if self.ai_type is not None:
            q &= Q(ai_type=self.ai_type)
        return q


@dataclass(frozen=True)
class Share:
    """`count` of `of`; `.share` is None (not measured) when `of` is 0, never a made-up 0."""

    count: int
    of: int

    @property
    def share(self) -> float | None:
        return None if self.of == 0 else self.count / self.of


@dataclass(frozen=True)
class UseCaseRef:
    """A use case named in a list (over SLA, dragging a figure down), with why."""

    id: int
    title: str
    org_unit: str
    stage: str
    days: int | None = None
    sla_days: int | None = None
    reason: str = ""


REF_FIELDS = (
    "id",
    "title",
    "org_unit__name",
    "stage",
    "stage_entered_on",
    "stage_entered_precision",
)


def ref(
    row: dict[str, Any], today: dt.date, reason: str = "", sla: int | None = None
) -> UseCaseRef:
    """A UseCaseRef from a `.values(*REF_FIELDS)` row; days = days in its current stage,
    None when the entry day is unknown or known only to its month, quarter or year."""
    entered = row["stage_entered_on"]
    by_day = entered is not None and row.get("stage_entered_precision", "day") == "day"
    return UseCaseRef(
        id=row["id"],
        title=row["title"],
        org_unit=row["org_unit__name"],
        stage=row["stage"],
        days=(today - entered).days if by_day else None,
        sla_days=sla,
        reason=reason,
    )


def left_out_note(n: int, reason: str) -> str:
    """The one sentence every page, API and CSV shows under a figure that leaves use cases
    out for want of a date: "1,807 use cases without a proposal date are not in this
    figure" ("" when none is left out)."""
    if n <= 0:
        return ""
    if n == 1:
        return f"1 use case {reason} is not in this figure"
    return f"{n:,} use cases {reason} are not in this figure"


PARTIAL = "known only to the month, quarter or year"


def date_reason(what: str, unknown: int, partial: int) -> str:
    """Why use cases were left out: `what` (e.g. "proposal date") unknown, or known only
    to a period the figure cannot place."""
    if unknown and partial:
        return f"without a {what} ({unknown:,}) or with one {PARTIAL} ({partial:,})"
    if partial:
        return f"whose {what} is {PARTIAL}"
    return f"without a {what}"


def percentile(ordered: list[int], q: float) -> float | None:
    """Linear-interpolated percentile of an ascending list (q=0.5 is the median)."""
    if not ordered:
        return None
    pos = (len(ordered) - 1) * q
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def whole_days(value: float) -> int:
    """Days rounded half up, as the templates' `floatformat` does (a median of 370.5 days
    is 371 everywhere, not 370 in one place by Python's round-half-even)."""
    return math.floor(value + 0.5)


def quarter_end(key: str) -> dt.date:
    year, q = int(key[:4]), int(key[-1])
    first_next = dt.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)
    return first_next - dt.timedelta(days=1)


def last_quarters(today: dt.date, n: int = 4) -> list[str]:
    """The n quarters ending with today's, oldest first: ["2025-Q3", ..., "2026-Q2"]."""
    year, q = today.year, (today.month - 1) // 3 + 1
    keys = []
    for _ in range(n):
        keys.append(f"{year}-Q{q}")
        year, q = (year - 1, 4) if q == 1 else (year, q - 1)
    return keys[::-1]


def quarter_start(key: str) -> dt.date:
    year, q = int(key[:4]), int(key[-1])
    return dt.date(year, 3 * (q - 1) + 1, 1)


def in_scope(scope_qs: QuerySet[UseCase], field: str = "use_case") -> Q:
    """Q restricting rows of a related model to the use cases in `scope_qs` (a subquery).

    An unfiltered scope (an administrator looking at the whole organisation) restricts
    nothing, so no subquery: every related row belongs to some use case anyway.
    """
    if not scope_qs.query.where:
        return Q()
    return Q(**{f"{field}__in": scope_qs.values("pk")})
