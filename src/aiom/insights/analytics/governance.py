"""Governance timing: is risk engaged early, and do reviews keep their SLA?

At intake = the use case's FIRST assessment was made while it sat in the policy's first
stage. A review's cycle ends at its last decision (not `closed_at`, which a transition
overwrites when it uses an approval); "within SLA" = decided on or before `due_on`.
Caveat: the median review cycle costs two ordered one-row queries (the middle rows).
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery

from aiom.core.memo import live
from aiom.governance.models import Decision, ReviewRequest, ReviewStatus
from aiom.insights.analytics.base import Scope, Share, in_scope
from aiom.insights.analytics.sql import DateOf, DaysBetween
from aiom.insights.analytics.tally import tally
from aiom.portfolio.models import UseCase

DECIDED = (
    ReviewStatus.APPROVED,
    ReviewStatus.CHANGES_REQUESTED,
    ReviewStatus.REJECTED,
    ReviewStatus.USED,
)


@dataclass(frozen=True)
class GovernanceTiming:
    assessed: int
    at_intake: Share
    review_median_days: float | None
    reviews_within_sla: Share
    reviews_open_overdue: int


def decided_reviews(qs: QuerySet[UseCase]) -> QuerySet[ReviewRequest]:
    """Decided reviews of use cases in scope, annotated with `cycle_days` and `decided_on`."""
    last = (
        Decision.objects.filter(review=OuterRef("pk")).order_by("-decided_at").values("decided_at")
    )[:1]
    return (
        ReviewRequest.objects.filter(in_scope(qs), status__in=DECIDED)
        .annotate(decided_on=DateOf(Subquery(last)))
        .filter(decided_on__isnull=False)
        .annotate(cycle_days=DaysBetween(F("decided_on"), F("requested_at")))
    )


def _median(reviews: QuerySet[ReviewRequest], n: int) -> float | None:
    if n == 0:
        return None
    lo = (n - 1) // 2
    annotated: Any = reviews  # the stubs cannot see the cycle_days annotation
    rows = annotated.order_by("cycle_days").values_list("cycle_days", flat=True)
    days = [int(d) for d in rows[lo : lo + 2 - n % 2]]
    return sum(days) / len(days)


@live
def governance_timing(scope: Scope, *, today: dt.date, user: Any = None) -> GovernanceTiming:
    """Assessed at intake, review cycle median, reviews within SLA, open overdue reviews."""
    qs = scope.use_cases(user)
    t = tally(scope, today=today, user=user)
    reviews = decided_reviews(qs)
    timing = reviews.order_by().aggregate(
        n=Count("pk"), within=Count("pk", filter=Q(decided_on__lte=F("due_on")))
    )
    overdue = ReviewRequest.objects.filter(
        in_scope(qs), status=ReviewStatus.OPEN, due_on__lt=today
    ).count()
    return GovernanceTiming(
        assessed=t.assessed,
        at_intake=Share(t.assessed_at, t.assessed),
        review_median_days=_median(reviews, timing["n"]),
        reviews_within_sla=Share(timing["within"], timing["n"]),
        reviews_open_overdue=overdue,
    )
