"""JSON shapes of use cases and themes, for the API and its OpenAPI document."""

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field

from aiom.organisation.schemas import PersonRef, Ref, person_ref, ref
from aiom.portfolio.vocabulary import AIType, Environment, Sourcing

EXTERNAL_ID_HELP = (
    "The id in an outside inventory; only imports and administrators set or change it "
    "(anyone may send the current value back unchanged)"
)


class UseCaseOut(Schema):
    id: int
    title: str
    problem: str
    description: str
    org_unit: Ref
    owner: PersonRef | None
    sponsor: PersonRef | None
    theme: Ref | None
    value_hypothesis: str
    expected_benefit_amount: Decimal | None
    expected_benefit_currency: str
    ai_type: str
    sourcing: str
    vendor: str
    environment: str
    customer_facing: bool
    personal_data: bool
    automated_decisions: bool
    risk_notes: str
    stage: str
    stage_entered_on: dt.date | None = Field(
        description="null: unknown (an import whose file did not give it)"
    )
    stage_entered_precision: str = Field(
        "day", description="day, month, quarter or year: a partial date is its period's first day"
    )
    proposed_on: dt.date | None = Field(
        description="null: unknown (an import whose file did not give it)"
    )
    proposed_precision: str = Field(
        "day", description="day, month, quarter or year: a partial date is its period's first day"
    )
    external_id: str
    external_source: str
    contact: str = Field("", description="The source's contact when it names no user in aiom")
    source_attributes: dict[str, str] = Field(
        default_factory=dict,
        description="Every column the import kept that no field holds: {column: text}",
    )
    confidential: bool
    tier: str
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_org_unit(obj: Any) -> dict[str, Any] | None:
        return ref(obj.org_unit)

    @staticmethod
    def resolve_owner(obj: Any) -> dict[str, Any] | None:
        return person_ref(obj.owner)

    @staticmethod
    def resolve_sponsor(obj: Any) -> dict[str, Any] | None:
        return person_ref(obj.sponsor)

    @staticmethod
    def resolve_theme(obj: Any) -> dict[str, Any] | None:
        return ref(obj.theme)


class _UseCaseFields(Schema):
    model_config = ConfigDict(extra="forbid")

    problem: str = Field("", max_length=10_000)
    description: str = Field("", max_length=10_000)
    sponsor: int | None = Field(None, description="User id of the executive sponsor")
    theme: int | None = Field(None, description="Strategic theme id")
    value_hypothesis: str = Field("", max_length=5_000)
    expected_benefit_amount: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    expected_benefit_currency: str = Field("", max_length=3)
    ai_type: AIType = AIType.PREDICTIVE
    sourcing: Sourcing = Sourcing.BUILD
    vendor: str = Field("", max_length=120)
    environment: Environment = Environment.SANDBOX
    customer_facing: bool = False
    personal_data: bool = False
    automated_decisions: bool = False
    risk_notes: str = Field("", max_length=5_000)
    external_id: str = Field("", max_length=120, description=EXTERNAL_ID_HELP)
    confidential: bool = False
    proposed_on: dt.date | None = None


class UseCaseCreate(_UseCaseFields):
    title: str = Field(..., min_length=1, max_length=500)
    org_unit: int = Field(..., description="Org unit id")
    owner: int = Field(..., description="User id of the one accountable business owner")


class UseCasePatch(Schema):
    """Only the fields sent are changed. Send `version` to refuse stale edits (409)."""

    model_config = ConfigDict(extra="forbid")

    version: int | None = Field(None, description="The version your edit is based on")
    title: str | None = Field(None, min_length=1, max_length=500)
    problem: str | None = Field(None, max_length=10_000)
    description: str | None = Field(None, max_length=10_000)
    org_unit: int | None = None
    owner: int | None = None
    sponsor: int | None = None
    theme: int | None = None
    value_hypothesis: str | None = Field(None, max_length=5_000)
    expected_benefit_amount: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    expected_benefit_currency: str | None = Field(None, max_length=3)
    ai_type: AIType | None = None
    sourcing: Sourcing | None = None
    vendor: str | None = Field(None, max_length=120)
    environment: Environment | None = None
    customer_facing: bool | None = None
    personal_data: bool | None = None
    automated_decisions: bool | None = None
    risk_notes: str | None = Field(None, max_length=5_000)
    external_id: str | None = Field(None, max_length=120, description=EXTERNAL_ID_HELP)
    confidential: bool | None = None
    proposed_on: dt.date | None = None


class ThemeOut(Schema):
    id: int
    key: str
    name: str
    description: str
    is_active: bool
    position: int


class ThemeCreate(Schema):
    model_config = ConfigDict(extra="forbid")

    key: str = Field(..., min_length=1, max_length=60)
    name: str = Field(..., min_length=1, max_length=120)
    description: str = Field("", max_length=2_000)
    position: int = Field(0, ge=0, le=1000)


class ThemePatch(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=120)
    description: str | None = Field(None, max_length=2_000)
    is_active: bool | None = None
    position: int | None = Field(None, ge=0, le=1000)
