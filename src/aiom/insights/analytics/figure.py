"""A figure, computed once: its count, what it is of, its rounding, its text and its sentence.

Every page, the board report (HTML and PDF), the API and the CSV render a `Figure`; none
re-formats the raw number. One rounding rule holds everywhere: shares are whole percent
and medians whole days, both rounded half up (74 of 105 is 70.48 %, shown as "70%"
in the headline, the sentence, the board report and the API's `text`; 0.5 rounds up).
A figure that cannot be measured (nothing to count) has `value` None and the text
"not measured", never a made-up 0. Use cases a figure had to leave out (an unknown date,
say) are counted in `left_out` with the reason, and the sentence says so; how a figure
counted a case its definition leaves open (stalled pilots) is in `counted`.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from aiom.insights.analytics import base

Unit = Literal["%", "days", "count"]
NOT_MEASURED = "not measured"
ROUNDING = "half up to a whole number"


def percent_of(count: int, of: int) -> int | None:
    """count/of as a whole percent, half up, in exact integer arithmetic (None when of=0)."""
    if of <= 0:
        return None
    return (200 * count + of) // (2 * of)


# A number rounded half up to a whole one (370.5 days is 371, never 370): the one rule.
whole = base.whole_days


def count_text(n: int) -> str:
    return f"{n:,}"


def text_of(unit: Unit, value: int | None) -> str:
    """The one formatting of a rounded value: "70%", "371 days", "1,033"."""
    if value is None:
        return NOT_MEASURED
    if unit == "%":
        return f"{value}%"
    if unit == "days":
        return f"{value:,} day{'' if value == 1 else 's'}"
    return count_text(value)


def left_out_note(n: int, reason: str) -> str:
    """base.left_out_note as a sentence: '1,807 use cases without a proposal date are not
    in this figure.' ('' when none is left out)."""
    note = base.left_out_note(n, reason)
    return f"{note}." if note else ""


@dataclass(frozen=True)
class Figure:
    """One figure as shown: `value` is the rounded number that `text` shows.

    `numerator`/`denominator` are set for shares (and `denominator` for a median: how
    many it is the median of); `sentence` is the full answer, carrying `text` verbatim.
    """

    key: str
    label: str
    unit: Unit
    value: int | None
    text: str
    sentence: str
    numerator: int | None = None
    denominator: int | None = None
    note: str = ""  # the short line under a headline: "of 42 decided pilots"
    left_out: int = 0
    left_out_reason: str = ""
    counted: str = ""  # how the figure counted what its definition leaves open
    rounding: str = ROUNDING

    @property
    def measured(self) -> bool:
        return self.value is not None

    @property
    def left_out_note(self) -> str:
        return left_out_note(self.left_out, self.left_out_reason)


def _sentence(template: str, values: Mapping[str, Any], left_out: int, reason: str) -> str:
    sentence = template.format(**values)
    note = left_out_note(left_out, reason)
    return f"{sentence} {note}" if note else sentence


def share(
    key: str,
    label: str,
    count: int,
    of: int,
    *,
    sentence: str,
    empty: str = "",
    note: str = "",
    left_out: int = 0,
    left_out_reason: str = "",
    counted: str = "",
    **extra: Any,
) -> Figure:
    """`count` of `of` as a whole percent. `sentence` (or `empty` when of is 0) is a
    format string over text, count, of, counted and `extra`; numbers come formatted."""
    value = percent_of(count, of)
    text = text_of("%", value)
    values = {"text": text, "count": count_text(count), "of": count_text(of), **extra}
    values["counted"] = counted
    template = sentence if value is not None or not empty else empty
    return Figure(
        key,
        label,
        "%",
        value,
        text,
        _sentence(template, values, left_out, left_out_reason),
        numerator=count,
        denominator=of,
        note=note.format(**values),
        left_out=left_out,
        left_out_reason=left_out_reason,
        counted=counted,
    )


def days(
    key: str,
    label: str,
    median: float | None,
    over: int,
    *,
    sentence: str,
    empty: str = "",
    note: str = "",
    left_out: int = 0,
    left_out_reason: str = "",
    **extra: Any,
) -> Figure:
    """A number of days (a median over `over` use cases), whole days half up."""
    value = None if median is None else whole(median)
    text = text_of("days", value)
    values = {"text": text, "of": count_text(over), **extra}
    template = sentence if value is not None or not empty else empty
    return Figure(
        key,
        label,
        "days",
        value,
        text,
        _sentence(template, values, left_out, left_out_reason),
        denominator=over,
        note=note.format(**values),
        left_out=left_out,
        left_out_reason=left_out_reason,
    )


def count(
    key: str,
    label: str,
    n: int,
    *,
    sentence: str = "",
    note: str = "",
    left_out: int = 0,
    left_out_reason: str = "",
    counted: str = "",
    **extra: Any,
) -> Figure:
    """A plain count (use cases in scope, overdue reviews)."""
    text = text_of("count", n)
    values = {"text": text, **extra}
    return Figure(
        key,
        label,
        "count",
        n,
        text,
        _sentence(sentence or "{text}", values, left_out, left_out_reason),
        numerator=n,
        note=note.format(**values),
        left_out=left_out,
        left_out_reason=left_out_reason,
        counted=counted,
    )
