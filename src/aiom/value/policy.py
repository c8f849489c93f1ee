"""The value app's policy sections: `prioritisation` (value and feasibility scores) and
`analytics` (how portfolio figures count what a definition leaves open)."""

from typing import Annotated, Literal

from pydantic import Field, model_validator

from aiom.core.documents import Strict
from aiom.governance.policy_sections import StageList

CriterionKind = Literal["value", "feasibility"]


class Criterion(Strict):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")
    label: str
    kind: CriterionKind
    weight: float = Field(1, gt=0)
    inverse: bool = Field(False, description="A high score is bad (complexity, effort)")
    help: str = ""


class Prioritisation(Strict):
    """Optional: without the section, nothing is scored."""

    criteria: list[Criterion] = Field(min_length=2)
    stages: Annotated[
        list[str],
        StageList(default=lambda policy: policy.live_stages()[:2]),
        Field(
            default_factory=list,
            description="Stages in which use cases are scored (default: the first two)",
        ),
    ]

    @model_validator(mode="after")
    def _criteria(self) -> "Prioritisation":
        kinds: set[CriterionKind] = {c.kind for c in self.criteria}
        if kinds != {"value", "feasibility"}:
            raise ValueError("criteria: need value and feasibility criteria")
        keys = [c.key for c in self.criteria]
        if len(set(keys)) != len(keys):
            raise ValueError("criteria: criterion keys must be unique")
        return self


class AnalyticsRules(Strict):
    """How portfolio figures count the cases a definition leaves open (aiom.insights.analytics)."""

    stalled_pilots: Literal["not_scaled", "excluded"] = Field(
        "not_scaled",
        description=(
            "A pilot past its end date without a scale or stop decision: counted among the "
            "decided pilots as not scaled, or left out of the pilots-scaled rate (and said so)"
        ),
    )
