"""Self-assessments (the one write), and the pure advice built from scores and evidence.

`self_assess` scores with the shipped model and stores its sha256, so history written
under an older model stays readable but is not silently rescored. `recommendations` and
`structure_hint` read nothing from the database: callers pass what they show.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from django.db import transaction
from django.utils import timezone

from aiom.core import audit
from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.insights.maturity.evidence import Evidence, Gap
from aiom.insights.maturity.model import (
    MaturityModel,
    Scored,
    answer_problems,
    current,
    score_answers,
)
from aiom.maturity.models import SelfAssessment
from aiom.organisation.access import access_for
from aiom.organisation.models import OrgUnit

OPTIMISM_POINTS = 15.0  # self-assessed this far above the evidence is flagged


def can_self_assess(user: audit.Actor, org_unit: OrgUnit | None) -> bool:
    """Administrators; for a unit also its lead or the lead of an ancestor. Never partners."""
    access = access_for(user)
    if not access.is_internal:
        return False
    if access.is_admin:
        return True
    return org_unit is not None and access.leads_or_above(org_unit.path)


def snapshot(row: SelfAssessment) -> dict[str, Any]:
    return {
        "org_unit": row.org_unit_id,
        "answers": row.answers,
        "dimension_scores": row.dimension_scores,
        "dimension_levels": row.dimension_levels,
        "overall_score": row.overall_score,
        "overall_level": row.overall_level,
        "model_version": row.model_version,
        "assessed_at": row.assessed_at,
    }


@transaction.atomic
def self_assess(
    *,
    actor: audit.Actor,
    org_unit: OrgUnit | None,
    answers: Mapping[str, Any],
    assessed_at: dt.datetime | None = None,
) -> SelfAssessment:
    """Score a complete questionnaire and keep it as the unit's latest self-assessment.

    `assessed_at` backdates (the demo's history); None is now. Nothing is overwritten:
    every assessment is a new history point.
    """
    if actor is not None and not can_self_assess(actor, org_unit):
        who = "administrators" if org_unit is None else "the unit's lead (or a lead above it)"
        raise PermissionDenied(f"only {who} may self-assess maturity here")
    loaded = current()
    problems = answer_problems(loaded.model, answers)
    if problems:
        raise InvalidInput(problems)
    given = {k: str(v) for k, v in answers.items()}
    scored = score_answers(loaded.model, given)
    row = SelfAssessment.objects.create(
        org_unit=org_unit,
        answers=given,
        dimension_scores=scored.dimension_scores,
        dimension_levels=scored.dimension_levels,
        overall_score=Decimal(str(scored.overall_score)),
        overall_level=scored.overall_level,
        model_version=loaded.sha256,
        assessed_by=actor if actor is not None and actor.is_authenticated else None,
        assessed_at=assessed_at or timezone.now(),
    )
    audit.record(
        actor=actor,
        action="self_assess",
        obj=row,
        after=snapshot(row),
        message=f"maturity self-assessed for {org_unit or 'the whole organisation'}",
    )
    return row


def latest(org_unit: OrgUnit | None) -> SelfAssessment | None:
    return SelfAssessment.objects.filter(org_unit=org_unit).select_related("assessed_by").first()


def scored_of(row: SelfAssessment) -> Scored:
    return Scored(
        dimension_scores={k: float(v) for k, v in row.dimension_scores.items()},
        dimension_levels=dict(row.dimension_levels),
        overall_score=float(row.overall_score),
        overall_level=row.overall_level,
    )


@dataclass(frozen=True)
class Recommendation:
    dimension: str
    label: str
    level: str
    next_level: str | None
    steps: tuple[str, ...]
    gaps: tuple[Gap, ...] = ()
    higher_than_evidence: bool = False
    self_score: float | None = None
    evidence_score: float | None = None


def _rank(model: MaturityModel, level: str | None) -> int:
    keys = [lv.key for lv in model.levels]
    return keys.index(level) if level in keys else len(keys)


def recommendations(
    model: MaturityModel, self_scored: Scored | None, evidence: Evidence
) -> list[Recommendation]:
    """Next steps per dimension not yet at the top, from its lower level (self vs evidence).

    A dimension at the top still appears when the evidence shows gaps or the
    self-assessment is OPTIMISM_POINTS or more above the evidence.
    """
    out: list[Recommendation] = []
    top = model.levels[-1].key
    for dim in model.dimensions:
        own = self_scored.dimension_scores.get(dim.key) if self_scored else None
        own_level = self_scored.dimension_levels.get(dim.key) if self_scored else None
        ev = evidence.dimensions.get(dim.key)
        ev_score, ev_level = (ev.score, ev.level) if ev else (None, None)
        levels = [lv for lv in (own_level, ev_level) if lv is not None]
        if not levels:
            continue
        level = min(levels, key=lambda k: _rank(model, k))
        flagged = own is not None and ev_score is not None and own - ev_score >= OPTIMISM_POINTS
        gaps = tuple(evidence.gaps_for(dim.key))
        if level == top and not gaps and not flagged:
            continue
        following = model.next_level(level)
        out.append(
            Recommendation(
                dimension=dim.key,
                label=dim.label,
                level=level,
                next_level=following.key if following else None,
                steps=tuple(dim.next_steps.get(level, ())),
                gaps=gaps,
                higher_than_evidence=flagged,
                self_score=own,
                evidence_score=ev_score,
            )
        )
    return out


Structure = Literal["centralized", "federated", "decentralized"]
SMALL_ORG = 25  # people recorded in aiom: below this one central team is usually enough
LARGE_ORG = 500  # people recorded in aiom: from here units can run their own portfolios
MANY_UNITS = 3
LARGE_UNITS = 6


@dataclass(frozen=True)
class Hint:
    recommended: Structure
    reasoning: str
    current: str = ""
    changes: bool = field(default=False)


def _pick(people: int, units: int, level: str) -> tuple[Structure, str]:
    if level == "ad_hoc":
        return "centralized", (
            "At Ad Hoc maturity one central team should set the basics (inventory, "
            "owners, a first policy) before units take decisions themselves."
        )
    if people < SMALL_ORG or units < MANY_UNITS:
        return "centralized", (
            f"With {people} people in {units} unit(s), one central team can approve "
            "everything without becoming a bottleneck."
        )
    if level == "ai_native" and people >= LARGE_ORG and units >= LARGE_UNITS:
        return "decentralized", (
            f"AI-Native practice across {units} units and {people} people can carry "
            "local approval, provided each unit has its own scoped reviewers."
        )
    return "federated", (
        f"With {units} units and a practice that is established but not yet AI-Native "
        "everywhere, keep policy and high-risk approvals central and let units run "
        "the rest."
        if level != "ai_native"
        else f"AI-Native practice in an organisation of {people} people and {units} units "
        "fits central policy with local execution; full decentralization pays off at scale."
    )


def structure_hint(
    org_size_people: int, org_units: int, overall_level: str, current_structure: str
) -> Hint:
    """Which operating structure suits this size and maturity, and why in a sentence."""
    recommended, why = _pick(org_size_people, org_units, overall_level)
    if recommended == current_structure:
        why += f" The current {current_structure} structure fits."
    else:
        why += f" Consider moving from {current_structure} to {recommended}."
    return Hint(recommended, why, current_structure, recommended != current_structure)
