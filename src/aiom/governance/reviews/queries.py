"""Permission-scoped reads of reviews and decisions, shared by pages and the API."""

from typing import Any

from django.db.models import Prefetch, QuerySet

from aiom.governance.models import Decision, ReviewCondition, ReviewRequest, ReviewStatus
from aiom.governance.reviews.services import slot_for
from aiom.portfolio.models import UseCase


def _conditions() -> QuerySet[ReviewCondition]:
    return ReviewCondition.objects.select_related("owner", "closed_by").order_by("due_on", "id")


def reviews_visible_to(user: Any) -> QuerySet[ReviewRequest]:
    return _with_details(
        ReviewRequest.objects.filter(use_case__in=UseCase.objects.visible_to(user).values("pk"))
    )


def reviews_of(use_case: UseCase) -> QuerySet[ReviewRequest]:
    """The reviews of one use case the caller has already found visible
    (`portfolio.access.use_case_for`): reviews follow their use case's visibility, so no
    second, portfolio-wide filter."""
    return _with_details(ReviewRequest.objects.filter(use_case=use_case))


def _with_details(reviews: QuerySet[ReviewRequest]) -> QuerySet[ReviewRequest]:
    return reviews.select_related(
        "use_case__org_unit", "use_case__owner", "requested_by"
    ).prefetch_related(
        Prefetch(
            "decisions",
            queryset=Decision.objects.order_by("decided_at").prefetch_related(
                Prefetch("condition_items", queryset=_conditions())
            ),
        )
    )


def queue_for(user: Any) -> list[ReviewRequest]:
    """Open reviews this user may decide now, oldest due first."""
    open_reviews = reviews_visible_to(user).filter(status=ReviewStatus.OPEN).order_by("due_on")
    return [
        r
        for r in open_reviews
        if slot_for(user, r) is not None
        and not any(d.reviewer_id == user.pk for d in r.decisions.all())
    ]


def decisions_visible_to(user: Any) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(review__use_case__in=UseCase.objects.visible_to(user).values("pk"))
        .select_related("review__use_case__org_unit")
        .prefetch_related(Prefetch("condition_items", queryset=_conditions()))
        .order_by("-decided_at", "-id")
    )
