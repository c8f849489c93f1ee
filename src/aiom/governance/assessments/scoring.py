"""Risk scoring: pure functions from a policy's questionnaire and a set of answers to a tier.

Scored the way algorithmic impact assessments are (Canada's AIA is the public model): the
impact score is compared with its maximum, so a questionnaire can change without
recalibrating the tiers; mitigation lowers the impact by a set share, but only once it
reaches a set share of its own maximum. Hard rules then override the score: a prohibited
practice blocks, a listed high-risk area makes the tier at least high, and some answers
carry duties (transparency for chatbots and synthetic content).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from aiom.governance.policy.schema import TIERS, Policy, Question

Answers = Mapping[str, str | list[str]]


def _d(value: float) -> Decimal:
    return Decimal(str(value))


@dataclass(frozen=True)
class Scored:
    impact_raw: Decimal
    impact_max: Decimal
    mitigation_raw: Decimal
    mitigation_max: Decimal
    deducted: bool
    score: Decimal
    computed_tier: str
    decided_by: str
    prohibited_reasons: tuple[str, ...] = ()
    high_risk_areas: tuple[str, ...] = ()
    duties: tuple[str, ...] = ()
    section_scores: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def prohibited(self) -> bool:
        return bool(self.prohibited_reasons)


def answer_problems(policy: Policy, answers: Answers) -> dict[str, str]:
    """Each unanswered, unknown or malformed answer, keyed by question key."""
    problems: dict[str, str] = {}
    for key in answers:
        if policy.question(key) is None:
            problems[key] = "not a question of the active policy"
    for q in policy.questionnaire:
        given = answers.get(q.key)
        chosen = given if isinstance(given, list) else [given] if given else []
        if not chosen:
            problems[q.key] = "unanswered"
            continue
        if q.type == "single" and isinstance(given, list) and len(given) != 1:
            problems[q.key] = "choose exactly one answer"
            continue
        known = {a.key for a in q.answers}
        unknown = [c for c in chosen if c not in known]
        if unknown:
            problems[q.key] = f"unknown answer {', '.join(map(str, unknown))}"
    return problems


def _chosen(q: Question, answers: Answers) -> list[str]:
    given = answers.get(q.key)
    keys = given if isinstance(given, list) else [given] if given else []
    return [a for a in keys if isinstance(a, str)]


def score(policy: Policy, answers: Answers) -> Scored:
    """Score answers against the policy. Unknown or missing answers count as zero weight."""
    impact_raw = impact_max = mitigation_raw = mitigation_max = Decimal(0)
    sections: dict[str, list[Decimal]] = {}
    prohibited: list[str] = []
    high_risk: list[str] = []
    duties: list[str] = []
    for q in policy.questionnaire:
        picked = set(_chosen(q, answers))
        chosen = [a for a in q.answers if a.key in picked]
        got = sum((_d(a.weight) for a in chosen), Decimal(0))
        top = _d(q.max_weight())
        if q.kind == "impact":
            impact_raw += got
            impact_max += top
        else:
            mitigation_raw += got
            mitigation_max += top
        raw_max = sections.setdefault(q.section, [Decimal(0), Decimal(0)])
        raw_max[0] += got
        raw_max[1] += top
        for a in chosen:
            if a.prohibited:
                prohibited.append(a.prohibited)
            if a.high_risk:
                high_risk.append(a.high_risk)
            duties.extend(d for d in a.duties if d not in duties)

    s = policy.scoring
    deducted = mitigation_max > 0 and mitigation_raw >= _d(s.mitigation_share) * mitigation_max
    after = impact_raw * (1 - _d(s.mitigation_deduction)) if deducted else impact_raw
    fraction = (after / impact_max).quantize(Decimal("0.0001"), ROUND_HALF_UP)
    tier, decided_by = _tier_from_score(policy, fraction, impact_raw, impact_max, deducted)
    if prohibited:
        tier = "high"
        decided_by = f"prohibited practice: {'; '.join(prohibited)} — the use case is blocked"
    elif high_risk and TIERS.index(tier) < TIERS.index("high"):
        decided_by = (
            f"high-risk area: {'; '.join(high_risk)} — at least high whatever the score "
            f"(the score alone gave {tier})"
        )
        tier = "high"
    return Scored(
        impact_raw=impact_raw,
        impact_max=impact_max,
        mitigation_raw=mitigation_raw,
        mitigation_max=mitigation_max,
        deducted=bool(deducted),
        score=fraction,
        computed_tier=tier,
        decided_by=decided_by,
        prohibited_reasons=tuple(prohibited),
        high_risk_areas=tuple(high_risk),
        duties=tuple(duties),
        section_scores={k: {"raw": str(v[0]), "max": str(v[1])} for k, v in sections.items()},
    )


def _tier_from_score(
    policy: Policy, fraction: Decimal, raw: Decimal, top: Decimal, deducted: bool
) -> tuple[str, str]:
    t = policy.scoring.thresholds
    how = f"impact {raw} of {top}" + (
        f" less {int(policy.scoring.mitigation_deduction * 100)}% for mitigation"
        if deducted
        else ""
    )
    if fraction >= _d(t["high"]):
        return "high", f"score {fraction} ({how}) is at or above the high threshold {t['high']}"
    if fraction >= _d(t["medium"]):
        return "medium", (
            f"score {fraction} ({how}) is at or above the medium threshold {t['medium']}"
        )
    return "low", f"score {fraction} ({how}) is below the medium threshold {t['medium']}"
