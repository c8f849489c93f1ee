"""/api/v1/diagnostics and /api/v1/analytics/*: portfolio figures, scoped to the caller.

Every figure counts only the use cases the caller may see (`visible_to`); an unknown org
unit or theme answers 404. Caveat: figures are computed on request, not cached.
"""

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router

from aiom.core.errors import PermissionDenied
from aiom.insights import analytics
from aiom.insights.analytics.schemas import (
    CoverageOut,
    DiagnosticsOut,
    DwellOut,
    EmbeddingOut,
    FigureOut,
    FunnelOut,
    GovernanceTimingOut,
    PeriodIn,
    PilotOutcomesOut,
    ScopeIn,
    StageReachOut,
    TimeToValueOut,
    VendorsOut,
)
from aiom.monitoring.analytics import incident_counts
from aiom.organisation.access import access_for
from aiom.organisation.models import OrgUnit
from aiom.portfolio.models import Theme

router = Router(tags=["analytics"])
DEFAULT_PERIOD_DAYS = 90


def scope_of(params: ScopeIn) -> analytics.Scope:
    """The analytics scope for query parameters; 404 for an org unit or theme not there."""
    if params.org_unit is not None and not OrgUnit.objects.filter(pk=params.org_unit).exists():
        raise Http404(f"no org unit {params.org_unit}")
    if params.theme is not None and not Theme.objects.filter(pk=params.theme).exists():
        raise Http404(f"no theme {params.theme}")
    return analytics.Scope(params.org_unit, params.theme, params.tier, params.ai_type)


def diagnostics_payload(scope: analytics.Scope, user: Any, today: dt.date) -> dict[str, Any]:
    """The eight answers, incidents and monitoring, and the scope they answer for (shared
    by the API and the page)."""
    unit = OrgUnit.objects.filter(pk=scope.org_unit).first() if scope.org_unit else None
    return {
        "scope": {
            "org_unit": scope.org_unit,
            "org_unit_name": unit.name if unit else None,
            "theme": scope.theme,
            "tier": scope.tier,
            "ai_type": scope.ai_type,
        },
        "today": today,
        "questions": analytics.diagnostics(scope, today=today, user=user),
        "incidents": incident_counts(scope.use_cases(user), today=today),
    }


@router.get("/diagnostics", response=DiagnosticsOut, summary="The eight diagnostic questions")
def diagnostics(request: HttpRequest, params: Query[ScopeIn]) -> dict[str, Any]:
    return diagnostics_payload(scope_of(params), request.user, timezone.localdate())


@router.get(
    "/analytics/headlines",
    response=list[FigureOut],
    summary="The dashboard's headline figures, as the dashboard and board report show them",
)
def headlines(request: HttpRequest, params: Query[ScopeIn]) -> list[Any]:
    """Internal users only, like the dashboard (external partners: 403)."""
    if not access_for(request.user).is_internal:
        raise PermissionDenied("The dashboard's figures are for internal users.")
    from aiom.insights.dashboard.content import headlines as dashboard_headlines

    found, _, _ = dashboard_headlines(scope_of(params), request.user, timezone.localdate())
    return [h.figure for h in found]


@router.get(
    "/analytics/stage-reach",
    response=list[StageReachOut],
    summary="Per stage: use cases that ever entered it and those there now (the funnel)",
)
def stage_reach(request: HttpRequest, params: Query[ScopeIn]) -> list[Any]:
    from aiom.insights.analytics.funnel import stage_order
    from aiom.insights.analytics.stage_reach import stage_reach as reach

    return reach(scope_of(params), stage_order(), user=request.user)


@router.get("/analytics/funnel", response=FunnelOut, summary="Stage counts and entries")
def funnel(request: HttpRequest, params: Query[PeriodIn]) -> analytics.Funnel:
    until = params.until or timezone.localdate()
    since = params.since or until - dt.timedelta(days=DEFAULT_PERIOD_DAYS)
    return analytics.funnel(scope_of(params), since=since, until=until, user=request.user)


@router.get("/analytics/pilots", response=PilotOutcomesOut, summary="Pilot outcomes by cohort")
def pilots(request: HttpRequest, params: Query[ScopeIn]) -> analytics.PilotOutcomes:
    return analytics.pilot_outcomes(scope_of(params), today=timezone.localdate(), user=request.user)


@router.get("/analytics/time-to-value", response=TimeToValueOut, summary="Idea to impact")
def time_to_value(request: HttpRequest, params: Query[ScopeIn]) -> analytics.TimeToValue:
    return analytics.time_to_value(scope_of(params), user=request.user)


@router.get("/analytics/dwell", response=DwellOut, summary="Days in stage against SLA")
def dwell(request: HttpRequest, params: Query[ScopeIn]) -> analytics.Dwell:
    return analytics.dwell(scope_of(params), today=timezone.localdate(), user=request.user)


@router.get("/analytics/coverage", response=CoverageOut, summary="Owners, sponsors, KPIs")
def coverage(request: HttpRequest, params: Query[ScopeIn]) -> analytics.Coverage:
    return analytics.coverage(scope_of(params), today=timezone.localdate(), user=request.user)


@router.get("/analytics/governance", response=GovernanceTimingOut, summary="Governance timing")
def governance(request: HttpRequest, params: Query[ScopeIn]) -> analytics.GovernanceTiming:
    return analytics.governance_timing(
        scope_of(params), today=timezone.localdate(), user=request.user
    )


@router.get("/analytics/embedding", response=EmbeddingOut, summary="Operational and adoption")
def embedding(request: HttpRequest, params: Query[ScopeIn]) -> analytics.Embedding:
    return analytics.embedding(scope_of(params), today=timezone.localdate(), user=request.user)


@router.get("/analytics/vendors", response=VendorsOut, summary="Vendor dependence")
def vendors(request: HttpRequest, params: Query[ScopeIn]) -> analytics.Vendors:
    return analytics.vendor_dependence(scope_of(params), user=request.user)
