"""Portfolio-wide value pages: the prioritised backlog (matrix + ranking) and the themes.

The backlog shows only what the viewer may see; the themes are read by everyone and
edited (objective, targets) by administrators through `portfolio.services.update_theme`.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from aiom.core.errors import InvalidInput
from aiom.core.forms import lines
from aiom.core.ids import parse_id
from aiom.organisation.access import access_for
from aiom.organisation.models import OrgUnit
from aiom.organisation.services import require_admin
from aiom.portfolio.models import Theme
from aiom.portfolio.services import update_theme
from aiom.value.backlog import backlog, prioritisation_stages
from aiom.value.charts import MATRIX, MATRIX_PAD, matrix_xy

TARGET_ROWS = 5
MAX_TARGETS = 20


def _id(request: HttpRequest, name: str) -> int | None:
    return parse_id(request.GET.get(name, ""))


@login_required
def backlog_page(request: HttpRequest) -> HttpResponse:
    theme, org_unit = _id(request, "theme"), _id(request, "org_unit")
    entries = backlog(request.user, theme=theme, org_unit=org_unit)
    half = MATRIX / 2
    points = [(e, *matrix_xy(e.score.value_score, e.score.feasibility_score)) for e in entries]
    context: dict[str, Any] = {
        "entries": entries,
        "points": points,
        "stages": prioritisation_stages(),
        "themes": Theme.objects.filter(is_active=True),
        "org_units": OrgUnit.objects.order_by("path"),
        "theme": theme,
        "org_unit": org_unit,
        "m": {
            "size": MATRIX,
            "pad": MATRIX_PAD,
            "inner": MATRIX - 2 * MATRIX_PAD,
            "half": half,
            "qw": half - MATRIX_PAD,
            "far": MATRIX - MATRIX_PAD,
            "q1": MATRIX_PAD + (half - MATRIX_PAD) / 2,
            "q3": half + (half - MATRIX_PAD) / 2,
            "bottom": MATRIX - 8,
        },
    }
    return render(request, "value/backlog.html", context)


@login_required
def themes_page(request: HttpRequest) -> HttpResponse:
    themes = Theme.objects.all()
    is_admin = access_for(request.user).is_admin
    return render(request, "value/themes.html", {"themes": themes, "is_admin": is_admin})


def _targets_from(post: Any) -> list[dict[str, str]]:
    rows = []
    for i in range(MAX_TARGETS):
        row = {k: post.get(f"{k}_{i}", "").strip() for k in ("metric", "target", "unit", "by")}
        if any(row.values()):
            rows.append(row)
    return rows


@login_required
def theme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    theme = Theme.objects.filter(pk=pk).first()
    if theme is None:
        raise Http404("No such theme.")
    require_admin(request.user, "manage strategic themes")
    errors: dict[str, str] = {}
    objective, rows = theme.objective, list(theme.targets)
    if request.method == "POST":
        # a hand-written textarea: its line breaks arrive as CRLF
        objective, rows = lines(request.POST.get("objective", "")), _targets_from(request.POST)
        try:
            update_theme(actor=request.user, theme=theme, objective=objective, targets=rows)
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(request, f"Theme “{theme.name}” saved.")
            return redirect("value:themes")
    padded = rows + [{}] * max(2, TARGET_ROWS - len(rows))
    context = {"theme": theme, "objective": objective, "rows": padded, "errors": errors}
    return render(request, "value/theme_form.html", context, status=422 if errors else 200)
