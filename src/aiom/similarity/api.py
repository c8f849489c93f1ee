"""Silo detection API (full paths): similar use cases, clusters, links between use cases."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from aiom.core.api_support import require_scope
from aiom.core.errors import InvalidInput
from aiom.organisation.models import OrgUnit
from aiom.portfolio.access import use_case_for
from aiom.similarity import clusters as silo_clusters
from aiom.similarity import loaded, services
from aiom.similarity.models import UseCaseLink
from aiom.similarity.search import Draft, similar, similar_to

router = Router(tags=["silo detection"])


class SimilarDraftIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    problem: str = ""
    description: str = ""
    value_hypothesis: str = ""
    vendor: str = ""
    org_unit: int | None = None
    k: int = Field(5, ge=1, le=50)


class SuggestionOut(Schema):
    use_case_id: int
    title: str
    org_unit_id: int
    org_unit: str
    other_unit: bool
    score: float
    text_score: float
    shared_terms: list[str]
    reasons: list[str]


class MemberOut(Schema):
    id: int
    title: str
    org_unit_id: int
    org_unit: str


class ClusterOut(Schema):
    size: int
    units: list[str]
    shared_terms: list[str]
    members: list[MemberOut]


class UseCaseLinkIn(Schema):
    target: int
    kind: str
    reason: str


class UseCaseLinkOut(Schema):
    id: int
    from_use_case: int = Field(alias="from_use_case_id")
    to_use_case: int = Field(alias="to_use_case_id")
    kind: str
    reason: str
    created_at: Any


@router.post("/use-cases/similar", response=list[SuggestionOut], summary="Similar to a draft")
def similar_to_draft(request: HttpRequest, payload: SimilarDraftIn) -> Any:
    draft = Draft(
        payload.title,
        payload.problem,
        payload.description,
        payload.value_hypothesis,
        payload.org_unit,
        payload.vendor,
    )
    return similar(request.user, draft, payload.k)


@router.get("/use-cases/{int:use_case_id}/similar", response=list[SuggestionOut], summary="Similar")
def similar_to_use_case(request: HttpRequest, use_case_id: int, k: int = 5) -> Any:
    found = similar_to(
        request.user, use_case_for(request, use_case_id).use_case, max(1, min(k, 50))
    )
    return found or []  # None: no snapshot yet (a rebuild is asked for)


@router.get("/silos/clusters", response=list[ClusterOut], summary="Clusters across org units")
def list_clusters(
    request: HttpRequest,
    threshold: float = silo_clusters.DEFAULT_THRESHOLD,
    org_unit: int | None = None,
) -> Any:
    """`threshold`: a strength from 0 to 1, the same in every language (how far a pair
    stands above the typical best match in its language: docs/silo-detection.md)."""
    if not silo_clusters.MIN_THRESHOLD <= threshold <= silo_clusters.MAX_THRESHOLD:
        lowest, highest = silo_clusters.MIN_THRESHOLD, silo_clusters.MAX_THRESHOLD
        raise InvalidInput({"threshold": f"a strength from {lowest:g} to {highest:g}"})
    unit = None
    if org_unit is not None:
        unit = OrgUnit.objects.filter(pk=org_unit).first()
        if unit is None:
            raise Http404(f"no org unit {org_unit}")
    return silo_clusters.clusters(loaded.view_for(request.user), threshold, unit)


@router.post("/use-cases/{int:use_case_id}/links", response={201: UseCaseLinkOut}, summary="Link")
def create_link(
    request: HttpRequest, use_case_id: int, payload: UseCaseLinkIn
) -> Status[UseCaseLink]:
    require_scope(request, "write")
    source = use_case_for(request, use_case_id).use_case
    target = use_case_for(request, payload.target).use_case
    made = services.link(
        actor=request.user, source=source, target=target, kind=payload.kind, reason=payload.reason
    )
    return Status(201, made)


@router.delete("/use-cases/{int:use_case_id}/links/{int:link_id}", response={204: None})
def delete_link(request: HttpRequest, use_case_id: int, link_id: int) -> Status[None]:
    require_scope(request, "write")
    use_case = use_case_for(request, use_case_id).use_case
    found = (
        UseCaseLink.objects.filter(pk=link_id)
        .filter(from_use_case=use_case)
        .select_related("from_use_case__org_unit", "to_use_case__org_unit")
        .first()
    ) or (
        UseCaseLink.objects.filter(pk=link_id, to_use_case=use_case)
        .select_related("from_use_case__org_unit", "to_use_case__org_unit")
        .first()
    )
    if found is None:
        raise Http404(f"no link {link_id} on use case {use_case_id}")
    services.unlink(actor=request.user, link=found)
    return Status(204, None)
