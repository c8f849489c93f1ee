"""What the active policy demands of AI literacy: the target and training required per role.

Reads the `literacy` section of the active policy (the schema's own defaults: target 0.8,
nothing required). The constants below hold only for a policy object without the section
at all. Accepts a pydantic model or a plain dict (tests).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aiom.governance.policy import active_policy
from aiom.organisation.models import Role

DEFAULT_TARGET = 0.8
DEFAULT_REQUIRE: dict[str, str] = {
    Role.RISK_REVIEWER.value: "reviewer",
    Role.COMPLIANCE_REVIEWER.value: "reviewer",
    Role.EXECUTIVE_SPONSOR.value: "leader",
}
DEFAULT_HIGH_TIER_OWNER_LEVEL = "practitioner"
HIGH_TIER = "high"


@dataclass(frozen=True)
class LiteracyPolicy:
    target: float = DEFAULT_TARGET
    require: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_REQUIRE))
    high_tier_owner_level: str | None = DEFAULT_HIGH_TIER_OWNER_LEVEL
    policy_version: int | None = None


def _get(obj: Any, name: str, default: Any) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def from_section(section: Any, version: int | None = None) -> LiteracyPolicy:
    """A LiteracyPolicy from the policy's `literacy` section (None → the defaults)."""
    if section is None:
        return LiteracyPolicy(policy_version=version)
    require_rows = _get(section, "require", None)
    require = (
        dict(DEFAULT_REQUIRE)
        if require_rows is None
        else {str(_get(r, "role", "")): str(_get(r, "level", "")) for r in require_rows}
    )
    return LiteracyPolicy(
        target=float(_get(section, "target", DEFAULT_TARGET)),
        require=require,
        high_tier_owner_level=_get(section, "high_tier_owner_level", DEFAULT_HIGH_TIER_OWNER_LEVEL),
        policy_version=version,
    )


def literacy_policy() -> LiteracyPolicy:
    """The literacy part of the active policy (one query; activates the default if none)."""
    active = active_policy()
    return from_section(getattr(active.policy, "literacy", None), active.version)
