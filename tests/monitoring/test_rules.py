"""The pure rules, as tables: status moves, closing, severity, review dates, thresholds."""

import datetime as dt
from decimal import Decimal

import pytest

from aiom.monitoring import rules

LESSONS = "We now refresh the index whenever a policy changes."


@pytest.mark.parametrize(
    ("current", "target", "lessons", "done", "errors"),
    [
        ("open", "investigating", "", [], set()),
        ("open", "mitigated", "", [False], set()),
        ("investigating", "open", "", [], set()),
        ("mitigated", "investigating", "", [], set()),
        ("mitigated", "open", "", [], {"status"}),
        ("closed", "open", "", [], set()),
        ("closed", "mitigated", LESSONS, [True], {"status"}),
        ("open", "open", "", [], {"status"}),
        ("open", "resolved", "", [], {"status"}),
        ("mitigated", "closed", LESSONS, [True, True], set()),
        ("open", "closed", LESSONS, [], set()),
        ("mitigated", "closed", "", [True], {"lessons_learned"}),
        ("mitigated", "closed", "too short", [True], {"lessons_learned"}),
        ("mitigated", "closed", LESSONS, [True, False], {"actions"}),
        ("investigating", "closed", "   ", [False], {"lessons_learned", "actions"}),
    ],
)
def test_status_moves(
    current: str, target: str, lessons: str, done: list[bool], errors: set[str]
) -> None:
    problems = rules.status_problems(current, target, lessons_learned=lessons, actions_done=done)
    assert set(problems) == errors


def test_open_actions_are_counted() -> None:
    problems = rules.status_problems(
        "mitigated", "closed", lessons_learned=LESSONS, actions_done=[False, True, False]
    )
    assert problems == {"actions": "2 corrective actions not done yet"}


@pytest.mark.parametrize(
    ("severity", "threshold", "reopens"),
    [
        ("low", "high", False),
        ("medium", "high", False),
        ("high", "high", True),
        ("critical", "high", True),
        ("medium", "medium", True),
        ("low", "low", True),
        ("critical", None, False),
        ("unknown", "low", False),
        ("high", "bogus", False),
    ],
)
def test_reopens_assessment(severity: str, threshold: str | None, reopens: bool) -> None:
    assert rules.reopens_assessment(severity, threshold) is reopens


D = dt.date(2026, 1, 1)


@pytest.mark.parametrize(
    ("last", "every", "today", "due", "overdue"),
    [
        (None, 90, D + dt.timedelta(days=90), D + dt.timedelta(days=90), False),
        (None, 90, D + dt.timedelta(days=91), D + dt.timedelta(days=90), True),
        (
            D + dt.timedelta(days=80),
            90,
            D + dt.timedelta(days=91),
            D + dt.timedelta(days=170),
            False,
        ),
        (D, 1, D + dt.timedelta(days=2), D + dt.timedelta(days=1), True),
    ],
)
def test_review_due_and_overdue(
    last: dt.date | None, every: int, today: dt.date, due: dt.date, overdue: bool
) -> None:
    assert rules.review_due_on(last, D, every) == due
    assert rules.review_overdue(due, today) is overdue


N = Decimal
BOUNDS = [
    ("50", "60", None, "below"),
    ("60", "60", None, None),
    ("61", None, "60", "above"),
    ("60", None, "60", None),
    ("5", "1", "10", None),
    ("0.5", "1", "10", "below"),
    ("10.0001", "1", "10", "above"),
    ("-3", None, None, None),
]


@pytest.mark.parametrize(("value", "lower", "upper", "side"), BOUNDS)
def test_out_of_bounds(value: str, lower: str | None, upper: str | None, side: str | None) -> None:
    low = None if lower is None else N(lower)
    high = None if upper is None else N(upper)
    assert rules.out_of_bounds(N(value), low, high) == side


@pytest.mark.parametrize(
    ("lower", "upper", "ok"),
    [(None, None, True), ("1", None, True), ("1", "1", True), ("2", "1", False)],
)
def test_threshold_problems(lower: str | None, upper: str | None, ok: bool) -> None:
    low = None if lower is None else N(lower)
    high = None if upper is None else N(upper)
    assert (rules.threshold_problems(low, high) == {}) is ok
