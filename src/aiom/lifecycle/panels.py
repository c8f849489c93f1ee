"""The lifecycle's sections of the use-case page: the stage track with the moves from
here, and the pilot beside the risk assessment (registered in LifecycleConfig.ready)."""

from typing import Any

from django.http import HttpRequest

from aiom.lifecycle.overview import overview
from aiom.portfolio import panels
from aiom.portfolio.models import UseCase


def lifecycle_context(request: HttpRequest, use_case: UseCase) -> dict[str, Any]:
    """The read model both sections show (the pilot panel reads it too)."""
    return {"lifecycle": overview(use_case)}


def register() -> None:
    panels.register("lifecycle", "lifecycle/_lifecycle.html", lifecycle_context, order=10)
    panels.register("pilot_plan", "lifecycle/_pilot.html", None, order=25, row="risk-and-pilot")
