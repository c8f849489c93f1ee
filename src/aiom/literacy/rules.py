"""Pure rules of AI literacy: which record counts for which level, and coverage shares.

A level counts for itself and the levels below it (leader ≥ practitioner ≥ awareness);
reviewer training stands apart and satisfies only "reviewer". `expires_on` is the first
day a record no longer counts; a record completed after `today` does not count yet.
Nothing here touches the database, so the same rules serve tests, pages and checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

LADDER = ("awareness", "practitioner", "leader")
REVIEWER = "reviewer"
ANY = "any"
LEVELS = (*LADDER, REVIEWER)


class RecordLike(Protocol):
    @property
    def level(self) -> str: ...
    @property
    def completed_on(self) -> dt.date: ...
    @property
    def expires_on(self) -> dt.date | None: ...


def satisfying(level: str) -> tuple[str, ...]:
    """The levels whose records count for `level` ("any" is every level)."""
    if level == ANY:
        return LEVELS
    if level == REVIEWER:
        return (REVIEWER,)
    if level not in LADDER:
        raise ValueError(f"unknown training level {level!r}")
    return LADDER[LADDER.index(level) :]


def is_current(record: RecordLike, today: dt.date) -> bool:
    """True while the record is completed and not yet expired on `today`."""
    if record.completed_on > today:
        return False
    return record.expires_on is None or record.expires_on > today


def current(records: Iterable[RecordLike], level: str, today: dt.date) -> bool:
    """True if one of `records` is current on `today` and counts for `level`."""
    ok = satisfying(level)
    return any(r.level in ok and is_current(r, today) for r in records)


def share(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nobody to measure."""
    return None if whole == 0 else part / whole


@dataclass(frozen=True)
class Facts:
    """What coverage needs to know of one person, already decided against `today`."""

    roles: frozenset[str] = frozenset()
    is_leader: bool = False
    any_current: bool = False
    leader_current: bool = False
    reviewer_current: bool = False
    role_current: frozenset[str] = frozenset()  # roles whose required level is current


@dataclass(frozen=True)
class RoleCoverage:
    role: str
    label: str
    level: str
    people: int
    trained: int

    @property
    def share(self) -> float | None:
        return share(self.trained, self.people)


@dataclass(frozen=True)
class Coverage:
    """Shares of people, leaders and reviewers with current training, against a target.

    A share is None when its population is empty; `meets_target` then ignores it.
    """

    target: float
    people: int = 0
    trained: int = 0
    leaders: int = 0
    trained_leaders: int = 0
    reviewers: int = 0
    trained_reviewers: int = 0
    by_role: list[RoleCoverage] = field(default_factory=list)

    @property
    def people_share(self) -> float | None:
        return share(self.trained, self.people)

    @property
    def leader_share(self) -> float | None:
        return share(self.trained_leaders, self.leaders)

    @property
    def reviewer_share(self) -> float | None:
        return share(self.trained_reviewers, self.reviewers)

    @property
    def meets_target(self) -> bool:
        shares = (self.people_share, self.leader_share, self.reviewer_share)
        return all(s is None or s >= self.target for s in shares)


def coverage(
    facts: Iterable[Facts],
    *,
    target: float,
    reviewer_roles: frozenset[str],
    role_levels: dict[str, tuple[str, str]],
) -> Coverage:
    """Coverage of a population from per-person facts; `role_levels` maps role → (label, level).

    The database version (`literacy.coverage.coverage`) counts the same things in SQL;
    this one is the reference the tests hold it to.
    """
    rows = list(facts)
    by_role = [
        RoleCoverage(
            role,
            label,
            level,
            sum(1 for f in rows if role in f.roles),
            sum(1 for f in rows if role in f.roles and role in f.role_current),
        )
        for role, (label, level) in role_levels.items()
    ]
    reviewers = [f for f in rows if f.roles & reviewer_roles]
    leaders = [f for f in rows if f.is_leader]
    return Coverage(
        target=target,
        people=len(rows),
        trained=sum(f.any_current for f in rows),
        leaders=len(leaders),
        trained_leaders=sum(f.leader_current for f in leaders),
        reviewers=len(reviewers),
        trained_reviewers=sum(f.reviewer_current for f in reviewers),
        by_role=by_role,
    )
