"""Demo obligations: statuses and evidence links for use cases that have moved on.

Use cases in a pilot or later have met most of what they owe (with a link to where the
evidence lives); a few obligations are marked not applicable with a reason, and some stay
open, so the crosswalk shows real readiness with real gaps. Use cases in risk review
have started. Written through the services as the system; returns the statuses set.
"""

from __future__ import annotations

import datetime as dt
import random

from aiom.governance.policy.versions import active_policy
from aiom.obligations import services
from aiom.obligations.derive import derive, open_due, owed
from aiom.obligations.facts import active_pack, case_facts, recorded_for
from aiom.portfolio.models import UseCase

# Share of owed obligations met, by stage; the rest stay open unless waived.
MET_SHARE = {"risk_review": 0.3, "pilot": 0.7, "scaling": 0.85, "operational": 0.95}
WAIVE_SHARE = 0.08
WAIVERS = {
    "operator_literacy": "Runs unattended overnight; nobody operates it day to day.",
    "incident_reporting": "Covered by the vendor's incident process under the contract.",
    "legal_requirements_mapped": "Internal analytics only; legal confirmed no specific rules.",
    "event_logging": "Outputs are advisory and logged by the case system that shows them.",
}
EVIDENCE_BASE = "https://intranet.example.com/ai-governance"


def meet_due(uc: UseCase, stage: str, rng: random.Random) -> int:
    """Before a move into `stage`: meet each open obligation due by then (with a link to the
    evidence), or mark it not applicable with the reason where one fits. Returns how many."""
    order = [s.key for s in active_policy().policy.stages if not s.terminal]
    recorded = recorded_for([uc.pk]).get(uc.pk, {})
    items = owed(active_pack(), case_facts(UseCase.objects.get(pk=uc.pk)), recorded)
    due = open_due(items, stage, order)
    for item in due:
        key = item.key
        if key in WAIVERS and rng.random() < WAIVE_SHARE:
            services.set_status(
                actor=None,
                use_case=uc,
                obligation=key,
                status="not_applicable",
                reason=WAIVERS[key],
            )
            continue
        services.set_status(actor=None, use_case=uc, obligation=key, status="met")
        services.add_evidence(
            actor=None,
            use_case=uc,
            obligation=key,
            url=f"{EVIDENCE_BASE}/use-cases/{uc.pk}/{key.replace('_', '-')}",
            note=f"Checked before the move to {stage.replace('_', ' ')}",
        )
    return len(due)


def seed(*, today: dt.date, rng: random.Random) -> int:
    """Mark obligations of demo use cases past feasibility; returns the statuses written."""
    pack = active_pack()
    cases = UseCase.objects.filter(stage__in=MET_SHARE).select_related("org_unit").order_by("pk")
    written = 0
    recorded = recorded_for(cases.values("pk"))
    for uc in cases:
        share = MET_SHARE[uc.stage]
        for ob in derive(pack, case_facts(uc)):
            roll = rng.random()
            if ob.key in recorded.get(uc.pk, {}):
                continue  # settled before a gate in the replay
            if ob.key in WAIVERS and roll < WAIVE_SHARE:
                services.set_status(
                    actor=None,
                    use_case=uc,
                    obligation=ob.key,
                    status="not_applicable",
                    reason=WAIVERS[ob.key],
                )
            elif roll < share:
                services.set_status(actor=None, use_case=uc, obligation=ob.key, status="met")
                if rng.random() < 0.6:
                    services.add_evidence(
                        actor=None,
                        use_case=uc,
                        obligation=ob.key,
                        url=f"{EVIDENCE_BASE}/use-cases/{uc.pk}/{ob.key.replace('_', '-')}",
                        note=f"Filed {today - dt.timedelta(days=rng.randint(3, 120)):%d %b %Y}",
                    )
            else:
                continue
            written += 1
    return written
