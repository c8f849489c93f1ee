"""JSON shapes of registry records, use-case links and the model card."""

import datetime as dt
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from aiom.organisation.schemas import PersonRef, Ref, person_ref, ref


class UsageOut(Schema):
    used_by: int = Field(0, description="Use cases relying on it that YOU may see")

    @staticmethod
    def resolve_used_by(obj: Any) -> int:
        return int(getattr(obj, "uses", 0))


class VendorOut(UsageOut):
    id: int
    name: str
    website: str
    contract_owner: PersonRef | None
    contract_start: dt.date | None
    contract_end: dt.date | None
    data_processing_terms: str
    dpa_signed: bool
    risk_notes: str

    @staticmethod
    def resolve_contract_owner(obj: Any) -> dict[str, Any] | None:
        return person_ref(obj.contract_owner)


class VendorIn(Schema):
    name: str
    website: str = ""
    contract_owner: int | None = Field(None, description="User id")
    contract_start: dt.date | None = None
    contract_end: dt.date | None = None
    data_processing_terms: str = ""
    dpa_signed: bool = False
    risk_notes: str = ""


class VendorPatch(Schema):
    name: str | None = None
    website: str | None = None
    contract_owner: int | None = None
    contract_start: dt.date | None = None
    contract_end: dt.date | None = None
    data_processing_terms: str | None = None
    dpa_signed: bool | None = None
    risk_notes: str | None = None


class AIModelOut(UsageOut):
    id: int
    name: str
    version: str
    vendor: Ref | None = Field(description="null: built in-house")
    model_type: str
    licence: str
    intended_use: str
    known_limitations: str
    evaluation_summary: str
    evaluated_on: dt.date | None
    runs_where: str
    owners: list[PersonRef]
    status: str

    @staticmethod
    def resolve_vendor(obj: Any) -> dict[str, Any] | None:
        return ref(obj.vendor)

    @staticmethod
    def resolve_owners(obj: Any) -> list[dict[str, Any] | None]:
        return [person_ref(u) for u in obj.owners.all()]


class AIModelIn(Schema):
    name: str
    version: str = ""
    vendor: int | None = Field(None, description="Vendor id; null = in-house")
    model_type: str = Field(description="predictive, generative_llm, vision, speech, nlp, …")
    licence: str = ""
    intended_use: str = ""
    known_limitations: str = ""
    evaluation_summary: str = ""
    evaluated_on: dt.date | None = None
    runs_where: str = ""
    owners: list[int] = Field(default_factory=list, description="User ids")
    status: str = "active"


class AIModelPatch(Schema):
    name: str | None = None
    version: str | None = None
    vendor: int | None = None
    model_type: str | None = None
    licence: str | None = None
    intended_use: str | None = None
    known_limitations: str | None = None
    evaluation_summary: str | None = None
    evaluated_on: dt.date | None = None
    runs_where: str | None = None
    owners: list[int] | None = None
    status: str | None = None


class PlatformOut(UsageOut):
    id: int
    name: str
    description: str
    owner: PersonRef | None
    org_unit: Ref | None
    vendor: Ref | None = Field(None, description="null: run in-house")
    environments: list[str]

    @staticmethod
    def resolve_owner(obj: Any) -> dict[str, Any] | None:
        return person_ref(obj.owner)

    @staticmethod
    def resolve_vendor(obj: Any) -> dict[str, Any] | None:
        return ref(obj.vendor)

    @staticmethod
    def resolve_org_unit(obj: Any) -> dict[str, Any] | None:
        return ref(obj.org_unit)


class PlatformIn(Schema):
    name: str
    description: str = ""
    owner: int | None = Field(None, description="User id")
    org_unit: int | None = Field(None, description="Org unit id")
    vendor: int | None = Field(None, description="Vendor id; null = run in-house")
    environments: list[str] = Field(default_factory=list)


class PlatformPatch(Schema):
    name: str | None = None
    description: str | None = None
    owner: int | None = None
    org_unit: int | None = None
    vendor: int | None = None
    environments: list[str] | None = None


Kind = Literal["model", "platform", "vendor"]


class TechnologyLinkIn(Schema):
    kind: Kind
    id: int = Field(description="The model, platform or vendor id")
    purpose: str = ""


class TechnologyLinkOut(Schema):
    kind: str
    target: Ref
    purpose: str
    linked_at: dt.datetime


class TechnologyOut(Schema):
    models: list[TechnologyLinkOut]
    platforms: list[TechnologyLinkOut]
    vendors: list[TechnologyLinkOut]


class CardOwner(Schema):
    username: str
    name: str


class CardUse(Schema):
    id: int
    title: str
    org_unit: str
    purpose: str


class CardEvaluation(Schema):
    summary: str
    evaluated_on: str | None


class ModelCardOut(Schema):
    id: int
    name: str
    version: str
    type: str
    provider: str
    licence: str
    status: str
    runs_where: str
    intended_use: str
    known_limitations: str
    evaluation: CardEvaluation
    owners: list[CardOwner]
    used_by: list[CardUse]
    generated_on: str
