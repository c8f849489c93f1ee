"""The diagnostics page (eight questions as cards) and CSV export of every analytics table.

Both read only what the user may see. Caveat: the CSV escapes text cells that a
spreadsheet would run as a formula (= + - @) with a leading apostrophe.
"""

import csv

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from pydantic import ValidationError

from aiom.insights.analytics import Scope
from aiom.insights.analytics.api import diagnostics_payload, scope_of
from aiom.insights.analytics.schemas import ScopeIn
from aiom.insights.analytics.sparkline import sparkline
from aiom.insights.analytics.tables import TABLES, safe_cell, table
from aiom.organisation.models import OrgUnit


def _scope(request: HttpRequest) -> Scope:
    try:
        params = ScopeIn.model_validate({k: request.GET.get(k) for k in ScopeIn.model_fields})
    except ValidationError as exc:
        raise Http404("Unknown filter value.") from exc
    return scope_of(params)


@login_required
def diagnostics_page(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    payload = diagnostics_payload(scope, request.user, timezone.localdate())
    cards = [
        {"d": d, "spark": sparkline(d.trend, label=f"{d.question} per quarter")}
        for d in payload["questions"]
    ]
    query = request.GET.urlencode()
    return render(
        request,
        "insights/analytics/diagnostics.html",
        {
            "cards": cards,
            "scope": payload["scope"],
            "today": payload["today"],
            "incidents": payload["incidents"],
            "org_units": OrgUnit.objects.only("id", "name", "depth").order_by("path"),
            "exports": [(name, f"?{query}" if query else "") for name in TABLES],
        },
    )


@login_required
def export_csv(request: HttpRequest, name: str) -> HttpResponse:
    if name not in TABLES:
        raise Http404(f"No table {name}.")
    today = timezone.localdate()
    head, rows = table(name, _scope(request), today=today, user=request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="aiom-{name}-{today}.csv"'
    writer = csv.writer(response)
    writer.writerow([safe_cell(h) for h in head])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return response
