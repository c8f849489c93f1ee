"""Everything the maturity page and `GET /maturity` show for one scope, assembled once.

The evidence covers only the use cases the viewer may see, so two viewers can see
different evidence for the same unit; the self-assessment is the unit's own and shared.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from aiom.governance.policy.versions import active_policy
from aiom.insights.maturity import services
from aiom.insights.maturity.evidence import DimensionEvidence, Evidence
from aiom.insights.maturity.fetch import gather
from aiom.insights.maturity.model import Loaded, MaturityModel, current
from aiom.insights.maturity.radar import Series, radar_svg
from aiom.maturity.models import SelfAssessment
from aiom.organisation.models import OrgUnit, Person


@dataclass(frozen=True)
class Row:
    """One dimension side by side: self-assessed against evidence."""

    key: str
    label: str
    description: str
    self_score: float | None
    self_level: str | None
    evidence: DimensionEvidence

    @property
    def higher_than_evidence(self) -> bool:
        ev = self.evidence.score
        return (
            self.self_score is not None
            and ev is not None
            and self.self_score - ev >= services.OPTIMISM_POINTS
        )


@dataclass(frozen=True)
class Report:
    loaded: Loaded
    org_unit: OrgUnit | None
    latest: SelfAssessment | None
    evidence: Evidence
    rows: list[Row]
    recommendations: list[services.Recommendation]
    hint: services.Hint | None
    can_self_assess: bool

    @property
    def model(self) -> MaturityModel:
        return self.loaded.model

    def level_label(self, key: str | None) -> str:
        return self.model.level(key).label if key else "not measured"

    def radar(self) -> str:
        series = [Series("Evidence", [r.evidence.score for r in self.rows], "evidence")]
        if self.latest is not None:
            series.insert(0, Series("Self-assessed", [r.self_score for r in self.rows], "self"))
        rings = [lv.min_score for lv in self.model.levels if lv.min_score > 0] + [100]
        title = f"Maturity of {self.org_unit or 'the whole organisation'} by dimension"
        return radar_svg([r.label for r in self.rows], series, rings=rings, title=title)


def _lower(model: MaturityModel, *levels: str | None) -> str | None:
    order = [lv.key for lv in model.levels]
    known = [lv for lv in levels if lv in order]
    return min(known, key=order.index) if known else None


def _sizes(org_unit: OrgUnit | None) -> tuple[int, int]:
    if org_unit is None:
        return Person.objects.count(), OrgUnit.objects.count()
    people = Person.objects.filter(org_unit__path__startswith=org_unit.path).count()
    return people, OrgUnit.objects.filter(path__startswith=org_unit.path).count()


def build(org_unit: OrgUnit | None, *, user: Any, today: dt.date | None = None) -> Report:
    """The report for org_unit's subtree (None = the whole organisation) as `user` sees it."""
    loaded = current()
    model = loaded.model
    row = services.latest(org_unit)
    scored = services.scored_of(row) if row is not None else None
    evidence = gather(
        org_unit.pk if org_unit else None, today=today or timezone.localdate(), user=user
    )
    rows = [
        Row(
            key=d.key,
            label=d.label,
            description=d.description,
            self_score=scored.dimension_scores.get(d.key) if scored else None,
            self_level=scored.dimension_levels.get(d.key) if scored else None,
            evidence=evidence.dimensions[d.key],
        )
        for d in model.dimensions
    ]
    level = _lower(model, scored.overall_level if scored else None, evidence.overall_level)
    hint = None
    if level is not None:
        people, units = _sizes(org_unit)
        hint = services.structure_hint(people, units, level, active_policy().policy.structure)
    return Report(
        loaded=loaded,
        org_unit=org_unit,
        latest=row,
        evidence=evidence,
        rows=rows,
        recommendations=services.recommendations(model, scored, evidence),
        hint=hint,
        can_self_assess=services.can_self_assess(user, org_unit),
    )
