"""The dashboard home and the board report (HTML for print, and PDF through WeasyPrint).

Anyone internal may read both, scoped to the use cases they may see; external partners
get 403. Caveat: the PDF needs WeasyPrint, an optional dependency; without it the PDF
URL answers 501 and points to the printable HTML.
"""

import datetime as dt
import importlib.util
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from aiom.core import charts
from aiom.core.errors import PermissionDenied
from aiom.insights import analytics
from aiom.insights.analytics import Scope
from aiom.insights.analytics.figure import count_text
from aiom.insights.dashboard import content as dashboard
from aiom.organisation.access import access_for
from aiom.organisation.models import OrgUnit


def _internal_only(request: HttpRequest) -> None:
    if not access_for(request.user).is_internal:
        raise PermissionDenied("The dashboard and the board report are for internal users.")


def _scope(request: HttpRequest) -> tuple[Scope, OrgUnit | None, str]:
    unit, problem = dashboard.selected_unit(request)
    return Scope(org_unit=unit.pk if unit else None), unit, problem


def _common(request: HttpRequest, today: dt.date) -> dict[str, Any]:
    """Filters, headline figures, funnel and pilot outcomes: shared by both pages."""
    scope, unit, problem = _scope(request)
    user = request.user
    figures, pilots, ttv = dashboard.headlines(scope, user, today)
    funnel = dashboard.funnel_rows(scope, user, today)
    cohorts = dashboard.cohort_rows(pilots)
    return {
        "scope": scope,
        "unit": unit,
        "problem": problem,
        "today": today,
        "units": dashboard.org_units(),
        "figures": figures,
        "fig": {h.figure.key: h.figure for h in figures},
        "pilots": pilots,
        "stalled_text": count_text(pilots.stalled),
        "ttv": ttv,
        "funnel": funnel,
        "funnel_svg": charts.funnel_chart(
            [(row.label, row.entered) for row in funnel],
            title="Lifecycle funnel: use cases that ever entered each stage",
        ),
        "cohorts": cohorts,
        "cohort_table": [(q, [v[s] for s in dashboard.PILOT_SERIES]) for q, v in cohorts],
        "pilot_series": dashboard.PILOT_SERIES,
        "pilot_svg": charts.stacked_bars(
            cohorts,
            dashboard.PILOT_SERIES,
            title="Pilot outcomes by the quarter the pilot started",
        ),
        "query": f"?org_unit={unit.pk}" if unit else "",
    }


@login_required
def home(request: HttpRequest) -> HttpResponse:
    _internal_only(request)
    today = timezone.localdate()
    context = _common(request, today)
    user, scope, unit = request.user, context["scope"], context["unit"]
    ttv = context["ttv"]
    value_rows = dashboard.value_by_theme(scope, user)
    unit_label = dashboard.currency(value_rows, scope, user)
    maturity = dashboard.maturity(unit, user, today)
    context.update(
        ttv_svg=charts.histogram(
            list(ttv.buckets), title="Time to value: days from proposal to a met target"
        ),
        value_rows=value_rows,
        value_unit=unit_label,
        value_svg=charts.bar_chart(
            [(name, total) for name, total, _ in value_rows],
            title="Expected annual benefit of use cases that reached their target, by theme",
            unit=unit_label,
        ),
        maturity=maturity,
        radar_svg=charts.radar(
            maturity.radar(), title="Maturity per dimension: self-assessment and evidence"
        ),
    )
    return render(request, "insights/dashboard/home.html", context)


def _report_context(request: HttpRequest) -> dict[str, Any]:
    today = timezone.localdate()
    context = _common(request, today)
    user, scope, unit = request.user, context["scope"], context["unit"]
    maturity = dashboard.maturity(unit, user, today)
    context.update(
        diagnostics=analytics.diagnostics(scope, today=today, user=user),
        maturity=maturity,
        radar_svg=charts.radar(maturity.radar(), title="Maturity per dimension"),
        risks=dashboard.top_risks(scope, user, today),
        generated_at=timezone.localtime(),
        pdf_available=weasyprint_available(),
    )
    return context


@login_required
def board_report(request: HttpRequest) -> HttpResponse:
    _internal_only(request)
    return render(request, "insights/dashboard/board_report.html", _report_context(request))


def weasyprint_available() -> bool:
    return importlib.util.find_spec("weasyprint") is not None


@login_required
def board_report_pdf(request: HttpRequest) -> HttpResponse:
    """The board report as an A4 PDF; 501 with a link to the HTML without WeasyPrint."""
    _internal_only(request)
    html_url = reverse("dashboard:board_report") + (
        f"?{request.GET.urlencode()}" if request.GET else ""
    )
    try:
        import weasyprint  # type: ignore[import-not-found,unused-ignore]
    except (ImportError, OSError):  # not installed, or its Pango libraries are missing
        message = format_html(
            "<!doctype html><title>PDF not available</title><h1>PDF not available</h1>"
            "<p>This server cannot render PDFs: WeasyPrint is not installed. "
            '<a href="{}">Open the printable board report</a> and print it to PDF from '
            "the browser.</p>",
            html_url,
        )
        return HttpResponse(message, status=501, content_type="text/html; charset=utf-8")

    context = _report_context(request)
    context["pdf"] = True
    html = render_to_string("insights/dashboard/board_report.html", context, request=request)
    stylesheet = finders.find("aiom/app.css")
    # The PDF layout links nothing (inline SVG, the stylesheet read from disk): no fetches.
    pdf = weasyprint.HTML(string=html).write_pdf(
        stylesheets=[weasyprint.CSS(filename=stylesheet)] if stylesheet else None
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"aiom-board-report-{context['today']:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
