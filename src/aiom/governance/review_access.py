"""One way in to a review, or a condition of an approval, named by id.

Pages and the API ask `review_for(request, pk)` and `condition_for(request, pk)`. Both
follow their use case's visibility (`review_queries.reviews_visible_to`); one the user may
not see answers 404 exactly as one that does not exist.
"""

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.http import Http404, HttpRequest

from aiom.governance.models import ReviewCondition, ReviewRequest, ReviewStatus
from aiom.governance.reviews import services as reviews
from aiom.governance.reviews.queries import reviews_visible_to

REVIEW_NOT_FOUND = "No such review, or not one you may see."
CONDITION_NOT_FOUND = "No such condition, or not one you may see."


@dataclass(frozen=True)
class ReviewAccess:
    review: ReviewRequest
    user: Any

    @cached_property
    def slot(self) -> str | None:
        """The approval slot the user would fill by deciding now; None if they may not."""
        if self.review.status != ReviewStatus.OPEN:
            return None
        return reviews.slot_for(self.user, self.review)


def review_for(request: HttpRequest, pk: int) -> ReviewAccess:
    """The review if `request.user` may see its use case; 404 otherwise."""
    found = reviews_visible_to(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404(REVIEW_NOT_FOUND)
    return ReviewAccess(found, request.user)


def condition_for(request: HttpRequest, pk: int) -> ReviewCondition:
    """The condition if `request.user` may see its review (who may close it depends on how:
    `conditions.may_close`); 404 otherwise."""
    visible = reviews_visible_to(request.user).values("pk")
    found = ReviewCondition.objects.filter(pk=pk, review__in=visible).first()
    if found is None:
        raise Http404(CONDITION_NOT_FOUND)
    return found
