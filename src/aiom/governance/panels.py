"""Governance's sections of the use-case page: the risk assessment (beside the pilot) and
the reviews with their decisions (registered in GovernanceConfig.ready)."""

from typing import Any

from django.http import HttpRequest

from aiom.governance.assessments.services import can_assess, current_assessment
from aiom.governance.reviews.queries import reviews_of
from aiom.governance.reviews.services import slot_for
from aiom.portfolio import panels
from aiom.portfolio.models import UseCase

REVIEWS_SHOWN = 20


def assessment_context(request: HttpRequest, use_case: UseCase) -> dict[str, Any]:
    return {
        "assessment": current_assessment(use_case),
        "can_assess": can_assess(request.user, use_case),
    }


def reviews_context(request: HttpRequest, use_case: UseCase) -> dict[str, Any]:
    """The latest reviews, each with the slot this viewer could fill while it is open."""
    reviews = list(reviews_of(use_case).order_by("-requested_at")[:REVIEWS_SHOWN])
    for review in reviews:
        review.my_slot = slot_for(request.user, review) if review.status == "open" else None  # type: ignore[attr-defined]
    return {"reviews": reviews}


def register() -> None:
    panels.register(
        "assessment",
        "governance/_assessment_summary.html",
        assessment_context,
        order=20,
        row="risk-and-pilot",
    )
    panels.register("reviews", "lifecycle/_reviews.html", reviews_context, order=900)
