"""/registry/models|platforms|vendors, a model's /card, and a use case's /technology.

`used_by` counts only the use cases the caller may see. The registry is internal:
external partners get empty lists and 404s.
"""

from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from aiom.core.api_support import require_scope
from aiom.portfolio.access import use_case_for
from aiom.technology import queries, services
from aiom.technology.access import NOT_FOUND
from aiom.technology.card import card_data
from aiom.technology.models import AIModel, Platform, Vendor
from aiom.technology.schemas import (
    AIModelIn,
    AIModelOut,
    AIModelPatch,
    ModelCardOut,
    PlatformIn,
    PlatformOut,
    PlatformPatch,
    TechnologyLinkIn,
    TechnologyLinkOut,
    TechnologyOut,
    VendorIn,
    VendorOut,
    VendorPatch,
)

router = Router(tags=["technology"])
KINDS: dict[str, type[AIModel | Platform | Vendor]] = {
    "model": AIModel,
    "platform": Platform,
    "vendor": Vendor,
}
RELATED = {
    AIModel: ("vendor",),
    Platform: ("owner", "org_unit", "vendor"),
    Vendor: ("contract_owner",),
}


def _records(request: HttpRequest, kind: type[Any], q: str = "") -> Any:
    qs = kind.objects.visible_to(request.user).select_related(*RELATED[kind])
    if kind is AIModel:
        qs = qs.prefetch_related("owners")
    if q.strip():
        qs = qs.filter(name__icontains=q.strip())
    if kind is Vendor:  # every route to a vendor, as the registry pages count it
        return queries.with_vendor_usage(list(qs.order_by("name", "id")), request.user)
    return queries.with_usage(qs, request.user).order_by("name", "id")


def visible_record(request: HttpRequest, kind: type[Any], pk: int) -> Any:
    """The record with its `used_by` count if this user may see it; 404 otherwise (the API
    reads usage with the record, so not through `access.record_for`)."""
    if kind is Vendor:
        mine = kind.objects.visible_to(request.user).select_related(*RELATED[kind]).filter(pk=pk)
        found = next(iter(queries.with_vendor_usage(list(mine), request.user)), None)
    else:
        found = _records(request, kind).filter(pk=pk).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


# --- vendors -------------------------------------------------------------------------


@router.get("/registry/vendors", response=list[VendorOut], summary="List vendors")
@paginate(LimitOffsetPagination)
def list_vendors(request: HttpRequest, q: str = "") -> Any:
    return _records(request, Vendor, q)


@router.post("/registry/vendors", response={201: VendorOut}, summary="Add a vendor")
def create_vendor(request: HttpRequest, payload: VendorIn) -> Status[Any]:
    require_scope(request, "write")
    made = services.create_vendor(actor=request.user, **payload.model_dump())
    return Status(201, visible_record(request, Vendor, made.pk))


@router.get("/registry/vendors/{int:pk}", response=VendorOut, summary="One vendor")
def get_vendor(request: HttpRequest, pk: int) -> Any:
    return visible_record(request, Vendor, pk)


@router.patch("/registry/vendors/{int:pk}", response=VendorOut, summary="Change a vendor")
def update_vendor(request: HttpRequest, pk: int, payload: VendorPatch) -> Any:
    require_scope(request, "write")
    record = visible_record(request, Vendor, pk)
    services.update_record(
        actor=request.user, record=record, **payload.model_dump(exclude_unset=True)
    )
    return visible_record(request, Vendor, pk)


# --- models --------------------------------------------------------------------------


@router.get("/registry/models", response=list[AIModelOut], summary="List models")
@paginate(LimitOffsetPagination)
def list_models(request: HttpRequest, q: str = "") -> Any:
    return _records(request, AIModel, q)


@router.post("/registry/models", response={201: AIModelOut}, summary="Add a model")
def create_model(request: HttpRequest, payload: AIModelIn) -> Status[Any]:
    require_scope(request, "write")
    made = services.create_model(actor=request.user, **payload.model_dump())
    return Status(201, visible_record(request, AIModel, made.pk))


@router.get("/registry/models/{int:pk}", response=AIModelOut, summary="One model")
def get_model(request: HttpRequest, pk: int) -> Any:
    return visible_record(request, AIModel, pk)


@router.patch("/registry/models/{int:pk}", response=AIModelOut, summary="Change a model")
def update_model(request: HttpRequest, pk: int, payload: AIModelPatch) -> Any:
    require_scope(request, "write")
    record = visible_record(request, AIModel, pk)
    services.update_record(
        actor=request.user, record=record, **payload.model_dump(exclude_unset=True)
    )
    return visible_record(request, AIModel, pk)


@router.get(
    "/registry/models/{int:pk}/card",
    response=ModelCardOut,
    summary="The model card (intended use, limits, evaluation, owners, visible use cases)",
)
def get_model_card(request: HttpRequest, pk: int) -> dict[str, Any]:
    model = visible_record(request, AIModel, pk)
    uses = queries.dependents(model, request.user)
    return card_data(model, uses, today=timezone.localdate())


# --- platforms -----------------------------------------------------------------------


@router.get("/registry/platforms", response=list[PlatformOut], summary="List platforms")
@paginate(LimitOffsetPagination)
def list_platforms(request: HttpRequest, q: str = "") -> Any:
    return _records(request, Platform, q)


@router.post("/registry/platforms", response={201: PlatformOut}, summary="Add a platform")
def create_platform(request: HttpRequest, payload: PlatformIn) -> Status[Any]:
    require_scope(request, "write")
    made = services.create_platform(actor=request.user, **payload.model_dump())
    return Status(201, visible_record(request, Platform, made.pk))


@router.get("/registry/platforms/{int:pk}", response=PlatformOut, summary="One platform")
def get_platform(request: HttpRequest, pk: int) -> Any:
    return visible_record(request, Platform, pk)


@router.patch("/registry/platforms/{int:pk}", response=PlatformOut, summary="Change a platform")
def update_platform(request: HttpRequest, pk: int, payload: PlatformPatch) -> Any:
    require_scope(request, "write")
    record = visible_record(request, Platform, pk)
    services.update_record(
        actor=request.user, record=record, **payload.model_dump(exclude_unset=True)
    )
    return visible_record(request, Platform, pk)


# --- a use case's technology ---------------------------------------------------------


def _link_out(kind: str, link: Any) -> dict[str, Any]:
    target = {"id": link.target.pk, "name": str(link.target)}
    return {"kind": kind, "target": target, "purpose": link.purpose, "linked_at": link.linked_at}


def _technology(request: HttpRequest, use_case_id: int) -> dict[str, list[dict[str, Any]]]:
    uc = use_case_for(request, use_case_id).use_case
    out: dict[str, list[dict[str, Any]]] = {}
    for kind, model in KINDS.items():
        visible = model.objects.visible_to(request.user)
        links = services.LINKS[model].objects.filter(use_case=uc, target__in=visible)  # type: ignore[attr-defined]
        out[f"{kind}s"] = [_link_out(kind, link) for link in links.select_related("target")]
    return out


@router.get(
    "/use-cases/{int:use_case_id}/technology",
    response=TechnologyOut,
    summary="The models, platforms and vendors a use case relies on",
)
def list_technology(request: HttpRequest, use_case_id: int) -> dict[str, Any]:
    return _technology(request, use_case_id)


@router.post(
    "/use-cases/{int:use_case_id}/technology",
    response={201: TechnologyLinkOut},
    summary="Link a model, platform or vendor to a use case",
)
def create_technology_link(
    request: HttpRequest, use_case_id: int, payload: TechnologyLinkIn
) -> Status[Any]:
    require_scope(request, "write")
    uc = use_case_for(request, use_case_id).use_case
    record = visible_record(request, KINDS[payload.kind], payload.id)
    link = services.link(actor=request.user, use_case=uc, record=record, purpose=payload.purpose)
    return Status(201, _link_out(payload.kind, link))


@router.delete(
    "/use-cases/{int:use_case_id}/technology/{kind}/{int:target_id}",
    response={204: None},
    summary="Unlink a model, platform or vendor from a use case",
)
def delete_technology_link(
    request: HttpRequest, use_case_id: int, kind: str, target_id: int
) -> Status[None]:
    require_scope(request, "write")
    uc = use_case_for(request, use_case_id).use_case
    if kind not in KINDS:
        raise Http404(f"no kind {kind!r}: model, platform or vendor")
    record = visible_record(request, KINDS[kind], target_id)
    if not services.LINKS[type(record)].objects.filter(use_case=uc, target=record).exists():  # type: ignore[attr-defined]
        raise Http404(f"{kind} {target_id} is not linked to use case {use_case_id}")
    services.unlink(actor=request.user, use_case=uc, record=record)
    return Status(204, None)
