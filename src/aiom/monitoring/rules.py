"""PURE rules of incidents and monitoring: no ORM, table-tested.

- Status moves: open → investigating → mitigated → closed, any step may be skipped
  forwards, a closed incident may be re-opened (to open or investigating), and nothing
  else goes backwards except mitigated → investigating (the fix did not hold).
- Closing needs a lessons-learned note and every corrective action done.
- Severity ranks low < medium < high < critical; the policy names the first that re-opens
  the risk assessment. Such an incident blocks moves (by re-opening the assessment) only
  once its severity is confirmed by the use case's owner or a reviewer covering its unit;
  whoever may confirm confirms by reporting or re-grading it themselves, and a re-grade
  by anyone else leaves it unconfirmed again.
- A monitoring review is due `every` days after the last one (or the plan's start) and is
  overdue from the day after; a KPI is out of bounds strictly below its lower or above
  its upper threshold.
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

SEVERITIES = ("low", "medium", "high", "critical")
STATUSES = ("open", "investigating", "mitigated", "closed")
MIN_LESSONS = 20

MOVES: dict[str, frozenset[str]] = {
    "open": frozenset({"investigating", "mitigated", "closed"}),
    "investigating": frozenset({"open", "mitigated", "closed"}),
    "mitigated": frozenset({"investigating", "closed"}),
    "closed": frozenset({"open", "investigating"}),
}


def status_problems(
    current: str, target: str, *, lessons_learned: str, actions_done: Iterable[bool]
) -> dict[str, str]:
    """Why `current` → `target` is refused ({field: message}); empty when allowed."""
    if target not in STATUSES:
        return {"status": f"unknown status {target!r}; one of {', '.join(STATUSES)}"}
    if target == current:
        return {"status": f"the incident is already {current}"}
    if target not in MOVES.get(current, frozenset()):
        return {"status": f"an incident cannot go from {current} to {target}"}
    errors: dict[str, str] = {}
    if target == "closed":
        if len(lessons_learned.strip()) < MIN_LESSONS:
            errors["lessons_learned"] = (
                f"closing needs a lessons-learned note (at least {MIN_LESSONS} characters)"
            )
        open_actions = sum(1 for done in actions_done if not done)
        if open_actions:
            s = "" if open_actions == 1 else "s"
            errors["actions"] = f"{open_actions} corrective action{s} not done yet"
    return errors


def severity_rank(severity: str) -> int:
    """0 for low up to 3 for critical; -1 for anything unknown."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else -1


def reopens_assessment(severity: str, threshold: str | None) -> bool:
    """True if an incident of `severity` is at least the policy's threshold (None: never)."""
    if threshold is None:
        return False
    return severity_rank(severity) >= severity_rank(threshold) >= 0


def blocks(severity: str, confirmed: bool, threshold: str | None) -> bool:
    """True if the incident re-opens the assessment (and so blocks moves) now."""
    return confirmed and reopens_assessment(severity, threshold)


def confirmed_after_change(*, was_confirmed: bool, regraded: bool, by_confirmer: bool) -> bool:
    """Is the severity confirmed after a write? A confirmer's report or re-grade confirms;
    anyone else's re-grade un-confirms; other edits keep what was."""
    if by_confirmer and regraded:
        return True
    return was_confirmed and not regraded


def review_due_on(last_reviewed_on: dt.date | None, starts_on: dt.date, every: int) -> dt.date:
    """The day the next monitoring review is due."""
    return (last_reviewed_on or starts_on) + dt.timedelta(days=every)


def review_overdue(due_on: dt.date, today: dt.date) -> bool:
    """Exactly on the due day is not overdue; one day past is."""
    return today > due_on


def out_of_bounds(value: Decimal, lower: Decimal | None, upper: Decimal | None) -> str | None:
    """'below' or 'above' when `value` is outside [lower, upper]; None when within."""
    if lower is not None and value < lower:
        return "below"
    if upper is not None and value > upper:
        return "above"
    return None


def threshold_problems(lower: Decimal | None, upper: Decimal | None) -> dict[str, str]:
    if lower is not None and upper is not None and lower > upper:
        return {"upper": "the upper threshold must not be below the lower one"}
    return {}
