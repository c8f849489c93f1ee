"""The operating structure decides whose review counts: a pure rule, table-tested.

centralized: every review by reviewers holding the role globally (the central team);
federated: low and medium tiers by reviewers scoped to the use case's unit or an ancestor,
or central ones; the high tier centrally only; decentralized: reviewers scoped to the unit
or an ancestor only — a global role does not count there, so an organisation switching to
decentralized needs scoped reviewers first (the policy simulation lists who would lack one).
"""

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from itertools import combinations
from typing import Literal

from aiom.governance.policy.schema import TIERS, Tier

Scope = Literal["global", "unit"]
Structure = Literal["centralized", "federated", "decentralized"]


def eligible_scopes(structure: Structure, tier: Tier) -> set[Scope]:
    """The scopes in which holding the approver role lets a person review this tier.

    Unknown structures or tiers raise ValueError rather than silently granting nothing.
    """
    if tier not in TIERS:
        raise ValueError(f"unknown tier '{tier}'")
    if structure == "centralized":
        return {"global"}
    if structure == "federated":
        return {"global"} if tier == "high" else {"global", "unit"}
    if structure == "decentralized":
        return {"unit"}
    raise ValueError(f"unknown operating structure '{structure}'")


def assignment_counts(
    structure: Structure, tier: Tier, *, scope_path: str | None, unit_path: str
) -> bool:
    """Does one role assignment (global when scope_path is None) cover this use case's review?

    A scoped assignment covers its unit and everything below it (materialised path prefix).
    """
    scopes = eligible_scopes(structure, tier)
    if scope_path is None:
        return "global" in scopes
    return "unit" in scopes and unit_path.startswith(scope_path)


def unfilled(need: Mapping[str, int], pool: Mapping[str, AbstractSet[int]]) -> str | None:
    """Why an approval path cannot be filled from these candidates per role, or None.

    Nobody fills two slots, so besides each role having enough candidates, every group of
    roles needs as many distinct people as it has slots together (Hall's condition).
    """
    short = [
        f"{role}: {len(pool.get(role, ()))} eligible, needs {count}"
        for role, count in need.items()
        if len(pool.get(role, ())) < count
    ]
    if short:
        return "; ".join(short)
    for size in range(2, len(need) + 1):
        for group in combinations(need, size):
            people = set().union(*(pool.get(role, ()) for role in group))
            if len(people) < sum(need[role] for role in group):
                return f"the same people would have to fill {' and '.join(group)}"
    return None
