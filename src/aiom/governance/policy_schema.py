"""The policy document's schema. Unknown keys are refused, every error names its path.

A policy is the operating model as data: stages and transitions, the gate on each
transition, the risk questionnaire and tiers, approval paths per tier, the operating
structure, SLAs, pilot limits, review cadence and the facts that re-open an assessment.
"""

from typing import Any, Literal

from pydantic import Field, model_validator

from aiom.core.documents import DocumentError, Strict, validate
from aiom.lifecycle.gate_registry import known_check
from aiom.organisation.models import Role

TIERS = ("low", "medium", "high")
Tier = Literal["low", "medium", "high"]


class PolicyError(DocumentError):
    """A policy that does not validate; `problems` are 'path: message' lines."""


class Stage(Strict):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")
    label: str
    sla_days: int | None = Field(None, ge=1, description="Longest a use case should sit here")
    terminal: bool = False


class CheckRef(Strict):
    """`- owner_assigned` or `- {check: problem_described, min_chars: 40}` in YAML."""

    check: str
    params: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = {"check": value}
        if isinstance(value, dict):
            name = known_check(value.get("check"))
            params = {k: v for k, v in value.items() if k not in ("check", "params")}
            return {"check": name, "params": {**value.get("params", {}), **params}}
        return value


class GateOverrideRule(Strict):
    """Which of a gate's failed checks a person may let through, with a reason, and who."""

    checks: list[str] = Field(min_length=1, description="Checks of this gate's `requires`")
    roles: list[Role] = Field(min_length=1, description="Roles that may record the override")


class Gate(Strict):
    requires: list[CheckRef] = Field(default_factory=list)
    approval: bool = Field(False, description="Needs the approvals of the use case's tier")
    reason_required: bool = False
    override: GateOverrideRule | None = None

    @model_validator(mode="after")
    def _override_names_required_checks(self) -> "Gate":
        if self.override is not None:
            names = {c.check for c in self.requires}
            stray = [c for c in self.override.checks if c not in names]
            if stray:
                raise ValueError(
                    f"override.checks: {', '.join(stray)} not among this gate's requires"
                )
        return self


class Answer(Strict):
    key: str
    text: str
    weight: float = Field(0, ge=0)
    prohibited: str | None = Field(None, description="Blocks outright; the text says why")
    high_risk: str | None = Field(None, description="A high-risk area: tier at least high")
    duties: list[str] = Field(default_factory=list)


class Question(Strict):
    key: str
    section: str
    kind: Literal["impact", "mitigation"] = "impact"
    type: Literal["single", "multiple"] = "single"
    text: str
    help: str = ""
    answers: list[Answer] = Field(min_length=1)

    def max_weight(self) -> float:
        weights = [a.weight for a in self.answers]
        return sum(weights) if self.type == "multiple" else max(weights)


class Scoring(Strict):
    thresholds: dict[Literal["medium", "high"], float] = Field(
        description="Fractions of the impact maximum at which each tier starts"
    )
    mitigation_share: float = Field(0.8, gt=0, le=1, description="Mitigation needed to deduct")
    mitigation_deduction: float = Field(0.15, ge=0, lt=1, description="Share of impact deducted")


class Approver(Strict):
    role: Role
    count: int = Field(1, ge=1, le=10)


class ApprovalPath(Strict):
    approvers: list[Approver] = Field(min_length=1)
    sla_days: int = Field(10, ge=1)
    min_people: int = Field(
        1, ge=1, le=20, description="Distinct people who must approve (nobody fills two slots)"
    )

    @model_validator(mode="after")
    def _reachable(self) -> "ApprovalPath":
        slots = sum(a.count for a in self.approvers)
        if self.min_people > slots:
            raise ValueError(
                f"min_people: {self.min_people} people cannot approve when the approvers' "
                f"counts add up to {slots}; raise a count or add an approver"
            )
        return self


class Pilot(Strict):
    max_days: int = Field(ge=1)
    max_extensions: int = Field(ge=0)
    extension_max_days: int = Field(ge=1)


class MaterialChange(Strict):
    fact: Literal["personal_data", "customer_facing", "automated_decisions", "environment"]
    becomes: bool | str
    reason: str


BooleanFact = Literal["personal_data", "customer_facing", "automated_decisions"]


class ConsistencyRule(Strict):
    """A recorded fact value that excludes some answers of one question.

    `{fact: customer_facing, value: true, question: affected, excludes: [staff]}`: a use
    case recorded as customer-facing cannot be assessed as affecting "our staff only".
    """

    fact: BooleanFact
    value: bool
    question: str
    excludes: list[str] = Field(min_length=1)


class Criterion(Strict):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")
    label: str
    kind: Literal["value", "feasibility"]
    weight: float = Field(1, gt=0)
    inverse: bool = Field(False, description="A high score is bad (complexity, effort)")
    help: str = ""


class Prioritisation(Strict):
    criteria: list[Criterion] = Field(min_length=2)
    stages: list[str] = Field(default_factory=lambda: ["intake", "feasibility"])


class DataRules(Strict):
    quality_floor: int = Field(70, ge=0, le=100, description="Lowest acceptable quality score")
    freshness_days: int = Field(180, ge=1, description="Quality must be checked this recently")


class TrainingRequirement(Strict):
    role: Role
    level: Literal["awareness", "practitioner", "leader", "reviewer"]


class LiteracyRules(Strict):
    target: float = Field(0.8, gt=0, le=1, description="Share of people with current training")
    require: list[TrainingRequirement] = Field(default_factory=list)
    high_tier_owner_level: Literal["awareness", "practitioner", "leader"] | None = None


class ChangeRules(Strict):
    """Change management (aiom.change): when a change plan is required and what it holds.

    A gate blocks on a plan only when it names the `change_plan_ready` check;
    `required_for_stages` marks where a ready plan is expected (lists and panels flag it).
    """

    min_groups: int = Field(1, ge=1, le=50, description="Stakeholder groups a ready plan has")
    required_for_stages: list[str] = Field(
        default_factory=list, description="Stages in which a use case should have a ready plan"
    )


class ObligationRules(Strict):
    """Obligations from frameworks (aiom.obligations): which packs apply, what blocks."""

    pack: Literal["default"] = Field("default", description="The obligations pack in force")
    blocking: bool = Field(
        True, description="The obligations_met check fails on open obligations (else warns)"
    )


class MonitoringRules(Strict):
    """Incidents and post-deployment monitoring (aiom.monitoring)."""

    reopen_assessment_from: Literal["low", "medium", "high", "critical"] | None = Field(
        "high", description="An incident this severe or worse re-opens the risk assessment"
    )
    monitoring_required_for_stages: list[str] = Field(default_factory=lambda: ["operational"])
    default_review_days: int = Field(90, ge=1, le=3650, description="Plan review cadence")


class TransparencyRules(Strict):
    """The public transparency register (aiom.transparency): what may be published.

    Confidential use cases are never published, and neither are retired ones: there is
    deliberately no setting for either.
    """

    publishable_stages: list[str] = Field(
        default_factory=lambda: ["operational"],
        min_length=1,
        description="Stages whose use cases may appear on the public register",
    )
    decide_roles: list[Role] = Field(
        default_factory=lambda: [Role.ADMINISTRATOR, Role.COMPLIANCE_REVIEWER],
        min_length=1,
        description="Roles that decide what is published (scoped roles: within their units)",
    )
    contact_email: str = Field(
        "", max_length=254, description="Shown publicly when a decision names no contact"
    )
    organisation: str = Field(
        "", max_length=200, description="The publisher's name (default: the top org unit)"
    )

    @model_validator(mode="after")
    def _never_retired(self) -> "TransparencyRules":
        if "retired" in self.publishable_stages:
            raise ValueError("publishable_stages: retired use cases are never published")
        return self


class AnalyticsRules(Strict):
    """How portfolio figures count the cases a definition leaves open (aiom.value.analytics)."""

    stalled_pilots: Literal["not_scaled", "excluded"] = Field(
        "not_scaled",
        description=(
            "A pilot past its end date without a scale or stop decision: counted among the "
            "decided pilots as not scaled, or left out of the pilots-scaled rate (and said so)"
        ),
    )


class Policy(Strict):
    name: str
    description: str = ""
    structure: Literal["centralized", "federated", "decentralized"]
    stages: list[Stage] = Field(min_length=2)
    transitions: dict[str, list[str]]
    gates: dict[str, Gate] = Field(default_factory=dict)
    questionnaire: list[Question] = Field(min_length=1)
    scoring: Scoring
    approval_paths: dict[Tier, ApprovalPath]
    override_roles: list[Role] = Field(default_factory=list)
    pilot: Pilot
    review_cadence_days: dict[Tier, int]
    material_changes: list[MaterialChange] = Field(default_factory=list)
    consistency: list[ConsistencyRule] = Field(
        default_factory=list, description="Answers that contradict the use case's recorded facts"
    )
    prioritisation: Prioritisation | None = None
    data: DataRules = Field(default_factory=DataRules)
    literacy: LiteracyRules = Field(default_factory=LiteracyRules)
    change: ChangeRules = Field(default_factory=ChangeRules)
    obligations: ObligationRules = Field(default_factory=ObligationRules)
    monitoring: MonitoringRules = Field(default_factory=MonitoringRules)
    transparency: TransparencyRules = Field(default_factory=TransparencyRules)
    analytics: AnalyticsRules = Field(default_factory=AnalyticsRules)

    @model_validator(mode="after")
    def _consistent(self) -> "Policy":
        problems: list[str] = []
        keys = [s.key for s in self.stages]
        if len(set(keys)) != len(keys):
            problems.append("stages: stage keys must be unique")
        for source, targets in self.transitions.items():
            if source not in keys:
                problems.append(f"transitions.{source}: unknown stage '{source}'")
            for i, target in enumerate(targets):
                if target not in keys:
                    problems.append(f"transitions.{source}[{i}]: unknown stage '{target}'")
        defined = {f"{s}_to_{t}" for s, ts in self.transitions.items() for t in ts}
        for gate in self.gates:
            if gate not in defined:
                problems.append(f"gates.{gate}: no such transition (define it under transitions)")
        qkeys = [q.key for q in self.questionnaire]
        if len(set(qkeys)) != len(qkeys):
            problems.append("questionnaire: question keys must be unique")
        for i, q in enumerate(self.questionnaire):
            akeys = [a.key for a in q.answers]
            if len(set(akeys)) != len(akeys):
                problems.append(f"questionnaire[{i}].answers: answer keys must be unique")
        if not any(q.kind == "impact" and q.max_weight() > 0 for q in self.questionnaire):
            problems.append("questionnaire: at least one impact question must carry weight")
        t = self.scoring.thresholds
        if set(t) != {"medium", "high"} or not 0 < t["medium"] < t["high"] <= 1:
            problems.append("scoring.thresholds: need 0 < medium < high <= 1")
        for name, mapping in (
            ("approval_paths", self.approval_paths),
            ("review_cadence_days", self.review_cadence_days),
        ):
            missing = [tier for tier in TIERS if tier not in mapping]
            if missing:
                problems.append(f"{name}: missing tier(s) {', '.join(missing)}")
        for i, rule in enumerate(self.consistency):
            asked = self.question(rule.question)
            if asked is None:
                problems.append(f"consistency[{i}].question: unknown question '{rule.question}'")
                continue
            known = {a.key for a in asked.answers}
            for answer in rule.excludes:
                if answer not in known:
                    problems.append(
                        f"consistency[{i}].excludes: '{answer}' is not an answer of {asked.key}"
                    )
            if known <= set(rule.excludes):
                problems.append(f"consistency[{i}].excludes: it would exclude every answer")
        if self.prioritisation is not None:
            kinds = {c.kind for c in self.prioritisation.criteria}
            if kinds != {"value", "feasibility"}:
                problems.append("prioritisation.criteria: need value and feasibility criteria")
            ckeys = [c.key for c in self.prioritisation.criteria]
            if len(set(ckeys)) != len(ckeys):
                problems.append("prioritisation.criteria: criterion keys must be unique")
            for i, stage in enumerate(self.prioritisation.stages):
                if stage not in keys:
                    problems.append(f"prioritisation.stages[{i}]: unknown stage '{stage}'")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    # Questions the engine asks of a policy.
    def stage(self, key: str) -> Stage | None:
        return next((s for s in self.stages if s.key == key), None)

    def targets(self, source: str) -> list[str]:
        return list(self.transitions.get(source, []))

    def gate(self, source: str, target: str) -> Gate:
        return self.gates.get(f"{source}_to_{target}", Gate())

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questionnaire if q.key == key), None)


def parse_policy(data: Any) -> Policy:
    """A validated Policy, or PolicyError listing every problem with its path."""
    return validate(Policy, data, root="(policy)", error=PolicyError)
