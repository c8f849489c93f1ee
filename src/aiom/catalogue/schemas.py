"""JSON shapes of data products, use-case links and data readiness."""

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field

from aiom.organisation.schemas import PersonRef, Ref, person_ref, ref


class DataProductOut(Schema):
    id: int
    name: str
    description: str
    domain: Ref
    steward: PersonRef | None
    classification: str = Field(description="public, internal, confidential, restricted; '' = not")
    personal_data: bool
    quality_score: int | None
    quality_checked_on: dt.date | None
    access_status: str
    upstream: list[Ref]
    external_sources: list[str]
    tags: list[str]
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_domain(obj: Any) -> dict[str, Any] | None:
        return ref(obj.domain)

    @staticmethod
    def resolve_steward(obj: Any) -> dict[str, Any] | None:
        return person_ref(obj.steward)

    @staticmethod
    def resolve_upstream(obj: Any) -> list[dict[str, Any] | None]:
        return [ref(p) for p in obj.upstream.all()]

    @staticmethod
    def resolve_tags(obj: Any) -> list[str]:
        return list(obj.tag_list)


class DataProductCreate(Schema):
    name: str
    description: str = ""
    domain: int = Field(description="Org unit id of the owning domain")
    steward: int | None = Field(None, description="User id of a data steward of the domain")
    classification: str = ""
    personal_data: bool = False
    access_status: str = "available"
    upstream: list[int] = Field(default_factory=list, description="Data product ids")
    external_sources: list[str] = Field(default_factory=list, description="Named sources")
    tags: list[str] = Field(default_factory=list)


class DataProductPatch(Schema):
    name: str | None = None
    description: str | None = None
    domain: int | None = None
    steward: int | None = None
    classification: str | None = None
    personal_data: bool | None = None
    access_status: str | None = None
    upstream: list[int] | None = None
    external_sources: list[str] | None = None
    tags: list[str] | None = None


class QualityIn(Schema):
    score: int = Field(description="0-100")
    checked_on: dt.date | None = Field(None, description="Defaults to today")


class DataLinkIn(Schema):
    data_product: int
    purpose: str = ""


class ProductBrief(Schema):
    id: int
    name: str
    classification: str
    quality_score: int | None
    quality_checked_on: dt.date | None
    access_status: str
    steward: PersonRef | None

    @staticmethod
    def resolve_steward(obj: Any) -> dict[str, Any] | None:
        return person_ref(obj.steward)


class DataLinkOut(Schema):
    data_product: ProductBrief
    purpose: str
    linked_at: dt.datetime


class ProductReadinessOut(Schema):
    id: int
    name: str
    ready: bool
    problems: list[str]


class ReadinessOut(Schema):
    ready: bool
    reasons: list[str]
    quality_floor: int
    freshness_days: int
    products: list[ProductReadinessOut]
