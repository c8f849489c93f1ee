"""What a draft policy would change in the live portfolio, computed without writing anything.

Both sides are applied to the same stored facts: tiers are re-scored from each current
assessment's stored answers under the active AND the draft questionnaire, so an assessment
made under an older policy version is not reported as a change, and simulating the active
policy itself reports nothing. A reviewer's tier override stays in force under both (but
never lifts a prohibition). Gates compare checks only: approvals are not re-judged.
Reviewers are counted from role assignments of active users; owner, sponsor and proposer
never count for their own use case, nobody fills two approval slots, and an unassessed use
case has no tier, hence no approval path to route. Work is chunked: a handful of queries
per 2,000 use cases, none per row.
"""

import datetime as dt
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from django.db.models import F, QuerySet
from django.utils import timezone

from aiom.governance.assessments.scoring import Scored, score
from aiom.governance.models import RiskAssessment
from aiom.governance.policy.schema import Policy
from aiom.governance.policy.versions import ActivePolicy, active_policy
from aiom.governance.reviews.structure import assignment_counts, unfilled
from aiom.lifecycle.checks import GateFacts, PilotFacts
from aiom.lifecycle.gates import facts_for_many, forward_targets, gate_report
from aiom.lifecycle.models import PilotPlan
from aiom.organisation.models import RoleAssignment
from aiom.portfolio.models import UseCase
from aiom.portfolio.vocabulary import StageRole

CHUNK = 2000
LABELS = {
    "use_cases": "use cases simulated",
    "tier_changes": "change tier",
    "became_prohibited": "become prohibited",
    "no_longer_prohibited": "are no longer prohibited",
    "became_blocked": "transitions become blocked",
    "became_unblocked": "transitions become unblocked",
    "became_overdue": "pilots become overdue",
    "no_longer_overdue": "pilots are no longer overdue",
    "lost_reviewers": "lose every eligible reviewer for a slot",
    "gained_reviewers": "gain the reviewers they lacked",
    "stage_not_in_draft": "sit in a stage the draft does not define",
}


@dataclass(frozen=True)
class Ref:
    """The use case a difference is about."""

    id: int
    title: str
    org_unit: str
    stage: str


@dataclass(frozen=True)
class TierChange:
    use_case: Ref
    old: str
    new: str
    decided_by: str  # the draft's rule, in words
    override: str | None = None  # a reviewer's override that stays in force under both


@dataclass(frozen=True)
class ProhibitionChange:
    use_case: Ref
    prohibited: bool  # True: becomes prohibited under the draft; False: no longer
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class TransitionChange:
    use_case: Ref
    to_stage: str
    blocked: bool  # True: becomes blocked; False: becomes unblocked
    reasons: tuple[str, ...]  # failing checks under the draft (under the active when unblocked)


@dataclass(frozen=True)
class PilotChange:
    use_case: Ref
    overdue: bool  # True: becomes overdue; False: no longer overdue
    active_deadline: dt.date
    draft_deadline: dt.date


@dataclass(frozen=True)
class RoutingChange:
    use_case: Ref
    tier: str
    routable: bool  # False: loses its reviewers under the draft; True: gains them
    reason: str  # why the path cannot be filled (under the draft, or the active when True)


@dataclass
class Simulation:
    active: ActivePolicy
    draft: Policy
    today: dt.date
    use_cases: int = 0
    elapsed: float = 0.0
    tier_changes: list[TierChange] = field(default_factory=list)
    prohibition_changes: list[ProhibitionChange] = field(default_factory=list)
    transition_changes: list[TransitionChange] = field(default_factory=list)
    pilot_changes: list[PilotChange] = field(default_factory=list)
    routing_changes: list[RoutingChange] = field(default_factory=list)
    stage_not_in_draft: list[Ref] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        def count(items: Iterable[Any], attr: str, value: bool) -> int:
            return sum(1 for i in items if getattr(i, attr) is value)

        return {
            "use_cases": self.use_cases,
            "tier_changes": len(self.tier_changes),
            "became_prohibited": count(self.prohibition_changes, "prohibited", True),
            "no_longer_prohibited": count(self.prohibition_changes, "prohibited", False),
            "became_blocked": count(self.transition_changes, "blocked", True),
            "became_unblocked": count(self.transition_changes, "blocked", False),
            "became_overdue": count(self.pilot_changes, "overdue", True),
            "no_longer_overdue": count(self.pilot_changes, "overdue", False),
            "lost_reviewers": count(self.routing_changes, "routable", False),
            "gained_reviewers": count(self.routing_changes, "routable", True),
            "stage_not_in_draft": len(self.stage_not_in_draft),
        }

    def to_json(self) -> dict[str, Any]:
        """Plain dicts and lists, ordered by use case id (then target stage); dates as ISO."""

        def rows(items: Iterable[Any]) -> list[dict[str, Any]]:
            out = [asdict(i) for i in items]
            for row in out:
                for key, value in row.items():
                    if isinstance(value, dt.date):
                        row[key] = value.isoformat()
                    elif isinstance(value, tuple):
                        row[key] = list(value)
            return sorted(out, key=lambda r: (r["use_case"]["id"], r.get("to_stage", "")))

        return {
            "active": {
                "version": self.active.version,
                "sha256": self.active.sha256,
                "name": self.active.policy.name,
                "structure": self.active.policy.structure,
            },
            "draft": {"name": self.draft.name, "structure": self.draft.structure},
            "today": self.today.isoformat(),
            "elapsed_ms": round(self.elapsed * 1000, 1),
            "summary": self.summary(),
            "tier_changes": rows(self.tier_changes),
            "prohibition_changes": rows(self.prohibition_changes),
            "transition_changes": rows(self.transition_changes),
            "pilot_changes": rows(self.pilot_changes),
            "routing_changes": rows(self.routing_changes),
            "stage_not_in_draft": sorted((asdict(r) for r in self.stage_not_in_draft), key=str),
        }


def simulate(
    draft: Policy,
    *,
    active: ActivePolicy | None = None,
    today: dt.date | None = None,
    use_cases: QuerySet[UseCase] | None = None,
) -> Simulation:
    """Compare the draft with the active policy over every non-terminal use case.

    `use_cases` narrows the portfolio (pass `UseCase.objects.visible_to(user)` so nobody
    learns of use cases they may not see); it must be an unsliced queryset.
    """
    started = time.perf_counter()
    active = active or active_policy()
    sim = Simulation(active=active, draft=draft, today=today or timezone.localdate())
    terminal = [s.key for s in active.policy.stages if s.terminal]
    found = (use_cases if use_cases is not None else UseCase.objects.all()).exclude(
        stage__in=terminal
    )
    found = found.annotate(unit_path=F("org_unit__path"), unit_name=F("org_unit__name"))
    roster = _Roster([active.policy, draft])
    last = 0
    while chunk := list(found.filter(pk__gt=last).order_by("pk")[:CHUNK]):
        last = chunk[-1].pk
        _chunk(sim, chunk, roster)
        sim.use_cases += len(chunk)
    sim.elapsed = time.perf_counter() - started
    return sim


def _chunk(sim: Simulation, chunk: Sequence[UseCase], roster: "_Roster") -> None:
    current, draft = sim.active.policy, sim.draft
    draft_stages = {s.key for s in draft.stages}
    facts = facts_for_many(chunk, sim.today)
    ids = [uc.pk for uc in chunk]
    assessed = {
        uc_id: (answers if isinstance(answers, dict) else {}, tier if justified else None)
        for uc_id, answers, tier, justified in RiskAssessment.objects.filter(
            use_case_id__in=ids, is_current=True
        ).values_list("use_case_id", "answers", "tier", "override_justification")
    }
    piloting = current.stage_with_role(StageRole.PILOT).key  # where use cases are today
    pilots = {uc.pk for uc in chunk if uc.stage == piloting and facts[uc.pk].pilot}
    decided = set(
        PilotPlan.objects.filter(use_case_id__in=pilots)
        .exclude(decision="")
        .values_list("use_case_id", flat=True)
        if pilots
        else ()
    )
    scores: dict[tuple[int, str], Scored] = {}
    same_scoring = (current.questionnaire, current.scoring) == (draft.questionnaire, draft.scoring)
    for uc in chunk:
        ref = Ref(uc.pk, uc.title, uc.unit_name, uc.stage)  # type: ignore[attr-defined]
        if uc.stage not in draft_stages:
            sim.stage_not_in_draft.append(ref)
        f_active = f_draft = facts[uc.pk]
        tiers: tuple[str | None, str | None] = (None, None)
        if uc.pk in assessed:
            answers, override = assessed[uc.pk]
            old = _score(scores, current, answers)
            new = old if same_scoring else _score(scores, draft, answers)
            _compare_scores(sim, ref, old, new, override)
            tiers = (_effective(old, override), _effective(new, override))
            f_active, f_draft = _with(f_active, old, tiers[0]), _with(f_draft, new, tiers[1])
        _compare_gates(sim, ref, f_active, f_draft)
        if uc.pk in pilots and uc.pk not in decided:
            _compare_pilot(sim, ref, facts[uc.pk].pilot)
        if tiers[0] and tiers[1]:
            conflicts = {i for i in (uc.owner_id, uc.sponsor_id, uc.proposed_by_id) if i}
            path = uc.unit_path  # type: ignore[attr-defined]
            before = roster.unfilled(current, tiers[0], path, conflicts)
            after = roster.unfilled(draft, tiers[1], path, conflicts)
            if (before is None) != (after is None):
                reason = after or before or ""
                sim.routing_changes.append(RoutingChange(ref, tiers[1], after is None, reason))


def _score(cache: dict[tuple[int, str], Scored], policy: Policy, answers: Any) -> Scored:
    # Identical answer sets are common (copied questionnaires); score each once per policy.
    key = (id(policy), repr(sorted(answers.items())))
    if key not in cache:
        cache[key] = score(policy, answers)
    return cache[key]


def _effective(scored: Scored, override: str | None) -> str:
    """A reviewer's override stands, except that no override lifts a prohibition."""
    return scored.computed_tier if scored.prohibited or not override else override


def _with(facts: GateFacts, scored: Scored, tier: str) -> GateFacts:
    if facts.assessment is None:
        return facts
    assessment = replace(facts.assessment, tier=tier, prohibited=scored.prohibited)
    return replace(facts, assessment=assessment)


def _compare_scores(
    sim: Simulation, ref: Ref, old: Scored, new: Scored, override: str | None
) -> None:
    if old.computed_tier != new.computed_tier:
        sim.tier_changes.append(
            TierChange(ref, old.computed_tier, new.computed_tier, new.decided_by, override)
        )
    if old.prohibited != new.prohibited:
        reasons = new.prohibited_reasons or old.prohibited_reasons
        sim.prohibition_changes.append(ProhibitionChange(ref, new.prohibited, reasons))


def _compare_gates(sim: Simulation, ref: Ref, f_active: GateFacts, f_draft: GateFacts) -> None:
    current, draft = sim.active.policy, sim.draft
    targets = forward_targets(current, ref.stage)
    targets += [t for t in forward_targets(draft, ref.stage) if t not in targets]
    for target in targets:
        before = gate_report(current, f_active, target)
        after = gate_report(draft, f_draft, target)
        if before.checks_pass != after.checks_pass:
            reasons = after.failures if before.checks_pass else before.failures
            sim.transition_changes.append(
                TransitionChange(ref, target, before.checks_pass, tuple(reasons))
            )


def pilot_deadline(policy: Policy, pilot: PilotFacts) -> dt.date | None:
    """The plan's end date, capped at the policy's longest pilot plus extensions taken."""
    if pilot.ends_on is None or pilot.starts_on is None:
        return pilot.ends_on
    limits = policy.pilot
    days = limits.max_days + min(pilot.extensions, limits.max_extensions) * (
        limits.extension_max_days
    )
    return min(pilot.ends_on, pilot.starts_on + dt.timedelta(days=days))


def _compare_pilot(sim: Simulation, ref: Ref, pilot: PilotFacts | None) -> None:
    if pilot is None:
        return
    before, after = pilot_deadline(sim.active.policy, pilot), pilot_deadline(sim.draft, pilot)
    if before is None or after is None:
        return
    was, now = sim.today > before, sim.today > after
    if was != now:
        sim.pilot_changes.append(PilotChange(ref, now, before, after))


class _Roster:
    """Who holds which approver role where: one query, then cached per (policy, tier, unit)."""

    def __init__(self, policies: list[Policy]) -> None:
        roles = {
            str(a.role)
            for p in policies
            for path in p.approval_paths.values()
            for a in path.approvers
        }
        self.holders: dict[str, list[tuple[int, str | None]]] = {}
        for user_id, role, path in RoleAssignment.objects.filter(
            role__in=roles, user__is_active=True
        ).values_list("user_id", "role", "org_unit__path"):
            self.holders.setdefault(role, []).append((user_id, path))
        self.cache: dict[tuple[int, str, str, str], frozenset[int]] = {}

    def eligible(self, policy: Policy, tier: str, role: str, unit_path: str) -> frozenset[int]:
        key = (id(policy), tier, role, unit_path)
        if key not in self.cache:
            self.cache[key] = frozenset(
                user_id
                for user_id, scope in self.holders.get(role, ())
                if assignment_counts(
                    policy.structure,
                    tier,  # type: ignore[arg-type]
                    scope_path=scope,
                    unit_path=unit_path,
                )
            )
        return self.cache[key]

    def unfilled(
        self, policy: Policy, tier: str, unit_path: str, conflicts: set[int]
    ) -> str | None:
        """Why the tier's approval path cannot be filled for this unit, or None if it can."""
        path = policy.approval_paths.get(tier)  # type: ignore[call-overload]
        if path is None:
            return None
        need = {str(a.role): a.count for a in path.approvers}
        pool = {r: self.eligible(policy, tier, r, unit_path) - conflicts for r in need}
        reason = unfilled(need, pool)
        return None if reason is None else f"{policy.structure}: {reason}"
