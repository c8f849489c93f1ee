"""Portfolio pages: the filterable list, a use case with its timeline, create and edit."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from pydantic import ValidationError

from aiom.core.errors import InvalidInput, PermissionDenied, StaleVersion
from aiom.core.htmx import HtmxHttpRequest
from aiom.core.visibility import audit_events_visible_to
from aiom.portfolio import list_page, panels, permissions, services
from aiom.portfolio.access import use_case_for
from aiom.portfolio.filters import UseCaseFilter
from aiom.portfolio.forms import UseCaseForm
from aiom.portfolio.models import UseCase
from aiom.portfolio.vocabulary import AIType, stages

PAGE_SIZE = 50


def parse_filters(request: HttpRequest) -> tuple[UseCaseFilter, list[str]]:
    params = {k: v for k, v in request.GET.items() if k in UseCaseFilter.model_fields}
    if params.get("owner") == "me":
        params["owner"] = str(request.user.pk)
    try:
        return UseCaseFilter.model_validate(params), []
    except ValidationError as exc:
        problems = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
        return UseCaseFilter.model_validate({}), problems


@login_required
def use_case_list(request: HtmxHttpRequest) -> HttpResponse:
    filters, problems = parse_filters(request)
    visible = UseCase.objects.visible_to(request.user)
    stage_counts = list_page.stage_counts(filters.apply(visible))
    found = filters.apply(visible.with_relations())
    paginator = list_page.CountedPaginator(found, PAGE_SIZE, count=sum(stage_counts.values()))
    page = paginator.get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "page": page,
        "filters": filters,
        "owner_param": request.GET.get("owner", ""),
        "problems": problems,
        "stages": [(k, label, stage_counts.get(k, 0)) for k, label in stages()],
        "query_string": request.GET.copy(),
        "can_create": permissions.can_create(request.user),
    }
    if request.htmx:
        return render(request, "portfolio/list.html#results", context)
    context.update(
        org_unit_options=list_page.select_options(list_page.org_unit_choices(), filters.org_unit),
        theme_options=list_page.select_options(list_page.theme_choices(), filters.theme),
        ai_types=AIType.choices,
    )
    return render(request, "portfolio/list.html", context)


def timeline_context(request: HttpRequest, use_case: UseCase) -> dict[str, Any]:
    """The audit timeline panel: this use case's last 100 events the viewer may read."""
    events = (
        audit_events_visible_to(request.user)
        .filter(object_type=UseCase._meta.label_lower, object_id=str(use_case.pk))
        .order_by("-seq")[:100]
    )
    return {"events": events}


@login_required
def use_case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    use_case = use_case_for(request, pk).use_case
    return render(request, panels.PAGE, panels.page_context(request, use_case))


def _save(request: HttpRequest, form: UseCaseForm, use_case: UseCase | None) -> UseCase | None:
    """Run the service; on refusal put its reasons on the form and return None."""
    try:
        if use_case is None:
            return services.create_use_case(actor=request.user, **form.service_fields())
        return services.update_use_case(
            actor=request.user,
            use_case=use_case,
            expected_version=form.cleaned_data.get("version"),
            **form.service_fields(),
        )
    except InvalidInput as exc:
        exc.add_to(form)
    except StaleVersion as exc:
        changed = ", ".join(sorted(exc.changed)) or "some fields"
        form.add_error(
            None,
            f"Someone else saved this use case while you were editing "
            f"(now version {exc.current}; changed: {changed}). "
            "Reload to see their changes, then edit again.",
        )
    return None


@login_required
def use_case_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create(request.user):
        raise PermissionDenied("external partners cannot propose use cases")
    form = UseCaseForm(request.POST or None, initial={"owner": request.user.pk})
    if request.method == "POST" and form.is_valid():
        created = _save(request, form, None)
        if created is not None:
            messages.success(request, f"Use case “{created.title}” proposed.")
            return redirect("portfolio:detail", pk=created.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "portfolio/form.html", {"form": form, "uc": None}, status=status)


@login_required
def use_case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access = use_case_for(request, pk)
    if not access.may_edit:
        raise PermissionDenied("only the owner, sponsor, unit lead or an administrator may edit")
    use_case = access.use_case
    form = UseCaseForm(request.POST or None, instance=use_case)
    if request.method == "POST" and form.is_valid():
        # The form wrote onto the instance; the service re-reads the row under a lock.
        saved = _save(request, form, UseCase.objects.get(pk=pk))
        if saved is not None:
            messages.success(request, "Changes saved.")
            return redirect("portfolio:detail", pk=pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "portfolio/form.html", {"form": form, "uc": use_case}, status=status)
