"""The Figure value object: one rounding, its text inside its sentence, nothing made up."""

import pytest

from aiom.insights.analytics import figure as fig


@pytest.mark.parametrize(
    ("count", "of", "value"),
    [
        (74, 105, 70),  # 70.48 %: the case, once 71, 70 and 70.5 on three pages
        (1, 200, 1),  # 0.5 % rounds up (Python's round gives 0)
        (1, 8, 13),  # 12.5 % rounds up (round-half-even gives 12)
        (5, 8, 63),  # 62.5 %
        (2, 3, 67),
        (0, 7, 0),
        (7, 7, 100),
        (0, 0, None),  # nothing to count: not measured, never 0
    ],
)
def test_whole_percent_half_up_in_exact_arithmetic(count: int, of: int, value: int | None) -> None:
    assert fig.percent_of(count, of) == value
    shown = fig.share("k", "K", count, of, sentence="{text} of {of}", empty="Not measured.")
    assert shown.value == value and (shown.numerator, shown.denominator) == (count, of)
    if value is None:
        assert shown.text == "not measured" and shown.sentence == "Not measured."
    else:
        assert shown.text == f"{value}%" and shown.sentence == f"{value}% of {of:,}"


@pytest.mark.parametrize(
    ("median", "text"),
    [
        (370.5, "371 days"),
        (370.49, "370 days"),
        (0.5, "1 day"),
        (1.0, "1 day"),
        (None, "not measured"),
    ],
)
def test_days_whole_half_up(median: float | None, text: str) -> None:
    shown = fig.days("t", "T", median, 3, sentence="Median {text} over {of}.", empty="None yet.")
    assert shown.text == text
    assert shown.sentence == (f"Median {text} over 3." if median is not None else "None yet.")


@pytest.mark.parametrize(
    ("left_out", "reason", "tail"),
    [
        (0, "without a proposal date", ""),
        (
            1,
            "without a proposal date",
            " 1 use case without a proposal date is not in this figure.",
        ),
        (
            1807,
            "without a proposal date",
            " 1,807 use cases without a proposal date are not in this figure.",
        ),
    ],
)
def test_a_figure_that_leaves_use_cases_out_says_so(left_out: int, reason: str, tail: str) -> None:
    shown = fig.days("t", "T", 12, 4, sentence="{text}.", left_out=left_out, left_out_reason=reason)
    assert shown.sentence == "12 days." + tail
    assert (shown.left_out, shown.left_out_reason) == (left_out, reason)
    assert shown.left_out_note == tail.strip()


def test_counts_are_grouped_and_carry_how_they_were_counted() -> None:
    shown = fig.count("n", "N", 1036, sentence="{text} there now.", counted="imports included")
    assert (shown.text, shown.sentence, shown.counted) == (
        "1,036",
        "1,036 there now.",
        "imports included",
    )


def test_the_text_is_rendered_from_the_value_only() -> None:
    assert [fig.text_of("%", 70), fig.text_of("days", 2), fig.text_of("count", 12345)] == [
        "70%",
        "2 days",
        "12,345",
    ]
    assert fig.text_of("%", None) == fig.NOT_MEASURED
