"""Is a registry record reused across the organisation, or bought in silos? (PURE)

One platform serving use cases in several org units is the sign of an integrated
organisation; several units each buying the same vendor's product on their own is a
silo. The inputs are counts of the use cases the viewer may see, so the verdict never
reveals use cases the viewer cannot see.
"""

from dataclasses import dataclass

SHARED_UNITS = 2  # org units using one record before it counts as reused
SILO_UNITS = 2  # org units buying from one vendor separately before it counts as a silo


@dataclass(frozen=True)
class Reuse:
    key: str  # unused, single, shared, silo
    text: str


def assess(*, use_cases: int, units: int, bought_units: int = 0) -> Reuse:
    """The reuse verdict for one record from its (visible) use-case counts.

    `bought_units` is the number of org units whose bought or partnered use cases link
    the record directly (only meaningful for vendors; 0 otherwise).
    """
    if use_cases <= 0:
        return Reuse("unused", "no use case relies on it")
    if bought_units >= SILO_UNITS:
        return Reuse("silo", f"bought separately by {bought_units} org units")
    if units >= SHARED_UNITS:
        return Reuse("shared", f"reused across {units} org units")
    return Reuse("single", "used in one org unit")
