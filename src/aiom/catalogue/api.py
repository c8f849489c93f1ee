"""/data-products and a use case's /data-products and /data-readiness (full paths)."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from aiom.catalogue import services
from aiom.catalogue.access import data_product_for, visible_products
from aiom.catalogue.models import DataProduct, UseCaseDataProduct
from aiom.catalogue.readiness import readiness
from aiom.catalogue.schemas import (
    DataLinkIn,
    DataLinkOut,
    DataProductCreate,
    DataProductOut,
    DataProductPatch,
    QualityIn,
    ReadinessOut,
)
from aiom.core.api_support import require_scope
from aiom.portfolio.access import use_case_for

router = Router(tags=["data products"])


@router.get("/data-products", response=list[DataProductOut], summary="List data products")
@paginate(LimitOffsetPagination)
def list_products(request: HttpRequest, q: str = "", classification: str = "") -> Any:
    found = visible_products(request.user, upstream=True).search(q)
    return found.filter(classification=classification) if classification else found


@router.post("/data-products", response={201: DataProductOut}, summary="Add a data product")
def create_product(request: HttpRequest, payload: DataProductCreate) -> Status[DataProduct]:
    require_scope(request, "write")
    created = services.create_data_product(actor=request.user, **payload.model_dump())
    return Status(201, data_product_for(request, created.pk, upstream=True).data_product)


@router.get("/data-products/{int:product_id}", response=DataProductOut, summary="One product")
def get_product(request: HttpRequest, product_id: int) -> DataProduct:
    return data_product_for(request, product_id, upstream=True).data_product


@router.patch("/data-products/{int:product_id}", response=DataProductOut, summary="Change one")
def update_product(request: HttpRequest, product_id: int, payload: DataProductPatch) -> DataProduct:
    require_scope(request, "write")
    product = data_product_for(request, product_id, upstream=True).data_product
    changes = payload.model_dump(exclude_unset=True)
    services.update_data_product(actor=request.user, product=product, **changes)
    return data_product_for(request, product_id, upstream=True).data_product


@router.post(
    "/data-products/{int:product_id}/quality",
    response=DataProductOut,
    summary="Record a quality check (a drop below the floor notifies consuming use cases)",
)
def record_quality(request: HttpRequest, product_id: int, payload: QualityIn) -> DataProduct:
    require_scope(request, "write")
    product = data_product_for(request, product_id, upstream=True).data_product
    services.record_quality(actor=request.user, product=product, **payload.model_dump())
    return data_product_for(request, product_id, upstream=True).data_product


def _links(request: HttpRequest, use_case_id: int) -> Any:
    uc = use_case_for(request, use_case_id).use_case
    visible = DataProduct.objects.visible_to(request.user)
    return UseCaseDataProduct.objects.filter(use_case=uc, data_product__in=visible).select_related(
        "data_product__steward"
    )


@router.get(
    "/use-cases/{int:use_case_id}/data-products",
    response=list[DataLinkOut],
    summary="The data products a use case consumes",
)
def list_links(request: HttpRequest, use_case_id: int) -> Any:
    return list(_links(request, use_case_id))


@router.post(
    "/use-cases/{int:use_case_id}/data-products",
    response={201: DataLinkOut},
    summary="Link a data product to a use case, with the purpose of use",
)
def create_link(request: HttpRequest, use_case_id: int, payload: DataLinkIn) -> Status[Any]:
    require_scope(request, "write")
    uc = use_case_for(request, use_case_id).use_case
    product = data_product_for(request, payload.data_product, upstream=True).data_product
    link = services.link_use_case(
        actor=request.user, use_case=uc, product=product, purpose=payload.purpose
    )
    return Status(201, _links(request, use_case_id).get(pk=link.pk))


@router.delete(
    "/use-cases/{int:use_case_id}/data-products/{int:product_id}",
    response={204: None},
    summary="Unlink a data product from a use case",
)
def delete_link(request: HttpRequest, use_case_id: int, product_id: int) -> Status[None]:
    require_scope(request, "write")
    uc = use_case_for(request, use_case_id).use_case
    link = _links(request, use_case_id).filter(data_product_id=product_id).first()
    if link is None:
        raise Http404(f"data product {product_id} is not linked to use case {use_case_id}")
    services.unlink_use_case(actor=request.user, use_case=uc, product=link.data_product)
    return Status(204, None)


@router.get(
    "/use-cases/{int:use_case_id}/data-readiness",
    response=ReadinessOut,
    summary="Is the use case's data stewarded, classified, good and fresh enough?",
)
def get_readiness(request: HttpRequest, use_case_id: int) -> dict[str, Any]:
    verdict = readiness(use_case_for(request, use_case_id).use_case)
    return {
        "ready": verdict.ready,
        "reasons": verdict.reasons,
        "quality_floor": verdict.rules.quality_floor,
        "freshness_days": verdict.rules.freshness_days,
        "products": [
            {
                "id": s.facts.product_id,
                "name": s.facts.name,
                "ready": s.ready,
                "problems": list(s.problems),
            }
            for s in verdict.products
        ],
    }
