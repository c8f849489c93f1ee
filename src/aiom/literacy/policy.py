"""Literacy's policy section: the coverage target and the training required per role.

The shipped policy sets the target (0.8) and requires nothing; a policy may require
training per role (`require`) and of high-tier owners (`high_tier_owner_level`).
"""

from typing import Literal

from pydantic import Field

from aiom.core.documents import Strict
from aiom.organisation.models import Role


class TrainingRequirement(Strict):
    role: Role
    level: Literal["awareness", "practitioner", "leader", "reviewer"]


class LiteracyRules(Strict):
    target: float = Field(0.8, gt=0, le=1, description="Share of people with current training")
    require: list[TrainingRequirement] = Field(default_factory=list)
    high_tier_owner_level: Literal["awareness", "practitioner", "leader"] | None = None

    def levels(self) -> dict[str, str]:
        """The level required of each role the policy names (role value: level)."""
        return {r.role.value: r.level for r in self.require}
