"""Catalogue pages: the searchable list, a product with its lineage, the form, use-case data.

`data_context(request, use_case)` is what the use-case page includes as
`catalogue/_use_case_data.html`; link and unlink answer that partial to htmx and
redirect to the use-case page otherwise.
"""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from aiom.catalogue import permissions, services
from aiom.catalogue.access import data_product_for
from aiom.catalogue.forms import DataProductForm, LinkForm
from aiom.catalogue.lineage import lineage
from aiom.catalogue.models import AccessStatus, Classification, DataProduct, UseCaseDataProduct
from aiom.catalogue.policy import DataRules
from aiom.catalogue.readiness import current_rules, readiness
from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.core.htmx import HtmxHttpRequest
from aiom.core.ids import parse_id
from aiom.portfolio import panels
from aiom.portfolio import permissions as uc_permissions
from aiom.portfolio.access import use_case_for
from aiom.portfolio.models import UseCase

PAGE_SIZE = 50


def quality_state(p: DataProduct, rules: DataRules, today: dt.date) -> str:
    """none, low, stale or good: the quality badge's class."""
    if p.quality_score is None or p.quality_checked_on is None:
        return "none"
    if p.quality_score < rules.quality_floor:
        return "low"
    if (today - p.quality_checked_on).days > rules.freshness_days:
        return "stale"
    return "good"


@login_required
def product_list(request: HtmxHttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    classification = request.GET.get("classification", "")
    found = DataProduct.objects.visible_to(request.user).search(q)
    if classification in Classification.values or classification == "none":
        found = found.filter(classification="" if classification == "none" else classification)
    page = Paginator(found.select_related("domain", "steward"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rules, today = current_rules(), timezone.localdate()
    for p in page.object_list:
        p.quality_state = quality_state(p, rules, today)  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "page": page,
        "q": q,
        "classification": classification,
        "classifications": Classification.choices,
        "rules": rules,
        "can_create": permissions.can_curate_any(request.user),
    }
    if request.htmx:
        return render(request, "catalogue/list.html#results", context)
    return render(request, "catalogue/list.html", context)


@login_required
def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = data_product_for(request, pk)
    product = access.data_product
    rules = current_rules()
    uses = (
        UseCaseDataProduct.objects.filter(
            data_product=product, use_case__in=UseCase.objects.visible_to(request.user)
        )
        .select_related("use_case__org_unit")
        .order_by("use_case__title")
    )
    context = {
        "product": product,
        "rules": rules,
        "quality_state": quality_state(product, rules, timezone.localdate()),
        "lineage": lineage(product, request.user),
        "uses": uses,
        "can_curate": access.may_curate,
        "today": timezone.localdate(),
    }
    return render(request, "catalogue/detail.html", context)


def _form_page(request: HttpRequest, product: DataProduct | None) -> HttpResponse:
    form = DataProductForm(request.POST or None, product=product)
    if request.method == "POST" and form.is_valid():
        try:
            if product is None:
                saved = services.create_data_product(actor=request.user, **form.service_fields())
            else:
                saved = services.update_data_product(
                    actor=request.user, product=product, **form.service_fields()
                )
        except InvalidInput as exc:
            exc.add_to(form)
        else:
            messages.success(request, f"Data product “{saved.name}” saved.")
            return redirect("catalogue:detail", pk=saved.pk)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "product": product}
    return render(request, "catalogue/form.html", context, status=status)


@login_required
def product_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_curate_any(request.user):
        raise PermissionDenied("only data stewards and administrators add data products")
    return _form_page(request, None)


@login_required
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access = data_product_for(request, pk)
    if not access.may_curate:
        raise PermissionDenied("only data stewards of the domain or administrators may edit")
    return _form_page(request, access.data_product)


@login_required
@require_POST
def product_retire(request: HttpRequest, pk: int) -> HttpResponse:
    product = data_product_for(request, pk).data_product
    try:
        services.retire_data_product(
            actor=request.user, product=product, reason=request.POST.get("reason", "")
        )
        messages.success(request, f"“{product.name}” is retired.")
    except InvalidInput as exc:
        messages.error(request, exc.sentence)
    return redirect("catalogue:detail", pk=pk)


@login_required
@require_POST
def product_quality(request: HttpRequest, pk: int) -> HttpResponse:
    product = data_product_for(request, pk).data_product
    try:
        score = int(request.POST.get("score", ""))
        day = request.POST.get("checked_on", "")
        checked_on = dt.date.fromisoformat(day) if day else None
    except ValueError:
        messages.error(request, "Give a score from 0 to 100 and a date as YYYY-MM-DD.")
        return redirect("catalogue:detail", pk=pk)
    try:
        services.record_quality(
            actor=request.user, product=product, score=score, checked_on=checked_on
        )
        messages.success(request, f"Quality {score} recorded.")
    except InvalidInput as exc:
        messages.error(request, exc.sentence)
    return redirect("catalogue:detail", pk=pk)


def data_context(request: HttpRequest, use_case: UseCase) -> dict[str, Any]:
    """What `catalogue/_use_case_data.html` needs, under one key: `catalogue`."""
    visible = DataProduct.objects.visible_to(request.user)
    links = list(
        UseCaseDataProduct.objects.filter(use_case=use_case, data_product__in=visible)
        .select_related("data_product__steward")
        .order_by("data_product__name")
    )
    can_link = uc_permissions.can_edit(request.user, use_case)
    choices = visible.exclude(access_status=AccessStatus.RETIRED).exclude(
        pk__in=[link.data_product_id for link in links]
    )
    return {
        "catalogue": {
            "use_case": use_case,
            "links": links,
            "readiness": readiness(use_case),
            "can_link": can_link,
            "form": LinkForm(choices=choices) if can_link else None,
        }
    }


def register_panel() -> None:
    """Show this panel on the use-case page (called by CatalogueConfig.ready)."""
    panels.register("catalogue", "catalogue/_use_case_data.html", data_context, order=33)


def _data_answer(
    request: HtmxHttpRequest, uc: UseCase, *, error: str = "", done: str = ""
) -> HttpResponse:
    """htmx gets the partial again (422 with the reason on a refusal); others a redirect."""
    return panels.answer(request, uc, "catalogue", error=error, done=done)


def _product_id(text: str) -> int | None:
    return parse_id(text)


@login_required
def use_case_data(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """GET: the partial alone; POST: link a data product with its purpose."""
    uc = use_case_for(request, pk).use_case
    if request.method != "POST":
        return render(request, "catalogue/_use_case_data.html", data_context(request, uc))
    product_id = _product_id(request.POST.get("data_product", ""))
    visible = DataProduct.objects.visible_to(request.user)
    found = visible.filter(pk=product_id).first() if product_id else None
    if found is None:
        return _data_answer(request, uc, error="Choose a data product to link.")
    try:
        services.link_use_case(
            actor=request.user, use_case=uc, product=found, purpose=request.POST.get("purpose", "")
        )
    except InvalidInput as exc:
        return _data_answer(request, uc, error=exc.sentence)
    return _data_answer(request, uc, done=f"Linked “{found.name}”.")


@login_required
@require_POST
def use_case_unlink(request: HtmxHttpRequest, pk: int, product_id: int) -> HttpResponse:
    uc = use_case_for(request, pk).use_case
    product = data_product_for(request, product_id).data_product
    try:
        services.unlink_use_case(actor=request.user, use_case=uc, product=product)
    except InvalidInput as exc:
        return _data_answer(request, uc, error=exc.sentence)
    return _data_answer(request, uc, done=f"Unlinked “{product.name}”.")
