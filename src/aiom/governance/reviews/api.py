"""/use-cases/{id}/reviews, /reviews (the queue), /reviews/{id}/decisions, /decisions."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from aiom.core.api_support import require_scope
from aiom.governance.models import Decision, ReviewCondition, ReviewRequest
from aiom.governance.review_access import condition_for, review_for
from aiom.governance.reviews import conditions as review_conditions
from aiom.governance.reviews import services as reviews
from aiom.governance.reviews.queries import decisions_visible_to, queue_for, reviews_visible_to
from aiom.governance.reviews.schemas import (
    ConditionCloseIn,
    DecisionIn,
    DecisionOut,
    ReviewConditionOut,
    ReviewOut,
    ReviewRequestIn,
)
from aiom.portfolio.access import use_case_for

router = Router(tags=["reviews and decisions"])


@router.post(
    "/use-cases/{int:use_case_id}/reviews",
    response={201: ReviewOut},
    summary="Ask the tier's reviewers to approve a move",
)
def post_review(
    request: HttpRequest, use_case_id: int, payload: ReviewRequestIn
) -> Status[ReviewRequest]:
    require_scope(request, "write")
    uc = use_case_for(request, use_case_id).use_case
    review = reviews.request_review(actor=request.user, use_case=uc, to_stage=payload.to_stage)
    return Status(201, review_for(request, review.pk).review)


@router.get(
    "/use-cases/{int:use_case_id}/reviews",
    response=list[ReviewOut],
    summary="Reviews of one use case, newest first",
)
@paginate(LimitOffsetPagination)
def list_use_case_reviews(request: HttpRequest, use_case_id: int) -> Any:
    uc = use_case_for(request, use_case_id).use_case
    return reviews_visible_to(request.user).filter(use_case=uc).order_by("-requested_at")


@router.get(
    "/reviews",
    response=list[ReviewOut],
    summary="Reviews you may see; queue=mine gives the ones you can decide now",
)
@paginate(LimitOffsetPagination)
def list_reviews(request: HttpRequest, queue: str | None = None, status: str | None = None) -> Any:
    if queue == "mine":
        return queue_for(request.user)
    found = reviews_visible_to(request.user).order_by("-requested_at")
    return found.filter(status=status) if status else found


@router.get("/reviews/{int:review_id}", response=ReviewOut, summary="One review")
def get_review(request: HttpRequest, review_id: int) -> ReviewRequest:
    return review_for(request, review_id).review


@router.post(
    "/reviews/{int:review_id}/decisions",
    response={201: DecisionOut},
    summary="Decide: approve, approve with conditions, request changes or reject",
)
def post_decision(request: HttpRequest, review_id: int, payload: DecisionIn) -> Status[Decision]:
    require_scope(request, "write")
    review = review_for(request, review_id).review
    conditions = payload.conditions
    decision = reviews.decide(
        actor=request.user,
        review=review,
        outcome=payload.outcome,
        rationale=payload.rationale,
        conditions=conditions
        if isinstance(conditions, str)
        else [c.model_dump() for c in conditions],
    )
    return Status(201, decision)


@router.post(
    "/review-conditions/{int:condition_id}/close",
    response=ReviewConditionOut,
    summary="Close a condition of an approval as met, or waive it with a reason",
)
def post_close_condition(
    request: HttpRequest, condition_id: int, payload: ConditionCloseIn
) -> ReviewCondition:
    require_scope(request, "write")
    found = condition_for(request, condition_id)
    return review_conditions.close_condition(
        actor=request.user, condition=found, status=payload.status, note=payload.note
    )


@router.post(
    "/reviews/{int:review_id}/withdraw", response=ReviewOut, summary="Withdraw an open review"
)
def post_withdraw(request: HttpRequest, review_id: int) -> ReviewRequest:
    require_scope(request, "write")
    reviews.withdraw_review(actor=request.user, review=review_for(request, review_id).review)
    return review_for(request, review_id).review


@router.get(
    "/decisions",
    response=list[DecisionOut],
    summary="The decisions register: what was decided and why (confidentiality kept)",
)
@paginate(LimitOffsetPagination)
def list_decisions(request: HttpRequest, outcome: str | None = None) -> Any:
    found = decisions_visible_to(request.user)
    return found.filter(outcome=outcome) if outcome else found
