"""A radar (spider) chart as inline SVG markup, drawn on the server.

Axis i points at angle -90° + 360°·i/n (the first axis straight up, then clockwise); a
value v (0-100) sits at v% of the radius. Colours come from app.css classes (the CSP
forbids style attributes); labels are escaped here. A missing value (None) is drawn at
the centre and marked "not measured" in the point's title, so a gap never looks like 0
without saying so.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SIZE = 300  # the plot's diameter in SVG units
PAD_X = 115  # room for the longest label (e.g. "Governance") left and right
PAD_Y = 40


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    css: str  # e.g. "self" -> class "radar-series radar-self"


def point(i: int, n: int, value: float, radius: float = SIZE / 2) -> tuple[float, float]:
    """Where value (0-100, clamped) on axis i of n lands, relative to the centre (y down)."""
    angle = -math.pi / 2 + 2 * math.pi * i / n
    r = radius * min(100.0, max(0.0, value)) / 100
    return round(r * math.cos(angle), 2), round(r * math.sin(angle), 2)


def anchor(i: int, n: int) -> str:
    """text-anchor for axis i's label: right of centre 'start', left 'end', else 'middle'."""
    x = math.cos(-math.pi / 2 + 2 * math.pi * i / n)
    return "start" if x > 0.3 else "end" if x < -0.3 else "middle"


def _points(values: Sequence[float], cx: float, cy: float) -> str:
    n = len(values)
    return " ".join(
        f"{cx + x:g},{cy + y:g}" for x, y in (point(i, n, v) for i, v in enumerate(values))
    )


def radar_svg(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    rings: Sequence[float] = (25, 50, 75, 100),
    title: str = "Maturity by dimension",
) -> SafeString:
    """One `<svg role="img">` with rings, axes, a polygon per series and a legend.

    Needs at least three axes; every series needs one value per label.
    """
    n = len(labels)
    if n < 3:
        raise ValueError("a radar needs at least three axes")
    for s in series:
        if len(s.values) != n:
            raise ValueError(f"series '{s.name}' has {len(s.values)} values for {n} axes")
    half = SIZE / 2
    cx, cy = half + PAD_X, half + PAD_Y
    width = SIZE + 2 * PAD_X
    legend_top = cy + half + 28
    height = legend_top + 24 * max(1, len(series))
    out = [
        f'<svg class="radar" viewBox="0 0 {width:g} {height:g}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for ring in rings:
        out.append(f'<polygon class="radar-ring" points="{_points([ring] * n, cx, cy)}"/>')
        out.append(
            f'<text class="radar-tick" x="{cx + 4:g}" y="{cy - half * ring / 100 + 11:g}">'
            f"{ring:g}</text>"
        )
    for i, label in enumerate(labels):
        x, y = point(i, n, 100)
        out.append(
            f'<line class="radar-axis" x1="{cx:g}" y1="{cy:g}" x2="{cx + x:g}" y2="{cy + y:g}"/>'
        )
        lx, ly = point(i, n, 100, half + 16)
        baseline = "auto" if ly < -half / 2 else "hanging" if ly > half / 2 else "middle"
        out.append(
            f'<text class="radar-label" x="{cx + lx:g}" y="{cy + ly:g}" '
            f'text-anchor="{anchor(i, n)}" dominant-baseline="{baseline}">{escape(label)}</text>'
        )
    for s in series:
        css = f"radar-{escape(s.css)}"
        drawn = [v if v is not None else 0.0 for v in s.values]
        out.append(f'<g class="radar-series {css}"><title>{escape(s.name)}</title>')
        out.append(f'<polygon points="{_points(drawn, cx, cy)}"/>')
        for i, (v, label) in enumerate(zip(s.values, labels, strict=True)):
            x, y = point(i, n, v if v is not None else 0.0)
            shown = f"{v:g}" if v is not None else "not measured"
            out.append(
                f'<circle cx="{cx + x:g}" cy="{cy + y:g}" r="3.5">'
                f"<title>{escape(s.name)} · {escape(label)}: {shown}</title></circle>"
            )
        out.append("</g>")
    for k, s in enumerate(series):
        y = legend_top + 24 * k
        out.append(
            f'<g class="radar-legend radar-{escape(s.css)}">'
            f'<rect x="{PAD_X:g}" y="{y:g}" width="14" height="14"/>'
            f'<text x="{PAD_X + 20:g}" y="{y + 11:g}">{escape(s.name)}</text></g>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every interpolated label is escaped above
