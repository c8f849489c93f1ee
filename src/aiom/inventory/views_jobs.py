"""Import jobs' pages, administrators only: the recent jobs, and one job's progress (polled
with htmx while it runs) and, once it is done, its report."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from aiom.core.htmx import HtmxHttpRequest
from aiom.inventory import jobs
from aiom.inventory.models import ImportJob
from aiom.inventory.report_json import from_json
from aiom.inventory.views import report_context, require_admin

RECENT = 50
POLL_SECONDS = 2


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    require_admin(request)
    recent = list(ImportJob.objects.select_related("actor")[:RECENT])
    rows = [(job, jobs.status(job)) for job in recent]
    return render(request, "inventory/jobs.html", {"rows": rows})


@login_required
@require_GET
def job_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    require_admin(request)
    job = get_object_or_404(ImportJob.objects.select_related("actor"), pk=pk)
    status = jobs.status(job)
    polled = bool(request.htmx)
    context: dict[str, Any] = {"job": job, "status": status, "poll": POLL_SECONDS, "polled": polled}
    if status.finished and job.report is not None:
        context |= report_context(from_json(job.report))
    # A poll answers the progress part, and the persistent live region's new text out of
    # band (a region replaced on every poll would not be announced by screen readers).
    template = "inventory/job.html#progress" if polled else "inventory/job.html"
    return render(request, template, context)
