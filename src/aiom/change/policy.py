"""Change management's policy section, `change`: when a change plan is required and what
it holds."""

from typing import Annotated

from pydantic import Field

from aiom.core.documents import Strict
from aiom.governance.policy_sections import StageList


class ChangeRules(Strict):
    """A gate blocks on a plan only when it names the `change_plan_ready` check;
    `required_for_stages` marks where a ready plan is expected (lists and panels flag it).
    """

    min_groups: int = Field(1, ge=1, le=50, description="Stakeholder groups a ready plan has")
    required_for_stages: Annotated[
        list[str],
        StageList(default=lambda policy: []),
        Field(
            default_factory=list,
            description="Stages in which a use case should have a ready plan",
        ),
    ]
