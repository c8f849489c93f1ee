"""The reuse verdict is pure: a table of counts and what they mean."""

import pytest

from aiom.technology.reuse import assess


@pytest.mark.parametrize(
    ("use_cases", "units", "bought_units", "key"),
    [
        (0, 0, 0, "unused"),
        (1, 1, 0, "single"),
        (5, 1, 0, "single"),
        (2, 2, 0, "shared"),
        (9, 4, 1, "shared"),  # one unit buys it; the rest reuse it
        (2, 2, 2, "silo"),  # two units each buy it on their own
        (3, 3, 3, "silo"),
        (0, 0, 3, "unused"),  # nothing visible, nothing said
    ],
)
def test_assess(use_cases: int, units: int, bought_units: int, key: str) -> None:
    verdict = assess(use_cases=use_cases, units=units, bought_units=bought_units)
    assert verdict.key == key


def test_the_text_names_the_count() -> None:
    assert assess(use_cases=4, units=3).text == "reused across 3 org units"
    assert assess(use_cases=4, units=3, bought_units=3).text == "bought separately by 3 org units"
