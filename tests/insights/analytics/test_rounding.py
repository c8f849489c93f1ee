"""Days shown in sentences and headlines round half up, as the templates do."""

import pytest

from aiom.insights.analytics.base import whole_days
from aiom.insights.dashboard.content import days


@pytest.mark.parametrize(
    ("value", "shown"), [(370.5, 371), (370.49, 370), (2.5, 3), (0.0, 0), (0.5, 1), (12.0, 12)]
)
def test_half_up(value: float, shown: int) -> None:
    assert whole_days(value) == shown


def test_the_headline_agrees_with_the_chart_caption() -> None:
    assert days(370.5) == "371 days" and days(None) == "not measured"
