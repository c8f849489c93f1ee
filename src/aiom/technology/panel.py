"""The use-case page's technology panel: what the use case relies on, link and unlink.

`panel_context(request, use_case)` is registered with `portfolio.panels`; link and
unlink answer the partial to htmx (422 with the reason on a refusal) and redirect to
the use-case page otherwise.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from aiom.core.errors import InvalidInput
from aiom.core.htmx import HtmxHttpRequest
from aiom.organisation.access import access_for
from aiom.portfolio import panels
from aiom.portfolio import permissions as uc_permissions
from aiom.portfolio.access import use_case_for
from aiom.portfolio.models import UseCase
from aiom.technology import services
from aiom.technology.forms import KINDS, LinkForm, parse_record, record_choices
from aiom.technology.models import UseCaseModel, UseCasePlatform, UseCaseVendor

TEMPLATE = "technology/_use_case_technology.html"


def panel_context(request: HttpRequest, use_case: UseCase) -> dict[str, Any]:
    """What the panel needs, under one key: `technology` (registry hidden from partners)."""
    internal = access_for(request.user).is_internal
    links: dict[str, list[Any]] = {"model": [], "platform": [], "vendor": []}
    if internal:
        links["model"] = list(
            UseCaseModel.objects.filter(use_case=use_case).select_related("target__vendor")
        )
        links["platform"] = list(
            UseCasePlatform.objects.filter(use_case=use_case).select_related("target")
        )
        links["vendor"] = list(
            UseCaseVendor.objects.filter(use_case=use_case).select_related("target")
        )
    can_link = internal and uc_permissions.can_edit(request.user, use_case)
    linked = {f"{kind}:{link.target_id}" for kind, rows in links.items() for link in rows}
    form = LinkForm(choices=record_choices(request.user, linked)) if can_link else None
    return {
        "technology": {
            "use_case": use_case,
            "shown": internal,
            "links": links,
            "any": any(links.values()),
            "can_link": can_link,
            "form": form,
        }
    }


def register_panel() -> None:
    """Show this panel on the use-case page (called by TechnologyConfig.ready)."""
    panels.register("technology", TEMPLATE, panel_context, order=60)


def _answer(
    request: HtmxHttpRequest, uc: UseCase, *, error: str = "", done: str = ""
) -> HttpResponse:
    return panels.answer(request, uc, "technology", error=error, done=done)


@login_required
def use_case_technology(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """GET: the panel alone; POST: link a model, platform or vendor with its purpose."""
    uc = use_case_for(request, pk).use_case
    if request.method != "POST":
        return render(request, TEMPLATE, panel_context(request, uc))
    record = parse_record(request.POST.get("record", ""), request.user)
    if record is None:
        return _answer(request, uc, error="Choose a model, platform or vendor to link.")
    try:
        services.link(
            actor=request.user, use_case=uc, record=record, purpose=request.POST.get("purpose", "")
        )
    except InvalidInput as exc:
        return _answer(request, uc, error=exc.sentence)
    return _answer(request, uc, done=f"Linked “{record}”.")


@login_required
@require_POST
def use_case_unlink(request: HtmxHttpRequest, pk: int, kind: str, target: int) -> HttpResponse:
    uc = use_case_for(request, pk).use_case
    if kind not in KINDS:
        raise Http404("No such kind of registry record.")
    record = parse_record(f"{kind}:{target}", request.user)
    if record is None:
        raise Http404("No such registry record, or not one you may see.")
    try:
        services.unlink(actor=request.user, use_case=uc, record=record)
    except InvalidInput as exc:
        return _answer(request, uc, error=exc.sentence)
    return _answer(request, uc, done=f"Unlinked “{record}”.")
