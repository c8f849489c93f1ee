"""SVG charts: well-formed, accessible, escaped, and drawn to scale."""

import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest
from django.utils.safestring import SafeString

from aiom.core import charts

NS = {"svg": "http://www.w3.org/2000/svg"}
EVIL = '<script>alert("x")</script> & "quotes"'


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own markup, parsed to check it


def bars(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iter(f"{{{NS['svg']}}}rect") if r.get("class") == "chart-bar"]


ALL_CHARTS: list[tuple[str, Callable[[str], str]]] = [
    ("bar", lambda label: charts.bar_chart([(label, 3.0)], title=label, unit="EUR")),
    ("funnel", lambda label: charts.funnel_chart([(label, 3), ("Pilot", 1)], title=label)),
    (
        "stacked",
        lambda label: charts.stacked_bars(
            [(label, {"scaled": 2, label: 1})], ["scaled", label], title=label
        ),
    ),
    ("histogram", lambda label: charts.histogram([(label, 4)], title=label)),
    (
        "radar",
        lambda label: charts.radar(
            [(label, 50.0, 40.0), ("Data", 10, 20), ("People", 0, 0)], title=label
        ),
    ),
]


@pytest.mark.parametrize(("name", "draw"), ALL_CHARTS, ids=[n for n, _ in ALL_CHARTS])
def test_every_chart_is_accessible_and_escapes_labels(
    name: str, draw: Callable[[str], str]
) -> None:
    svg = draw(EVIL)
    assert isinstance(svg, SafeString)
    assert "<script" not in svg
    assert "&lt;script&gt;" in svg
    assert " style=" not in svg  # the CSP forbids inline styles
    root = parse(svg)  # well-formed XML, so the escaping held everywhere
    assert root.get("role") == "img"
    assert root.get("aria-label") == EVIL
    assert root.find("svg:title", NS) is not None
    assert root.find("svg:title", NS).text == EVIL  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "svg",
    [
        charts.bar_chart([], title="Value", unit="EUR"),
        charts.funnel_chart([]),
        charts.funnel_chart([("Intake", 0), ("Pilot", 0)]),
        charts.stacked_bars([], ["scaled"]),
        charts.stacked_bars([("2026-Q1", {})], ["scaled"]),
        charts.histogram([]),
        charts.histogram([("<30 d", 0)]),
        charts.radar([]),
    ],
)
def test_empty_data_says_so(svg: str) -> None:
    root = parse(svg)
    assert "chart-empty" in (root.get("class") or "")
    assert "No data yet" in svg
    assert bars(root) == []


def test_bar_lengths_are_proportional_and_negatives_are_zero() -> None:
    root = parse(
        charts.bar_chart([("A", 200.0), ("B", 100.0), ("C", 0.0), ("D", -5.0)], title="t", unit="")
    )
    widths = [float(r.get("width", "nan")) for r in bars(root)]
    assert widths[0] == pytest.approx(charts.WIDTH - 190 - 100)
    assert widths[1] == pytest.approx(widths[0] / 2)
    assert widths[2:] == [0.0, 0.0]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (12, "12"),
        (3.5, "3.5"),
        (12_400, "12,400"),
        (250_000, "250,000"),
        (3_400_000, "3.4M"),
        (2_000_000, "2M"),
        (3_575_500_000, "3.6B"),
    ],
)
def test_numbers_are_short(value: float, text: str) -> None:
    assert charts.number(value) == text


def test_funnel_is_centred_and_shows_share_of_first_stage() -> None:
    svg = charts.funnel_chart([("Intake", 100), ("Pilot", 25)])
    rects = bars(parse(svg))
    first, second = (float(r.get("x", 0)) + float(r.get("width", 0)) / 2 for r in rects)
    assert first == pytest.approx(second, abs=0.1)
    assert float(rects[1].get("width", 0)) == pytest.approx(float(rects[0].get("width", 0)) / 4)
    assert "25 (25%)" in svg


def test_stacked_bars_stack_series_bottom_up_on_a_shared_scale() -> None:
    svg = charts.stacked_bars(
        [("2026-Q1", {"scaled": 2, "stopped": 2}), ("2026-Q2", {"scaled": 4})],
        ["scaled", "stopped", "stalled"],
    )
    rects = bars(parse(svg))
    assert len(rects) == 3  # zero segments are not drawn
    q1_scaled, q1_stopped, q2_scaled = rects
    assert float(q1_scaled.get("height", 0)) == pytest.approx(float(q1_stopped.get("height", 0)))
    assert float(q2_scaled.get("height", 0)) == pytest.approx(2 * float(q1_scaled.get("height", 0)))
    # stopped sits on top of scaled
    assert float(q1_stopped.get("y", 0)) + float(q1_stopped.get("height", 0)) == pytest.approx(
        float(q1_scaled.get("y", 0))
    )
    assert q1_scaled.get("fill") == charts.SERIES_COLOURS["scaled"]
    for legend in ("Scaled", "Stopped", "Stalled"):
        assert legend in svg


def test_histogram_y_axis_has_round_ticks_covering_the_top() -> None:
    assert charts._ticks(7) == [0, 2, 4, 6, 8]
    assert charts._ticks(100) == [0, 25, 50, 75, 100]
    svg = charts.histogram([("<30 d", 7), ("30-90 d", 3)], y_label="use cases")
    assert ">use cases<" in svg
    assert ">8<" in svg


def test_radar_points_lie_on_their_axes() -> None:
    x, y = charts.radar_point(100, 100, 50, 0, 4, 100)
    assert (x, y) == pytest.approx((100, 50))
    x, y = charts.radar_point(100, 100, 50, 1, 4, 50)
    assert (x, y) == pytest.approx((125, 100))
    assert charts.radar_point(100, 100, 50, 2, 4, 250) == pytest.approx((100, 150))  # clamped


def test_radar_without_self_assessment_says_not_assessed() -> None:
    svg = charts.radar([("People", None, 40.0), ("Data", None, 60.0), ("Governance", None, 0.0)])
    root = parse(svg)
    series = [
        p for p in root.iter(f"{{{NS['svg']}}}polygon") if "chart-series" in (p.get("class") or "")
    ]
    assert len(series) == 1
    assert "series-evidence" in (series[0].get("class") or "")
    assert "Self-assessment: not assessed" in svg


def test_long_labels_are_shortened_with_the_full_label_as_tooltip() -> None:
    label = "A very long theme name that would run into the bars"
    svg = charts.bar_chart([(label, 1.0)], title="t", unit="")
    assert f"<title>{label}</title>" in svg
    assert "A very long theme name th…" in svg
