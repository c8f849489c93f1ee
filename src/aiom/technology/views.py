"""Registry pages: the searchable registry, one page per model, platform and vendor,
and the model card (page, Markdown and JSON). The use-case panel lives in `panel`."""

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify

from aiom.core.htmx import HtmxHttpRequest
from aiom.technology import permissions, queries
from aiom.technology.access import record_for
from aiom.technology.card import card_data, to_markdown
from aiom.technology.models import AIModel, Platform, Vendor
from aiom.technology.reuse import assess


@login_required
def registry(request: HtmxHttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    context = {
        "q": q,
        "models": queries.models_for(request.user, q),
        "platforms": queries.platforms_for(request.user, q),
        "vendors": queries.vendors_for(request.user, q),
        "can_curate": permissions.can_curate(request.user),
    }
    if request.htmx:
        return render(request, "technology/registry.html#results", context)
    return render(request, "technology/registry.html", context)


def _detail(request: HttpRequest, record: Any, template: str, **extra: Any) -> HttpResponse:
    uses = queries.dependents(record, request.user)
    units = {link.use_case.org_unit_id for link in uses}
    bought = {
        link.use_case.org_unit_id for link in uses if link.use_case.sourcing in queries.EXTERNAL
    }
    reuse = assess(
        use_cases=len(uses),
        units=len(units),
        bought_units=len(bought) if isinstance(record, Vendor) else 0,
    )
    context = {
        "record": record,
        "uses": uses,
        "reuse": reuse,
        "can_change": permissions.can_change(request.user, record),
        **extra,
    }
    return render(request, template, context)


@login_required
def model_detail(request: HttpRequest, pk: int) -> HttpResponse:
    model = record_for(request, AIModel, pk, "vendor").record
    return _detail(request, model, "technology/model_detail.html", owners=list(model.owners.all()))


@login_required
def platform_detail(request: HttpRequest, pk: int) -> HttpResponse:
    platform = record_for(request, Platform, pk, "owner", "org_unit", "vendor").record
    return _detail(request, platform, "technology/platform_detail.html")


@login_required
def vendor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vendor = record_for(request, Vendor, pk, "contract_owner").record
    models = list(vendor.models.order_by("name", "version"))
    return _detail(request, vendor, "technology/vendor_detail.html", models=models)


def model_card_for(request: HttpRequest, pk: int) -> dict[str, Any]:
    """The card of a model the viewer may see, listing only use cases they may see."""
    model = record_for(request, AIModel, pk, "vendor").record
    return card_data(model, queries.dependents(model, request.user), today=timezone.localdate())


@login_required
def model_card(request: HttpRequest, pk: int) -> HttpResponse:
    card = model_card_for(request, pk)
    return render(request, "technology/card.html", {"card": card})


def _download(body: str, content_type: str, card: dict[str, Any], ext: str) -> HttpResponse:
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    name = slugify(f"{card['name']} {card['version']}") or f"model-{card['id']}"
    response["Content-Disposition"] = f'attachment; filename="model-card-{name}.{ext}"'
    return response


@login_required
def model_card_markdown(request: HttpRequest, pk: int) -> HttpResponse:
    card = model_card_for(request, pk)
    return _download(to_markdown(card), "text/markdown", card, "md")


@login_required
def model_card_json(request: HttpRequest, pk: int) -> HttpResponse:
    card = model_card_for(request, pk)
    body = json.dumps(card, indent=2, ensure_ascii=False)
    return _download(body, "application/json", card, "json")
