"""The audit trail page: events the reader may see; administrators can verify the chain."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from aiom.core import anchors
from aiom.core.audit_key import AuditKeyError
from aiom.core.errors import PermissionDenied
from aiom.core.viewers import viewer
from aiom.core.visibility import audit_events_visible_to


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    events = audit_events_visible_to(request.user).select_related("actor").order_by("-seq")
    action = request.GET.get("action", "")
    if action:
        events = events.filter(action=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "core/audit_list.html",
        {
            "page": page,
            "action": action,
            "is_admin": viewer(request.user).is_admin,
        },
    )


@login_required
@require_POST
def audit_verify(request: HttpRequest) -> HttpResponse:
    if not viewer(request.user).is_admin:
        raise PermissionDenied("only administrators verify the audit chain")
    try:
        default = anchors.default_path()
        verdict = anchors.verify(default if default.exists() else None)
    except (anchors.AnchorFileError, AuditKeyError) as exc:
        messages.error(request, f"Audit chain not verified: {exc}.")
        return redirect("core:audit")
    report = verdict.chain
    if verdict.ok:
        against = f", consistent with {verdict.anchors} anchors" if verdict.path else ""
        messages.success(request, f"Audit chain intact: {report.checked} events verified{against}.")
    elif not report.ok:
        first = f" First event that differs: {report.event}." if report.event else ""
        messages.error(
            request, f"Audit chain BROKEN at event #{report.broken_seq}: {report.reason}.{first}"
        )
    for problem in verdict.problems:
        messages.error(request, f"Audit chain TAMPERED: {problem}.")
    return redirect("core:audit")
