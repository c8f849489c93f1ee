"""The radar chart: geometry per axis, escaping, and no style attributes."""

import math
import xml.etree.ElementTree as ET

import pytest

from aiom.insights.maturity.radar import PAD_X, PAD_Y, SIZE, Series, anchor, point, radar_svg

SVG = "{http://www.w3.org/2000/svg}"
HALF = SIZE / 2


@pytest.mark.parametrize(
    ("i", "n", "value", "expected"),
    [
        (0, 5, 100, (0.0, -HALF)),  # first axis straight up
        (0, 4, 50, (0.0, -HALF / 2)),
        (1, 4, 100, (HALF, 0.0)),  # clockwise: right
        (2, 4, 100, (0.0, HALF)),  # down
        (3, 4, 100, (-HALF, 0.0)),  # left
        (1, 4, 0, (0.0, 0.0)),  # zero at the centre
        (1, 4, 150, (HALF, 0.0)),  # clamped to the rim
        (2, 4, -10, (0.0, 0.0)),  # and to the centre
    ],
)
def test_point(i: int, n: int, value: float, expected: tuple[float, float]) -> None:
    x, y = point(i, n, value)
    assert x == pytest.approx(expected[0], abs=0.01)
    assert y == pytest.approx(expected[1], abs=0.01)


def test_five_axes_are_equal_angles_apart() -> None:
    for i in range(5):
        x, y = point(i, 5, 100)
        assert math.hypot(x, y) == pytest.approx(HALF, abs=0.01)
        assert math.degrees(math.atan2(y, x)) % 360 == pytest.approx((-90 + 72 * i) % 360, abs=0.05)


@pytest.mark.parametrize(
    ("i", "n", "expected"),
    [
        (0, 5, "middle"),
        (1, 5, "start"),
        (2, 5, "start"),
        (3, 5, "end"),
        (4, 5, "end"),
        (2, 4, "middle"),
    ],
)
def test_labels_anchor_away_from_the_centre(i: int, n: int, expected: str) -> None:
    assert anchor(i, n) == expected


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own markup


def test_markup_places_the_polygons_and_escapes_labels() -> None:
    evil = '<script>alert("x")</script>'
    svg = radar_svg(
        [evil, "Processes", "Technology", "Data"],
        [
            Series("Self", [100, 50, 0, None], "self"),
            Series("Evidence & co", [25, 25, 25, 25], "evidence"),
        ],
        rings=(30, 100),
    )
    assert "<script" not in svg and "&lt;script&gt;" in svg
    assert " style=" not in svg
    root = parse(svg)
    assert root.get("role") == "img"
    x, y = HALF + PAD_X, HALF + PAD_Y
    polygons = [p for p in root.iter(f"{SVG}polygon") if p.get("class") is None]
    expected = f"{x:g},{y - HALF:g} {x + HALF / 2:g},{y:g} {x:g},{y:g} {x:g},{y:g}"
    assert polygons[0].get("points") == expected
    rings = [p for p in root.iter(f"{SVG}polygon") if p.get("class") == "radar-ring"]
    assert len(rings) == 2
    titles = [t.text or "" for t in root.iter(f"{SVG}title")]
    assert any(t.endswith("Data: not measured") for t in titles)
    assert "Evidence &amp; co" in svg


def test_radar_refuses_too_few_axes_or_ragged_series() -> None:
    with pytest.raises(ValueError, match="three axes"):
        radar_svg(["a", "b"], [])
    with pytest.raises(ValueError, match="3 values for 4 axes"):
        radar_svg(["a", "b", "c", "d"], [Series("s", [1, 2, 3], "self")])
