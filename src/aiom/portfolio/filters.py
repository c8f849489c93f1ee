"""The one filter definition for use-case lists: the portfolio page and the API share it."""

import json
from typing import Literal

from django.db.models import F, OrderBy, Q, QuerySet
from ninja import Schema
from pydantic import Field, field_validator

from aiom.core.ids import MAX_ID, is_id_text
from aiom.organisation.models import OrgUnit
from aiom.portfolio.models import UseCase
from aiom.portfolio.vocabulary import AIType, unknown_stage

SORTS: dict[str, tuple[str | OrderBy, ...]] = {
    "newest": ("-proposed_on", "-id"),
    # an unknown date (an import that did not give it) is neither the oldest proposal nor
    # the longest in its stage: it sorts after the known ones
    "oldest": (F("proposed_on").asc(nulls_last=True), "id"),
    "title": ("title", "id"),
    "stage": ("stage", "-proposed_on", "-id"),
    "longest_in_stage": (F("stage_entered_on").asc(nulls_last=True), "id"),
}


def source_attributes_contain(text: str) -> Q:
    """Use cases whose source attributes hold `text` (a value or a column name).

    One LIKE over the JSON text, in the same scan as the other text fields (no index
    serves a `%text%` search; docs/inventory-import.md gives the cost at 100k use cases).
    SQLite keeps the JSON with non-ASCII characters and quotes escaped (\u00e9, \"),
    so the escaped form is searched too.
    """
    found = Q(source_attributes__icontains=text)
    escaped = json.dumps(text)[1:-1]
    if escaped != text:
        found |= Q(source_attributes__icontains=escaped)
    return found


class UseCaseFilter(Schema):
    q: str | None = Field(
        None,
        max_length=200,
        description=(
            "Text in title, problem, description, vendor, external id or the source "
            "attributes an import kept (their values and column names)"
        ),
    )
    stage: str | None = Field(None, description="Stage key, e.g. pilot")
    org_unit: int | None = Field(
        None, ge=1, le=MAX_ID, description="Org unit id; includes its sub-units"
    )
    theme: int | None = Field(None, ge=1, le=MAX_ID, description="Strategic theme id")
    owner: str | None = Field(None, description="Owner's user id, or 'none' for the gap")
    ai_type: AIType | None = None
    tier: Literal["low", "medium", "high", "none"] | None = Field(
        None, description="Risk tier, or 'none' for not yet assessed"
    )
    sort: Literal["newest", "oldest", "title", "stage", "longest_in_stage"] = "newest"

    @field_validator("q", "stage", "owner", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("org_unit", "theme", "ai_type", "tier", mode="before")
    @classmethod
    def _blank_choice_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("stage")
    @classmethod
    def _known_stage(cls, value: str | None) -> str | None:
        if value is not None and (problem := unknown_stage(value)):
            raise ValueError(problem)
        return value

    @field_validator("owner")
    @classmethod
    def _owner(cls, value: str | None) -> str | None:
        if value is not None and value != "none" and not is_id_text(value):
            raise ValueError(f"a user id (1 to {MAX_ID}), or 'none' for use cases without an owner")
        return value if value is None or value == "none" else value.strip()

    def is_active(self) -> bool:
        return any(
            v is not None
            for v in (
                self.q,
                self.stage,
                self.org_unit,
                self.theme,
                self.owner,
                self.ai_type,
                self.tier,
            )
        )

    def apply(self, qs: QuerySet[UseCase]) -> QuerySet[UseCase]:
        if self.q:
            text = self.q.strip()
            qs = qs.filter(
                Q(title__icontains=text)
                | Q(problem__icontains=text)
                | Q(description__icontains=text)
                | Q(vendor__icontains=text)
                | Q(external_id__icontains=text)
                | source_attributes_contain(text)
            )
        if self.stage:
            qs = qs.filter(stage=self.stage)
        if self.org_unit is not None:
            unit_path = OrgUnit.objects.filter(pk=self.org_unit).values("path")[:1]
            qs = qs.filter(org_unit__path__startswith=unit_path)
        if self.theme is not None:
            qs = qs.filter(theme_id=self.theme)
        if self.owner == "none":
            qs = qs.filter(owner__isnull=True)
        elif self.owner is not None:
            qs = qs.filter(owner_id=int(self.owner))
        if self.ai_type is not None:
            qs = qs.filter(ai_type=self.ai_type)
        if self.tier is not None:
            qs = qs.filter(tier="" if self.tier == "none" else self.tier)
        return qs.order_by(*SORTS[self.sort])
