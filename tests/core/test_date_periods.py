"""A partial date counts in a span only when its whole period lies inside it (PURE rules),
and the database filters say the same as the Python rules."""

import datetime as dt

import pytest

from aiom.core.date_periods import before, end_of, inside, next_start

D = dt.date
SINCE, UNTIL = D(2024, 2, 15), D(2024, 5, 31)


@pytest.mark.parametrize(
    ("day", "precision", "end", "after"),
    [
        (D(2024, 2, 29), "day", D(2024, 2, 29), D(2024, 3, 1)),
        (D(2024, 2, 1), "month", D(2024, 2, 29), D(2024, 3, 1)),
        (D(2024, 12, 1), "month", D(2024, 12, 31), D(2025, 1, 1)),
        (D(2024, 10, 1), "quarter", D(2024, 12, 31), D(2025, 1, 1)),
        (D(2024, 4, 1), "quarter", D(2024, 6, 30), D(2024, 7, 1)),
        (D(2024, 1, 1), "year", D(2024, 12, 31), D(2025, 1, 1)),
    ],
)
def test_a_period_ends_on_its_last_day(day: D, precision: str, end: D, after: D) -> None:
    assert end_of(day, precision) == end
    assert next_start(day, precision) == after


@pytest.mark.parametrize(
    ("day", "precision", "expected"),
    [
        (D(2024, 3, 10), "day", True),
        (D(2024, 6, 1), "day", False),
        (D(2024, 3, 1), "month", True),  # March lies inside
        (D(2024, 2, 1), "month", None),  # February straddles the 15th: cannot tell
        (D(2024, 5, 1), "month", True),  # May ends on the span's last day
        (D(2024, 4, 1), "quarter", None),  # Q2 runs past 31 May
        (D(2024, 1, 1), "year", None),
        (D(2022, 1, 1), "year", False),  # known to be outside: not left out
        (D(2024, 7, 1), "quarter", False),
        (None, "day", None),  # unknown: always left out
    ],
)
def test_inside_a_span(day: D | None, precision: str, expected: bool | None) -> None:
    assert inside(day, precision, SINCE, UNTIL) is expected


def test_an_open_end_holds_a_period_that_runs_past_it() -> None:
    # "the last 90 days" ending today: an event known only to this month happened by today
    assert inside(D(2024, 5, 1), "month", SINCE, None) is True
    assert inside(D(2024, 1, 1), "year", SINCE, None) is None  # but may be before the 15th


@pytest.mark.parametrize(
    ("day", "precision", "expected"),
    [
        (D(2024, 3, 9), "day", True),
        (D(2024, 3, 10), "day", False),
        (D(2024, 2, 1), "month", True),  # the whole of February is before 10 March
        (D(2024, 3, 1), "month", None),  # March holds the 10th: over the SLA or not?
        (D(2019, 1, 1), "year", True),
        (D(2024, 1, 1), "year", None),
        (None, "day", None),
    ],
)
def test_wholly_before_a_day(day: D | None, precision: str, expected: bool | None) -> None:
    assert before(day, precision, D(2024, 3, 10)) is expected
