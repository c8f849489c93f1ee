"""Server-side SVG charts: bars, a funnel, stacked bars, a histogram and a radar.

Each function returns one self-contained `<svg role="img">` with a `<title>`, an
`aria-label`, axis labels and a legend. No script and no `style` attribute (the CSP
forbids inline styles): colours are SVG presentation attributes, so a chart also looks
right where app.css is absent (a PDF, a feed reader). Every label is escaped here; the
markup is marked safe only once it is built. A chart is never the only way to read a
figure: templates put a data table next to it.
"""

import math
from collections.abc import Iterable, Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 540
PALETTE = ("#3b4cca", "#067647", "#b42318", "#b54708", "#6941c6", "#0e7490", "#475467")
SERIES_COLOURS = {
    "scaled": "#067647",
    "stopped": "#b42318",
    "stalled": "#b54708",
    "running": "#3b4cca",
    "self": "#6941c6",
    "evidence": "#0e7490",
}
INK, MUTED, GRID = "#1d2433", "#5d6678", "#e2e6ee"
LABEL_CHARS = 26


def number(value: float) -> str:
    """12, 3.5, 12,400, 250,000, 3.4M, 1.2B: short enough for a label beside a bar."""
    if value != value:  # NaN
        return "n/a"
    magnitude = abs(value)
    if magnitude >= 1_000_000_000:
        return f"{value / 1_000_000_000:.1f}B".replace(".0B", "B")
    if magnitude >= 1_000_000:
        return f"{value / 1_000_000:.1f}M".replace(".0M", "M")
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def colour(key: str, index: int) -> str:
    return SERIES_COLOURS.get(key, PALETTE[index % len(PALETTE)])


def _short(label: str, limit: int = LABEL_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _text(
    x: float,
    y: float,
    label: str,
    *,
    cls: str = "chart-label",
    anchor: str = "start",
    size: int = 13,
    fill: str = INK,
    limit: int = LABEL_CHARS,
) -> str:
    """A text element; a shortened label keeps the full one as its tooltip."""
    short = _short(label, limit)
    tip = f"<title>{escape(label)}</title>" if short != label else ""
    return (
        f'<text class="{cls}" x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" '
        f'font-size="{size}" fill="{fill}">{tip}{escape(short)}</text>'
    )


def _svg(
    title: str, height: float, body: Iterable[str], *, cls: str, width: int = WIDTH
) -> SafeString:
    label = escape(title)
    return mark_safe(  # noqa: S308 - built here from escaped labels and numbers only
        f'<svg class="chart {cls}" role="img" aria-label="{label}" '
        f'viewBox="0 0 {width} {height:.0f}" width="100%" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="DejaVu Sans, sans-serif">'
        f"<title>{label}</title>{''.join(body)}</svg>"
    )


def _empty(title: str, cls: str) -> SafeString:
    """A small placeholder saying there is nothing to draw (not a zero-height chart)."""
    return _svg(
        title,
        48,
        [_text(160, 29, "No data yet", anchor="middle", fill=MUTED, size=14)],
        cls=f"{cls} chart-empty",
        width=320,
    )


def _legend(items: Sequence[tuple[str, str]], y: float, x: float = 10) -> list[str]:
    """Swatches in one row from x; each item is (label, colour)."""
    parts = ['<g class="chart-legend">']
    for label, fill in items:
        parts.append(f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="12" height="12" fill="{fill}"/>')
        parts.append(_text(x + 17, y, label, size=13, limit=80))
        x += 17 + 7.5 * len(label) + 18
    parts.append("</g>")
    return parts


def _ticks(top: float) -> list[float]:
    """Four or five round gridline values from 0 up to at least `top`."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    return [step * i for i in range(math.ceil(top / step - 1e-9) + 1)]


def bar_chart(rows: list[tuple[str, float]], *, title: str, unit: str = "") -> SafeString:
    """Horizontal bars, one per row, longest = the largest value; negatives drawn as 0."""
    if not rows:
        return _empty(title, "chart-bars")
    label_w, right = 190, 100
    plot = WIDTH - label_w - right
    top = max(max(v for _, v in rows), 0) or 1
    row_h, pad = 28, 10
    body = []
    for i, (label, value) in enumerate(rows):
        y = pad + i * row_h
        w = plot * max(value, 0) / top
        body.append(_text(label_w - 8, y + 17, label, anchor="end"))
        body.append(
            f'<rect class="chart-bar" x="{label_w}" y="{y + 4}" width="{w:.1f}" '
            f'height="{row_h - 8}" fill="{PALETTE[0]}"><title>{escape(label)}: '
            f"{escape(number(value))} {escape(unit)}</title></rect>"
        )
        body.append(_text(label_w + w + 6, y + 17, f"{number(value)} {unit}".strip(), fill=MUTED))
    axis_y = pad + len(rows) * row_h
    body.append(
        f'<line class="chart-axis" x1="{label_w}" y1="{pad}" x2="{label_w}" y2="{axis_y}" '
        f'stroke="{MUTED}"/>'
    )
    return _svg(title, axis_y + 10, body, cls="chart-bars")


def funnel_chart(stages: list[tuple[str, int]], *, title: str = "Lifecycle funnel") -> SafeString:
    """Centred bars narrowing stage by stage, each with its count and share of the first."""
    if not stages or not any(n for _, n in stages):
        return _empty(title, "chart-funnel")
    label_w, right, row_h, pad = 110, 110, 34, 8
    plot = WIDTH - label_w - right
    top = max(n for _, n in stages) or 1
    first = stages[0][1]
    centre = label_w + plot / 2
    body = []
    for i, (label, count) in enumerate(stages):
        y = pad + i * row_h
        w = max(plot * count / top, 2 if count else 0)
        body.append(_text(label_w - 8, y + 21, label, anchor="end", limit=18))
        body.append(
            f'<rect class="chart-bar" x="{centre - w / 2:.1f}" y="{y + 4}" width="{w:.1f}" '
            f'height="{row_h - 8}" rx="3" fill="{PALETTE[0]}">'
            f"<title>{escape(label)}: {count}</title></rect>"
        )
        share = f" ({count / first:.0%})" if first and i else ""
        body.append(_text(label_w + plot + 8, y + 21, f"{number(count)}{share}", fill=MUTED))
    height = pad + len(stages) * row_h
    body.append(_text(label_w + plot + 8, height + 14, "share of first stage", fill=MUTED, size=10))
    return _svg(title, height + 22, body, cls="chart-funnel")


def _columns(
    groups: list[tuple[str, list[tuple[str, int, str]]]],
    *,
    title: str,
    cls: str,
    y_label: str,
    legend: Sequence[tuple[str, str]] = (),
) -> SafeString:
    """Vertical columns, each a stack of (series, value, colour) segments, with a y axis."""
    left, right, top_pad, plot_h = 66, 12, 14, 200
    legend_h = 26 if legend else 0
    plot_w = WIDTH - left - right
    top = max((sum(v for _, v, _ in segs) for _, segs in groups), default=0)
    ticks = _ticks(top)
    scale = plot_h / ticks[-1]
    base = top_pad + plot_h
    body = []
    for tick in ticks:
        y = base - tick * scale
        body.append(
            f'<line class="chart-grid" x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" '
            f'y2="{y:.1f}" stroke="{GRID}"/>'
        )
        body.append(_text(left - 6, y + 4, number(tick), anchor="end", fill=MUTED, size=12))
    slot = plot_w / len(groups)
    bar_w = min(slot * 0.7, 60)
    every = max(1, math.ceil(len(groups) / (plot_w / 48)))
    for i, (label, segs) in enumerate(groups):
        x = left + i * slot + (slot - bar_w) / 2
        y = base
        for series, value, fill in segs:
            h = value * scale
            if h <= 0:
                continue
            y -= h
            body.append(
                f'<rect class="chart-bar" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" '
                f'height="{h:.1f}" fill="{fill}"><title>{escape(label)}, {escape(series)}: '
                f"{value}</title></rect>"
            )
        if i % every == 0:
            body.append(_text(x + bar_w / 2, base + 16, label, anchor="middle", size=12, limit=10))
    body.append(
        f'<line class="chart-axis" x1="{left}" y1="{base}" x2="{WIDTH - right}" y2="{base}" '
        f'stroke="{MUTED}"/>'
    )
    body.append(
        f'<text class="chart-label" x="12" y="{top_pad + plot_h / 2:.1f}" font-size="11" '
        f'fill="{MUTED}" text-anchor="middle" transform="rotate(-90 12 '
        f'{top_pad + plot_h / 2:.1f})">{escape(y_label)}</text>'
    )
    if legend:
        body.extend(_legend(legend, base + 42))
    return _svg(title, base + 28 + legend_h, body, cls=cls)


def stacked_bars(
    cohorts: list[tuple[str, dict[str, int]]],
    series: list[str],
    *,
    title: str = "Pilot outcomes by cohort",
    y_label: str = "pilots",
) -> SafeString:
    """One column per cohort, stacked in `series` order from the bottom up."""
    if not cohorts or not any(sum(c.values()) for _, c in cohorts):
        return _empty(title, "chart-stacked")
    colours = [colour(s, i) for i, s in enumerate(series)]
    groups = [
        (label, [(s, int(values.get(s, 0)), colours[i]) for i, s in enumerate(series)])
        for label, values in cohorts
    ]
    legend = [(s.capitalize(), colours[i]) for i, s in enumerate(series)]
    return _columns(groups, title=title, cls="chart-stacked", y_label=y_label, legend=legend)


def histogram(
    buckets: list[tuple[str, int]],
    *,
    title: str = "Time to value",
    y_label: str = "use cases",
) -> SafeString:
    """Adjacent-bucket counts as columns; bucket labels on the x axis as given."""
    if not buckets or not any(n for _, n in buckets):
        return _empty(title, "chart-histogram")
    groups = [(label, [(label, int(n), PALETTE[0])]) for label, n in buckets]
    return _columns(groups, title=title, cls="chart-histogram", y_label=y_label)


def radar_point(
    cx: float, cy: float, radius: float, i: int, n: int, value: float
) -> tuple[float, float]:
    """Where `value` (0-100) lies on axis i of n; axis 0 points straight up."""
    angle = -math.pi / 2 + 2 * math.pi * i / n
    r = radius * max(0.0, min(value, 100.0)) / 100
    return cx + r * math.cos(angle), cy + r * math.sin(angle)


def radar(
    dimensions: list[tuple[str, float | None, float | None]],
    *,
    title: str = "Maturity: self-assessment and evidence",
    series: tuple[str, str] = ("Self-assessment", "Evidence"),
) -> SafeString:
    """Two polygons (self, evidence) over 0-100 rings; a series with no value is left out."""
    if not dimensions:
        return _empty(title, "chart-radar")
    n = len(dimensions)
    width = 460
    cx, cy, radius = width / 2, 165, 120
    body = []
    for ring in (25, 50, 75, 100):
        points = " ".join(
            "{:.1f},{:.1f}".format(*radar_point(cx, cy, radius, i, n, ring)) for i in range(n)
        )
        body.append(f'<polygon class="chart-grid" points="{points}" fill="none" stroke="{GRID}"/>')
        body.append(_text(cx + 3, cy - radius * ring / 100 - 2, str(ring), fill=MUTED, size=9))
    for i, (label, _, _) in enumerate(dimensions):
        x, y = radar_point(cx, cy, radius, i, n, 100)
        lx, ly = radar_point(cx, cy, radius + 18, i, n, 100)
        anchor = "middle" if abs(lx - cx) < 5 else ("start" if lx > cx else "end")
        body.append(
            f'<line class="chart-axis" x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID}"/>'
        )
        body.append(_text(lx, ly + 4, label, anchor=anchor, size=13, limit=16))
    legend = []
    for s, (key, name) in enumerate(zip(("self", "evidence"), series, strict=True)):
        fill = colour(key, s)
        values = [d[2] if s else d[1] for d in dimensions]
        if all(v is None for v in values):
            legend.append((f"{name}: not assessed", MUTED))
            continue
        points = " ".join(
            "{:.1f},{:.1f}".format(*radar_point(cx, cy, radius, i, n, v or 0))
            for i, v in enumerate(values)
        )
        body.append(
            f'<polygon class="chart-series series-{key}" points="{points}" fill="{fill}" '
            f'fill-opacity="0.18" stroke="{fill}" stroke-width="2"><title>{escape(name)}</title>'
            "</polygon>"
        )
        legend.append((name, fill))
    body.extend(_legend(legend, 338))
    return _svg(title, 348, body, cls="chart-radar", width=width)
