"""A tiny server-drawn trend line (inline SVG) for a diagnostic card.

No `style` attribute and no script (strict CSP): colours come from CSS classes. Caveat:
quarters without a figure are gaps — the line joins only the quarters that have one.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, PAD = 120, 32, 4


def sparkline(trend: list[tuple[str, float | None]], *, label: str) -> SafeString:
    """An <svg role="img"> with one point per quarter that has a value; empty text if none."""
    known = [(i, v) for i, (_, v) in enumerate(trend) if v is not None]
    title = escape(label)
    if not known:
        return mark_safe(  # noqa: S308 - escaped label only
            f'<svg class="spark spark-empty" role="img" aria-label="{title}: no trend yet" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}">'
            f"<title>{title}: no trend yet</title>"
            f'<line class="spark-base" x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" '
            f'y2="{HEIGHT - PAD}"/></svg>'
        )
    low = min(v for _, v in known)
    high = max(v for _, v in known)
    span = (high - low) or 1.0
    step = (WIDTH - 2 * PAD) / max(len(trend) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return PAD + i * step, HEIGHT - PAD - (v - low) / span * (HEIGHT - 2 * PAD)

    points = " ".join("{:.1f},{:.1f}".format(*xy(i, v)) for i, v in known)
    dot = '<circle class="spark-dot" cx="{:.1f}" cy="{:.1f}" r="2"><title>{}: {}</title></circle>'
    dots = "".join(dot.format(*xy(i, v), escape(trend[i][0]), f"{v:g}") for i, v in known)
    summary = ", ".join(f"{q} {'—' if v is None else f'{v:g}'}" for q, v in trend)
    return mark_safe(  # noqa: S308 - built from escaped labels and numbers only
        f'<svg class="spark" role="img" aria-label="{title}: {escape(summary)}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}">'
        f"<title>{title}: {escape(summary)}</title>"
        f'<polyline class="spark-line" fill="none" points="{points}"/>{dots}</svg>'
    )
