"""The `change_plan_ready` gate check (pure: reads `facts.extra["change_plan"]`).

The plan facts are loaded lazily through `aiom.lifecycle.gate_registry.register_facts` (see
`apps.py`); a use case without a plan reads as None and fails the check.
"""

from typing import TYPE_CHECKING, Any

from aiom.change.policy import ChangeRules
from aiom.change.rules import PlanFacts, plan_reasons
from aiom.lifecycle.checks import GateFacts
from aiom.lifecycle.gate_registry import check

if TYPE_CHECKING:
    from aiom.governance.policy.schema import Policy

FACTS_KEY = "change_plan"


def min_groups(policy: "Policy", params: dict[str, Any]) -> int:
    """The check's own `min_groups` if given, else the policy's `change.min_groups`."""
    if "min_groups" in params:
        return max(1, int(params["min_groups"]))
    return policy.section(ChangeRules).min_groups


@check(
    "change_plan_ready",
    "A change plan: champion, stakeholder groups, interventions, targets",
    reads=(FACTS_KEY,),
)
def _change_plan_ready(f: GateFacts, p: "Policy", params: dict[str, Any]) -> tuple[bool, str]:
    plan: PlanFacts | None = f.extra.get(FACTS_KEY)
    reasons = plan_reasons(plan, min_groups(p, params))
    if reasons:
        return False, " ".join(reasons)
    assert plan is not None  # no reasons means a plan exists
    count = len(plan.groups)
    return True, f"Change plan ready: {count} stakeholder group{'' if count == 1 else 's'}."
