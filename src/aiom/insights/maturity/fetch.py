"""The thin data fetch behind maturity evidence: analytics figures turned into inputs,
scored into `Evidence` by `gather` (the pure scoring is evidence.py).

Everything is an aggregate from `aiom.insights.analytics` (plus one count of production
use cases and one feedback average) over `Scope(org_unit=...)` as `user` may see it.
Laggard use cases come from the analytics' laggard queries (the ones `diagnostics` names);
a gap links at most ten of them. Training coverage comes from the literacy records.
"""

import datetime as dt
from typing import Any

from django.db.models import Avg, Count, Q
from django.utils import timezone

from aiom.core.memo import live
from aiom.governance.policy.versions import active_policy
from aiom.insights import analytics
from aiom.insights.analytics import Scope, Share, facts
from aiom.insights.analytics import laggards as lag
from aiom.insights.analytics.tally import tally
from aiom.insights.maturity.evidence import (
    CaseRef,
    Evidence,
    Gap,
    Input,
    adoption_health,
    combine,
    concentration_health,
    count_gap,
    rating_health,
    ratio_input,
    share_input,
    within_sla,
)
from aiom.insights.maturity.model import current
from aiom.literacy.coverage import coverage as literacy_coverage
from aiom.monitoring.analytics import governance_evidence, incident_counts
from aiom.organisation.models import OrgUnit
from aiom.value.models import Feedback


def _share(key: str, label: str, share: Share | None, figure: str = "") -> Input:
    if share is None:
        return Input(key, label, None, "not measured", figure=figure)
    return share_input(key, label, share.count, share.of, figure)


def _refs(items: Any) -> list[CaseRef]:
    return [CaseRef(r.id, r.title) for r in items]


def gather_inputs(
    org_unit: int | None, *, today: dt.date, user: Any = None
) -> tuple[dict[str, list[Input]], list[Gap]]:
    """Inputs per dimension and the gaps worth naming, for one org unit's subtree."""
    scope = Scope(org_unit=org_unit)
    cases = scope.use_cases(user)
    pilots = analytics.pilot_outcomes(scope, today=today, user=user)
    dwell = analytics.dwell(scope, today=today, user=user)
    cover = analytics.coverage(scope, today=today, user=user)
    gov = analytics.governance_timing(scope, today=today, user=user)
    embed = analytics.embedding(scope, today=today, user=user)
    vendors = analytics.vendor_dependence(scope, user=user)
    unit = OrgUnit.objects.filter(pk=org_unit).first() if org_unit is not None else None
    literacy = literacy_coverage(org_unit=unit, today=today)
    policy = active_policy().policy
    monitoring = incident_counts(cases, today=today, policy=policy)
    watched = governance_evidence(monitoring)
    terminal = [s.key for s in policy.stages if s.terminal]
    fq = facts.of(scope, user)
    live = fq.exclude(stage__in=terminal).aggregate(
        n=Count("pk"), production=Count("pk", filter=Q(in_production=True))
    )
    production, live_total = live["production"], live["n"]
    rating = Feedback.objects.filter(use_case__in=cases.values("pk")).aggregate(avg=Avg("rating"))
    avg = float(rating["avg"]) if rating["avg"] is not None else None

    # only use cases whose entry day places them over or within the SLA (not unknown)
    sla_ok, sla_of = within_sla((s.count - s.unplaced, s.sla_days, s.over) for s in dwell.stages)
    unmeasured = tally(scope, today=today, user=user).unmeasured
    inputs: dict[str, list[Input]] = {
        "processes": [
            share_input(
                "pilot_scale_rate",
                "Pilots scaled (of those decided)",
                pilots.scaled,
                pilots.decided,
                "pilot_to_scale",  # stalled ones counted as the policy says
            ),
            share_input("stage_within_sla", "Use cases within their stage SLA", sla_ok, sla_of),
            _share(
                "kpis_measured",
                "Use cases with measured KPIs",
                cover.kpis_measured,
                "success_measured",
            ),
        ],
        "governance": [
            _share(
                "owner_coverage", "Use cases with an accountable owner", cover.owner, "ownership"
            ),
            _share(
                "assessed_at_intake", "Risk assessed at intake", gov.at_intake, "governance_early"
            ),
            _share("reviews_within_sla", "Reviews decided within SLA", gov.reviews_within_sla),
            ratio_input(
                "monitoring_coverage",
                "Operational use cases with a monitoring plan",
                watched["monitoring_coverage"],
                f"{monitoring['with_plan']} of {monitoring['operational']}",
            ),
            ratio_input(
                "monitoring_discipline",
                "Monitoring reviews on time",
                watched["monitoring_discipline"],
                f"{monitoring['overdue_reviews']} overdue",
            ),
            ratio_input(
                "incident_closure",
                "Incidents of the last 12 months closed",
                watched["incident_closure"],
                f"{monitoring['closed_12m']} of {monitoring['incidents_12m']}",
            ),
        ],
        "technology": [
            _share("operational", "Use cases operational", embed.operational, "embedded"),
            share_input("production", "Live use cases in production", production, live_total),
            ratio_input(
                "vendor_spread",
                "Vendor spread (1 - concentration)",
                concentration_health(vendors.hhi),
                f"HHI {vendors.hhi:.2f}" if vendors.hhi is not None else "",
            ),
        ],
        "data": [
            _share(
                "data_ready", "Use cases whose data is ready", cover.data_ready, "data_readiness"
            )
        ],
        "people": [
            _share("sponsor_coverage", "Use cases with an executive sponsor", cover.sponsor),
            ratio_input(
                "adoption_trend", "Adoption trend (active users)", adoption_health(embed.adoption)
            ),
            ratio_input(
                "feedback",
                "End-user feedback",
                rating_health(avg),
                f"average {avg:.1f} of 5" if avg is not None else "",
            ),
            ratio_input(
                "training",
                "People with current AI training",
                literacy.people_share,
                f"target {round(100 * literacy.target)}%",
            ),
        ],
    }
    stalled, unmeasured_refs, ownerless, late = lag.resolve(  # one query names them all
        today,
        lag.stalled_pilots(fq, today, policy),
        lag.unmeasured(fq, today, policy),
        lag.without_owner(fq, today, terminal),
        lag.late_governance(fq, today, policy.stages[0].key, terminal),
    )
    gaps = [
        *count_gap(
            "processes",
            pilots.stalled,
            "stalled pilot",
            "stalled pilots",
            _refs(stalled),
        ),
        *count_gap(
            "processes",
            dwell.over_total,
            "use case over its stage SLA",
            "use cases over their stage SLA",
            _refs(dwell.over),
        ),
        *count_gap(
            "processes",
            unmeasured,
            "use case in use without measured KPIs",
            "use cases in use without measured KPIs",
            _refs(unmeasured_refs),
        ),
        *count_gap(
            "governance",
            cover.owner.of - cover.owner.count,
            "use case without an owner",
            "use cases without an owner",
            _refs(ownerless),
        ),
        *count_gap(
            "governance",
            gov.reviews_open_overdue,
            "review open past its SLA",
            "reviews open past their SLA",
        ),
        *count_gap(
            "governance",
            gov.at_intake.of - gov.at_intake.count,
            "use case assessed only after intake",
            "use cases assessed only after intake",
            _refs(late),
        ),
        *count_gap(
            "governance",
            monitoring["open_incidents"],
            "AI incident still open",
            "AI incidents still open",
        ),
        *count_gap(
            "governance",
            monitoring["overdue_reviews"],
            "monitoring review overdue",
            "monitoring reviews overdue",
        ),
        *count_gap(
            "people",
            cover.sponsor.of - cover.sponsor.count,
            "use case without a sponsor",
            "use cases without a sponsor",
        ),
    ]
    if cover.data_ready is not None:
        ready = cover.data_ready
        gaps += count_gap(
            "data",
            ready.of - ready.count,
            "use case whose data is not ready",
            "use cases whose data is not ready",
        )
    return inputs, gaps


@live
def gather(org_unit: int | None, *, today: dt.date | None = None, user: Any = None) -> Evidence:
    """Evidence for an org unit's subtree (None = the whole organisation), from analytics.

    About a dozen aggregate queries; laggard lists come from `diagnostics` when it names
    them. Training coverage comes from the literacy records (None when nobody is in scope).
    """
    inputs, gaps = gather_inputs(org_unit, today=today or timezone.localdate(), user=user)
    return combine(current().model, inputs, gaps)
