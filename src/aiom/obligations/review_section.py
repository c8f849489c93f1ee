"""The review brief's obligations section: what is still open on the use case under review.

Registered with `governance.reviews.brief_sections` (key `obligations`) by
ObligationsConfig.ready(); shown by `obligations/_review_section.html`.
"""

from aiom.governance.models import ReviewRequest
from aiom.governance.reviews import brief_sections
from aiom.obligations.reading import Item, overview


def open_items(review: ReviewRequest) -> list[Item]:
    """The use case's obligations not yet met nor marked not applicable."""
    return [i for i in overview(review.use_case).items if i.owed.is_open]


def register() -> None:
    brief_sections.register("obligations", "obligations/_review_section.html", open_items, order=10)
