"""Silo pages: the /silos/ clusters, the intake suggestions panel, use-case links.

`links_context(request, use_case)` is what the use-case page includes as
`similarity/_use_case_links.html`; link and unlink answer that partial to htmx and
redirect to the use-case page otherwise.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.core.htmx import HtmxHttpRequest
from aiom.core.ids import parse_id
from aiom.organisation.models import OrgUnit
from aiom.portfolio import panels
from aiom.portfolio.access import use_case_for
from aiom.portfolio.models import UseCase
from aiom.similarity import clusters as silo_clusters
from aiom.similarity import loaded, services, snapshots
from aiom.similarity.models import LinkKind, UseCaseLink
from aiom.similarity.search import Draft, similar, similar_to

MIN_DRAFT_WORDS = 3


def _float(text: str, default: float) -> float:
    """A threshold from the query string, within what the clusters accept (0..1)."""
    try:
        found = float(text)
    except ValueError:
        return default
    if found != found:  # NaN
        return default
    return max(silo_clusters.MIN_THRESHOLD, min(found, silo_clusters.MAX_THRESHOLD))


def _int(text: str | None) -> int | None:
    return parse_id(text)


@login_required
def silos(request: HttpRequest) -> HttpResponse:
    threshold = _float(request.GET.get("threshold", ""), silo_clusters.DEFAULT_THRESHOLD)
    unit_id = _int(request.GET.get("org_unit"))
    unit = OrgUnit.objects.filter(pk=unit_id).first() if unit_id else None
    found = silo_clusters.clusters(loaded.view_for(request.user), threshold, unit)
    context = {
        "clusters": found,
        "preparing": not found and snapshots.latest() is None,
        "threshold": threshold,
        "org_unit": unit,
        "units": OrgUnit.objects.order_by("path").only("id", "name", "path"),
        "kinds": LinkKind.choices,
    }
    return render(request, "similarity/silos.html", context)


@login_required
@require_POST
def silo_link(request: HttpRequest) -> HttpResponse:
    source = use_case_for(request, _int(request.POST.get("source")) or 0).use_case
    target = use_case_for(request, _int(request.POST.get("target")) or 0).use_case
    try:
        services.link(
            actor=request.user,
            source=source,
            target=target,
            kind=request.POST.get("kind", ""),
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, f"Linked “{source}” to “{target}”.")
    except InvalidInput as exc:
        messages.error(request, "; ".join(exc.errors.values()))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("similarity:silos")


@login_required
@require_http_methods(["GET", "POST"])
def similar_panel(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    draft = Draft(
        title=data.get("title", "")[:200],
        problem=data.get("problem", ""),
        description=data.get("description", ""),
        value_hypothesis=data.get("value_hypothesis", ""),
        org_unit_id=_int(data.get("org_unit")),
        vendor=data.get("vendor", ""),
    )
    enough = len(draft.text.split()) >= MIN_DRAFT_WORDS * 2  # the title counts twice
    suggestions = similar(request.user, draft, 5) if enough else []
    preparing = enough and not suggestions and snapshots.latest() is None
    context = {"suggestions": suggestions, "enough": enough, "preparing": preparing}
    return render(request, "similarity/_suggestions.html", context)


def links_context(request: HttpRequest, use_case: UseCase) -> dict[str, Any]:
    links_out, links_in = _visible_links(request.user, use_case)
    suggestions = similar_to(request.user, use_case, 5)
    return {
        "similarity": {
            "use_case": use_case,
            "links_out": links_out,
            "links_in": links_in,
            "can_link": services.may_link(request.user, use_case, use_case),
            "suggestions": suggestions or [],
            "preparing": suggestions is None,
            "kinds": LinkKind.choices,
        }
    }


def register_panel() -> None:
    """Show this panel on the use-case page (called by SimilarityConfig.ready)."""
    panels.register("similarity", "similarity/_use_case_links.html", links_context, order=36)


def _visible_links(user: Any, use_case: UseCase) -> tuple[list[UseCaseLink], list[UseCaseLink]]:
    """This use case's links whose other end `user` may see: out, then in. The other ends
    are tested by id (`IN (every visible use case)` made SQLite scan the portfolio)."""
    links = list(
        UseCaseLink.objects.select_related("from_use_case", "to_use_case", "created_by").filter(
            Q(from_use_case=use_case) | Q(to_use_case=use_case)
        )
    )
    mine = use_case.pk
    others = {x.to_use_case_id if x.from_use_case_id == mine else x.from_use_case_id for x in links}
    seen = set(
        UseCase.objects.visible_to(user).filter(pk__in=others).values_list("pk", flat=True)
        if others
        else ()
    )
    out = [x for x in links if x.from_use_case_id == mine and x.to_use_case_id in seen]
    into = [x for x in links if x.to_use_case_id == mine and x.from_use_case_id in seen]
    return out, into


def _answer(request: HtmxHttpRequest, uc: UseCase, error: str = "", done: str = "") -> HttpResponse:
    return panels.answer(request, uc, "similarity", error=error, done=done)


@login_required
@require_POST
def link_create(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    uc = use_case_for(request, pk).use_case
    target = use_case_for(request, _int(request.POST.get("target")) or 0).use_case
    try:
        services.link(
            actor=request.user,
            source=uc,
            target=target,
            kind=request.POST.get("kind", ""),
            reason=request.POST.get("reason", ""),
        )
    except InvalidInput as exc:
        return _answer(request, uc, error="; ".join(exc.errors.values()))
    except PermissionDenied as exc:
        return _answer(request, uc, error=str(exc))
    return _answer(request, uc, done=f"Linked to “{target}”.")


@login_required
@require_POST
def link_delete(request: HtmxHttpRequest, pk: int, link_id: int) -> HttpResponse:
    uc = use_case_for(request, pk).use_case
    found = (
        UseCaseLink.objects.filter(pk=link_id).filter(from_use_case=uc).first()
        or UseCaseLink.objects.filter(pk=link_id, to_use_case=uc).first()
    )
    if found is None:
        raise Http404("No such link.")
    try:
        services.unlink(actor=request.user, link=found)
    except PermissionDenied as exc:
        return _answer(request, uc, error=str(exc))
    return _answer(request, uc, done="Link removed.")
