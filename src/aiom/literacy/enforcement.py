"""Training the policy requires before someone may act: reviewers deciding, owners of
high-tier use cases. Each answers (ok, reason) with a sentence a person can read.

Called by the review service and gate checks; they decide what a refusal means. A
requirement the policy leaves out is satisfied ("not required by the policy").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from aiom.literacy.models import TrainingRecord
from aiom.literacy.policy import LiteracyRules
from aiom.literacy.requirements import HIGH_TIER, literacy_policy
from aiom.literacy.rules import is_current, satisfying
from aiom.organisation.models import REVIEWER_ROLES


def _name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


def holds(user: Any, level: str, today: dt.date, what: str) -> tuple[bool, str]:
    """Whether `user` holds current training counting for `level`, with the reason."""
    records = list(
        TrainingRecord.objects.filter(person_id=user.pk, level__in=satisfying(level)).order_by(
            "-completed_on", "-pk"
        )
    )
    for r in records:
        if is_current(r, today):
            until = f" until {r.expires_on:%Y-%m-%d}" if r.expires_on else ""
            return True, f"{_name(user)} holds current {what} training ({r.course}{until})"
    if not records:
        return False, f"{_name(user)} has no {what} training on record"
    last = max(records, key=lambda r: (r.expires_on or dt.date.max, r.completed_on))
    state = (
        f"expired {last.expires_on:%Y-%m-%d}"
        if last.expires_on is not None and last.expires_on <= today
        else f"completes {last.completed_on:%Y-%m-%d}"
    )
    return False, f"{_name(user)} has no current {what} training (last: {state})"


def reviewer_trained(
    user: Any, today: dt.date, policy: LiteracyRules | None = None
) -> tuple[bool, str]:
    """May `user` decide a review as far as training goes? The level the policy requires of
    reviewer roles; ok when it requires none (the schema's default).
    """
    required = (policy or literacy_policy()).levels()
    levels = [required[r] for r in sorted(REVIEWER_ROLES) if r in required]
    if not levels:
        return True, "the policy requires no training of reviewers"
    for level in dict.fromkeys(levels):
        ok, reason = holds(user, level, today, level)
        if not ok:
            return ok, reason
    return ok, reason


def owner_trained_for_tier(
    user: Any, tier: str | None, today: dt.date, policy: LiteracyRules | None = None
) -> tuple[bool, str]:
    """May `user` own a use case of `tier`? High tier needs the policy's owner level."""
    if tier != HIGH_TIER:
        return True, f"no training required to own a {tier or 'not yet tiered'} use case"
    policy = policy or literacy_policy()
    level = policy.high_tier_owner_level
    if not level:
        return True, "the policy requires no training of high-tier owners"
    ok, reason = holds(user, level, today, level)
    if ok:
        return ok, reason
    return ok, f"{reason}; owning a high-tier use case needs {level} level or above"
