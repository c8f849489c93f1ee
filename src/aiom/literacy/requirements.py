"""What the active policy demands of AI literacy: its `literacy` section (`LiteracyRules`,
literacy/policy.py), with the schema's defaults when the policy has none."""

from aiom.governance.policy.versions import active_policy
from aiom.literacy.policy import LiteracyRules

HIGH_TIER = "high"


def literacy_policy() -> LiteracyRules:
    """The literacy section of the active policy (one query; activates the default if none)."""
    return active_policy().policy.section(LiteracyRules)
