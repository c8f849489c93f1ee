"""Server-side SVG geometry: KPI sparklines and the value x feasibility matrix.

Only numbers come out of here; templates draw them with classes (the CSP forbids inline
styles and scripts). The y axis of SVG points down, so larger values get smaller y.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

SPARK_W, SPARK_H, SPARK_PAD = 120, 28, 2
MATRIX, MATRIX_PAD = 400, 30


@dataclass(frozen=True)
class Spark:
    points: str  # "x,y x,y ..." for <polyline points>
    target_y: float | None
    last_x: float
    last_y: float


def sparkline(
    series: Sequence[tuple[dt.date, Decimal]], target: Decimal | None = None
) -> Spark | None:
    """Points scaled by date (x) and value (y, the target included in the range); None if empty."""
    if not series:
        return None
    values = [float(v) for _, v in series]
    low, high = min(values), max(values)
    if target is not None:
        low, high = min(low, float(target)), max(high, float(target))
    span_y = (high - low) or 1.0
    first, last = series[0][0], series[-1][0]
    span_x = (last - first).days or 1
    inner_w, inner_h = SPARK_W - 2 * SPARK_PAD, SPARK_H - 2 * SPARK_PAD

    def x(day: dt.date) -> float:
        if first == last:
            return SPARK_W / 2
        return round(SPARK_PAD + (day - first).days / span_x * inner_w, 1)

    def y(v: float) -> float:
        return round(SPARK_PAD + (high - v) / span_y * inner_h, 1)

    coords = [(x(d), y(v)) for (d, _), v in zip(series, values, strict=True)]
    return Spark(
        points=" ".join(f"{a},{b}" for a, b in coords),
        target_y=None if target is None else y(float(target)),
        last_x=coords[-1][0],
        last_y=coords[-1][1],
    )


def matrix_xy(value: Decimal, feasibility: Decimal) -> tuple[float, float]:
    """Feasibility to the right, value upwards, inside a MATRIX-square plot with padding."""
    inner = MATRIX - 2 * MATRIX_PAD
    x = MATRIX_PAD + float(feasibility) / 100 * inner
    y = MATRIX_PAD + (100 - float(value)) / 100 * inner
    return round(x, 1), round(y, 1)
