"""The review brief's incidents section: the use case's incidents not yet closed.

Registered with `governance.reviews.brief_sections` (key `incidents`) by
MonitoringConfig.ready(); shown by `monitoring/_review_section.html`.
"""

from aiom.governance.models import ReviewRequest
from aiom.governance.reviews import brief_sections
from aiom.monitoring.models import Incident, IncidentStatus


def open_incidents(review: ReviewRequest) -> list[Incident]:
    """Newest first."""
    return list(
        Incident.objects.filter(use_case=review.use_case)
        .exclude(status=IncidentStatus.CLOSED)
        .order_by("-occurred_at")
    )


def register() -> None:
    brief_sections.register(
        "incidents", "monitoring/_review_section.html", open_incidents, order=20
    )
