"""Give each demo use case the history the default policy demands for where it stands.

Every step goes through the real services, backdated: the risk assessment before it
leaves intake, the pilot plan before the pilot, the review and the reviewers' decisions
where the tier needs approval, and each transition on its day. A use case the policy
would not let through (no owner, no sponsor) stops where the gate stops it.
"""

import contextlib
import datetime as dt
import random
from typing import Any

from aiom.core.errors import GateBlocked
from aiom.core.partial_dates import known
from aiom.demo.data import UseCaseSpec
from aiom.governance.assessments import services as assessments
from aiom.governance.models import ReviewRequest
from aiom.governance.policy.versions import active_policy
from aiom.governance.reviews import services as reviews
from aiom.governance.reviews.conflicts import window_for
from aiom.lifecycle import demo as lifecycle_demo
from aiom.lifecycle import services as lifecycle
from aiom.obligations import demo as obligations_demo
from aiom.portfolio.models import UseCase

PATH = ["intake", "feasibility", "risk_review", "pilot", "scaling", "operational", "retired"]
KPIS: dict[str, tuple[str, float, float, str, str]] = {
    "generative": ("Handling time per case", 12.0, 8.0, "min", "lower"),
    "predictive": ("Precision of flagged cases", 55.0, 75.0, "%", "higher"),
    "vision": ("Documents processed without correction", 60.0, 85.0, "%", "higher"),
    "nlp": ("Items routed correctly first time", 70.0, 90.0, "%", "higher"),
    "speech": ("Calls summarised without edits", 50.0, 80.0, "%", "higher"),
    "optimisation": ("Cost per unit", 100.0, 88.0, "EUR", "lower"),
    "rules": ("Cases decided without rework", 80.0, 95.0, "%", "higher"),
    "agent": ("Tasks completed without hand-off", 40.0, 65.0, "%", "higher"),
    "other": ("Hours saved per week", 0.0, 40.0, "h", "higher"),
}
HIGH_RISK_WORDS = {
    "credit_insurance": ("credit", "underwrit", "pricing", "affordab", "lending decision"),
    "employment": ("candidate", "recruit", "cv ", "hiring", "workforce", "attrition"),
}
APPROVE = (
    "The risks are understood, the mitigations are proportionate and the exit "
    "criteria are measurable."
)
REASONS = {
    "rejected": "A similar solution already exists elsewhere in the group; reuse it instead.",
    "stopped": "The pilot did not reach its exit criteria and the case for scaling is weak.",
    "retired": "Replaced by the group-wide platform service; switched off after migration.",
}


def answers_for(spec: UseCaseSpec, mature: bool) -> dict[str, Any]:
    """Questionnaire answers that follow from the use case's facts, as an owner would give."""
    text = f"{spec.title} {spec.description}".lower()
    domain = next(
        (
            d
            for d, words in HIGH_RISK_WORDS.items()
            if spec.automated_decisions and any(w in text for w in words)
        ),
        "customer_service"
        if spec.customer_facing
        else (
            "finance_risk" if spec.unit in ("demo-risk", "demo-finance") else "internal_operations"
        ),
    )
    generative = spec.ai_type in ("generative", "agent")
    bought = spec.sourcing != "build"
    mass_market = spec.unit in (
        "demo-retail",
        "demo-cards",
        "demo-insurance",
        "demo-claims",
        "demo-contact-centre",
        "demo-marketing",
    )
    interaction = (["chatbot"] if spec.customer_facing else []) + (
        ["synthetic_content"] if generative and spec.customer_facing else []
    )
    personal = (["personal"] if spec.personal_data else ["none"]) + (
        ["behaviour"] if spec.personal_data and ("fraud" in text or "marketing" in text) else []
    )
    return {
        "prohibited_practices": ["none"],
        "domain": domain,
        "affected": "consumers"
        if spec.customer_facing
        else ("business_customers" if spec.unit in ("demo-commercial", "demo-wealth") else "staff"),
        "scale": ("over_1m" if mass_market else "under_1m")
        if spec.customer_facing
        else ("under_1m" if spec.personal_data else "under_10k"),
        "reversibility": "hard"
        if spec.automated_decisions
        else ("effort" if spec.personal_data else "easy"),
        "duration": "years"
        if spec.automated_decisions
        else ("months" if spec.personal_data or not generative else "brief"),
        "automation": "decides_sampled"
        if spec.automated_decisions
        else ("assists" if generative else "recommends"),
        "personal_data": personal,
        "interaction": interaction or ["internal"],
        "explainability": "explained"
        if spec.ai_type == "rules"
        else ("opaque" if generative and bought else "partly"),
        "provenance": "in_house"
        if not bought
        else (
            "undocumented"
            if generative and spec.vendor in ("OpenAI", "Anthropic")
            else "vendor_documented"
        ),
        "testing": "yes" if mature else "partly",
        "monitoring": "yes" if mature else "no",
        "human_review": "all" if generative else ("sample" if mature else "no"),
        "appeal": "yes" if spec.automated_decisions else "no",
        "documentation": "yes" if mature else "no",
        "bias_checks": "yes" if spec.automated_decisions else "not_applicable",
    }


def route(spec: UseCaseSpec, rng: random.Random) -> list[str]:
    """The stages after intake this use case went through, within what its gates allow."""
    target = spec.stage
    if target == "rejected":
        leave = rng.choice(["intake", "feasibility", "feasibility", "risk_review"])
        steps = [*PATH[1 : PATH.index(leave) + 1], "rejected"]
    elif target == "stopped":
        leave = rng.choice(["pilot", "pilot", "pilot", "feasibility", "scaling"])
        steps = [*PATH[1 : PATH.index(leave) + 1], "stopped"]
    else:
        steps = PATH[1 : PATH.index(target) + 1]
    if spec.owner is None:
        return []
    if spec.sponsor is None:  # feasibility -> risk review needs a sponsor
        steps = [s for s in steps if s in ("feasibility", "rejected")][:1]
    return steps


def _days(start: dt.date, end: dt.date, n: int) -> list[dt.date]:
    span = max((end - start).days, n)
    return [min(end, start + dt.timedelta(days=round(span * (i + 1) / n))) for i in range(n)]


class Replayer:
    """Walks demo use cases through the lifecycle with reviewers who may decide."""

    def __init__(self, reviewers: list[Any], today: dt.date, rng: random.Random) -> None:
        self.reviewers = reviewers
        self.today = today
        self.rng = rng
        policy = active_policy().policy
        self.cadence = {str(tier): days for tier, days in policy.review_cadence_days.items()}

    def replay(self, spec: UseCaseSpec, uc: UseCase) -> UseCase:
        steps = route(spec, self.rng)
        ago = spec.stage_days_ago
        if spec.stage == "pilot":  # pilots run for months, not years: most are recent
            ago = min(ago, self.rng.randint(15, 110))
        final = self.today - dt.timedelta(days=ago)
        if not steps:
            if self.rng.random() < 0.5:  # assessed at intake, as the policy intends
                assessments.assess(
                    actor=None,
                    use_case=uc,
                    answers=answers_for(spec, False),
                    today=known(uc.proposed_on) + dt.timedelta(days=3),
                )
            return uc
        answers = answers_for(spec, any(s in steps for s in ("pilot", "scaling", "operational")))
        days = _days(known(uc.proposed_on), final, len(steps) + 1)
        assessed = self.assess(uc, answers, days[0] - dt.timedelta(days=1))
        for stage, day in zip(steps, days[1:], strict=True):
            cadence = self.cadence.get(UseCase.objects.get(pk=uc.pk).tier, 365)
            if (day - assessed).days > cadence - 7 and stage not in REASONS:
                assessed = self.assess(uc, answers, day - dt.timedelta(days=3))
            uc = self.step(spec, uc, stage, day)
        if uc.stage in ("pilot", "scaling", "operational") and self.rng.random() < 0.8:
            recent = self.today - dt.timedelta(days=self.rng.randint(5, 80))
            if recent > assessed:  # periodic re-review; the rest fall due by cadence
                self.assess(uc, answers, recent)
        self.loose_ends(spec, uc, answers)
        lifecycle_demo.settle_conditions(uc, self.today, self.rng)
        return uc

    def assess(self, uc: UseCase, answers: dict[str, Any], day: dt.date) -> dt.date:
        day = max(day, known(uc.proposed_on))
        assessments.assess(actor=None, use_case=uc, answers=answers, today=day)
        return day

    def step(self, spec: UseCaseSpec, uc: UseCase, stage: str, day: dt.date) -> UseCase:
        if stage == "pilot" or (stage == "rejected" and uc.stage == "risk_review"):
            metric, base, target, unit, direction = KPIS.get(spec.ai_type, KPIS["other"])
            plan_day = max(known(uc.stage_entered_on), day - dt.timedelta(days=7))
            lifecycle.plan_pilot(
                actor=None,
                use_case=uc,
                today=plan_day,
                ends_on=day + dt.timedelta(days=self.rng.randint(45, 100)),
                exit_criteria=[
                    {
                        "metric": metric,
                        "baseline": base,
                        "target": target,
                        "unit": unit,
                        "direction": direction,
                    }
                ],
            )
        asked = max(known(uc.stage_entered_on), day - dt.timedelta(days=5))
        if stage in ("pilot", "scaling", "operational"):
            obligations_demo.meet_due(uc, stage, self.rng)  # what the gate asks
            if stage == "scaling":  # the exit criterion measured; short of it: an override
                lifecycle_demo.pilot_results(uc, asked, self.rng, self.reviewers)
            self.approve(uc, stage, asked, day)
        elif stage == "rejected" and uc.stage == "risk_review":
            obligations_demo.meet_due(uc, "pilot", self.rng)
            self.approve(uc, "pilot", asked, day, outcome="reject")
        lifecycle.transition(
            actor=None, use_case=uc, to_stage=stage, today=day, reason=REASONS.get(stage, "")
        )
        return UseCase.objects.get(pk=uc.pk)

    def approve(
        self, uc: UseCase, stage: str, asked: dt.date, day: dt.date, outcome: str = "approve"
    ) -> ReviewRequest:
        review = reviews.request_review(actor=None, use_case=uc, to_stage=stage, today=asked)
        slots = sum(int(a["count"]) for a in review.approvers)  # distinct people, four eyes
        for _ in range(max(slots, review.min_people)):
            self.decide(review, outcome, day)
            if outcome != "approve":
                break
        return review

    def decide(self, review: ReviewRequest, outcome: str, day: dt.date) -> None:
        review = (
            ReviewRequest.objects.select_related("use_case__org_unit")
            .prefetch_related("decisions")
            .get(pk=review.pk)
        )
        decided = {d.reviewer_id for d in review.decisions.all()}
        window = window_for(review)  # judged once for all the candidates
        eligible = [
            r for r in self.reviewers if r.pk not in decided and reviews.slot_for(r, review, window)
        ]
        if eligible:
            rationale = APPROVE if outcome == "approve" else REASONS["rejected"]
            items = lifecycle_demo.conditions_for(review.use_case, day, self.rng)
            items = items if outcome == "approve" else []
            reviews.decide(
                actor=self.rng.choice(eligible),
                review=review,
                outcome="approve_with_conditions" if items else outcome,
                rationale=rationale,
                conditions=items,
                today=day,
            )

    def loose_ends(self, spec: UseCaseSpec, uc: UseCase, answers: dict[str, Any]) -> None:
        """Open and overdue reviews, extended pilots: what a live portfolio also has."""
        draw = self.rng.random()
        stage_day = known(uc.stage_entered_on)
        if uc.stage == "risk_review" and draw < 0.6:
            metric, base, target, unit, direction = KPIS.get(spec.ai_type, KPIS["other"])
            asked = max(stage_day, self.today - dt.timedelta(days=self.rng.randint(0, 12)))
            self.assess(uc, answers, asked)  # re-assessed before the review is asked for
            lifecycle.plan_pilot(
                actor=None,
                use_case=uc,
                today=asked,
                ends_on=asked + dt.timedelta(days=90),
                exit_criteria=[
                    {
                        "metric": metric,
                        "baseline": base,
                        "target": target,
                        "unit": unit,
                        "direction": direction,
                    }
                ],
            )
            obligations_demo.meet_due(uc, "pilot", self.rng)
            reviews.request_review(actor=None, use_case=uc, to_stage="pilot", today=asked)
        elif uc.stage == "pilot" and draw < 0.25:
            with contextlib.suppress(GateBlocked):  # not every pilot is ready to ask
                reviews.request_review(
                    actor=None,
                    use_case=uc,
                    to_stage="scaling",
                    today=min(self.today, stage_day + dt.timedelta(days=40)),
                )
        elif uc.stage == "pilot" and draw < 0.4:
            plan = uc.pilot_plan
            if plan.ends_on > self.today:
                lifecycle.extend_pilot(
                    actor=None,
                    use_case=uc,
                    ends_on=plan.ends_on + dt.timedelta(days=30),
                    reason="Volumes were too low over the holidays to judge the results.",
                    today=self.today,
                )
