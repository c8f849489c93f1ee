"""API shapes for /api/v1/maturity: the model, self-assessments, and the side-by-side report.

Scores are floats 0-100 with one decimal; a score or level of null means "not measured".
"""

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field

from aiom.insights.maturity.evidence import Gap
from aiom.insights.maturity.model import Dimension, Level
from aiom.insights.maturity.report import Report
from aiom.insights.maturity.services import Hint, Recommendation
from aiom.organisation.schemas import PersonRef, Ref, person_ref


class ModelOut(Schema):
    sha256: str = Field(description="Version of the model: sha256 of its YAML text")
    name: str
    description: str
    levels: list[Level]
    dimensions: list[Dimension]


class SelfAssessmentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    org_unit: int | None = Field(None, description="Org unit id; null for the whole organisation")
    answers: dict[str, str] = Field(description="question key -> answer key, every question")


class SelfAssessmentOut(Schema):
    id: int
    org_unit: Ref | None
    answers: dict[str, str]
    dimension_scores: dict[str, float]
    dimension_levels: dict[str, str]
    overall_score: float
    overall_level: str
    model_version: str
    assessed_by: PersonRef | None
    assessed_at: dt.datetime

    @staticmethod
    def resolve_org_unit(obj: Any) -> dict[str, Any] | None:
        unit = obj.org_unit
        return {"id": unit.pk, "name": unit.name} if unit is not None else None

    @staticmethod
    def resolve_assessed_by(obj: Any) -> dict[str, Any] | None:
        return person_ref(obj.assessed_by)


class InputOut(Schema):
    key: str
    label: str
    health: float | None = Field(description="0 (bad) .. 1 (good); null = not measured")
    shown: str


class CaseOut(Schema):
    id: int
    title: str


class GapOut(Schema):
    dimension: str
    text: str
    use_cases: list[CaseOut]


class DimensionOut(Schema):
    key: str
    label: str
    self_score: float | None
    self_level: str | None
    evidence_score: float | None
    evidence_level: str | None
    higher_than_evidence: bool
    inputs: list[InputOut]
    missing: list[str] = Field(description="Inputs not measured; the score uses the rest")


class RecommendationOut(Schema):
    dimension: str
    label: str
    level: str
    next_level: str | None
    steps: list[str]
    gaps: list[GapOut]
    higher_than_evidence: bool
    self_score: float | None
    evidence_score: float | None


class HintOut(Schema):
    recommended: str
    current: str
    changes: bool
    reasoning: str


class MaturityOut(Schema):
    org_unit: Ref | None
    model_version: str
    self_assessment: SelfAssessmentOut | None
    evidence_score: float | None
    evidence_level: str | None
    dimensions: list[DimensionOut]
    recommendations: list[RecommendationOut]
    structure_hint: HintOut | None


def _gap(g: Gap) -> dict[str, Any]:
    return {
        "dimension": g.dimension,
        "text": g.text,
        "use_cases": [{"id": r.id, "title": r.title} for r in g.refs],
    }


def _recommendation(r: Recommendation) -> dict[str, Any]:
    return {
        "dimension": r.dimension,
        "label": r.label,
        "level": r.level,
        "next_level": r.next_level,
        "steps": list(r.steps),
        "gaps": [_gap(g) for g in r.gaps],
        "higher_than_evidence": r.higher_than_evidence,
        "self_score": r.self_score,
        "evidence_score": r.evidence_score,
    }


def _hint(h: Hint | None) -> dict[str, Any] | None:
    if h is None:
        return None
    return {
        "recommended": h.recommended,
        "current": h.current,
        "changes": h.changes,
        "reasoning": h.reasoning,
    }


def report_json(report: Report) -> dict[str, Any]:
    """The report as MaturityOut data (the self-assessment row stays a model instance)."""
    unit = report.org_unit
    return {
        "org_unit": {"id": unit.pk, "name": unit.name} if unit else None,
        "model_version": report.loaded.sha256,
        "self_assessment": report.latest,
        "evidence_score": report.evidence.overall_score,
        "evidence_level": report.evidence.overall_level,
        "dimensions": [
            {
                "key": row.key,
                "label": row.label,
                "self_score": row.self_score,
                "self_level": row.self_level,
                "evidence_score": row.evidence.score,
                "evidence_level": row.evidence.level,
                "higher_than_evidence": row.higher_than_evidence,
                "inputs": [vars(i) for i in row.evidence.inputs],
                "missing": list(row.evidence.missing),
            }
            for row in report.rows
        ],
        "recommendations": [_recommendation(r) for r in report.recommendations],
        "structure_hint": _hint(report.hint),
    }
