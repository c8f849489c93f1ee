"""Monitoring's policy section: incidents and post-deployment monitoring."""

from typing import Annotated, Literal

from pydantic import Field

from aiom.core.documents import Strict
from aiom.governance.policy_sections import StageList, with_roles
from aiom.portfolio.vocabulary import StageRole


class MonitoringRules(Strict):
    reopen_assessment_from: Literal["low", "medium", "high", "critical"] | None = Field(
        "high", description="An incident this severe or worse re-opens the risk assessment"
    )
    monitoring_required_for_stages: Annotated[
        list[str],
        StageList(default=with_roles(StageRole.OPERATIONAL)),
        Field(
            default_factory=list,
            description="Stages whose use cases need a monitoring plan (default: in service)",
        ),
    ]
    default_review_days: int = Field(90, ge=1, le=3650, description="Plan review cadence")
