"""The policy document's schema. Unknown keys are refused, every error names its path.

A policy is the operating model as data: stages (each with its role, see `StageRole`) and
transitions, the gate on each transition, the risk questionnaire and tiers, approval paths
per tier, the operating structure, SLAs, pilot limits, review cadence and the facts that
re-open an assessment. Each app's settings are its own section, registered by the app
(`policy_sections`); the root schema is assembled from them on first use.
"""

import functools
from typing import Any, Literal

from django.apps import apps
from pydantic import Field, create_model, model_validator

from aiom.core.documents import DocumentError, Strict, validate
from aiom.governance import policy_sections
from aiom.governance.policy_sections import StageList
from aiom.lifecycle.gate_registry import known_check
from aiom.organisation.models import Role
from aiom.portfolio.vocabulary import END_ROLES, StageRole

TIERS = ("low", "medium", "high")
Tier = Literal["low", "medium", "high"]


class PolicyError(DocumentError):
    """A policy that does not validate; `problems` are 'path: message' lines."""


class Stage(Strict):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")
    label: str
    sla_days: int | None = Field(None, ge=1, description="Longest a use case should sit here")
    terminal: bool = False
    role: StageRole | None = Field(
        None, description="What the stage means to aiom (default: its key, if a role's name)"
    )

    @model_validator(mode="before")
    @classmethod
    def _role_from_key(cls, value: Any) -> Any:
        """`{key: pilot}` plays the pilot role unless it names another (or `role: null`)."""
        if isinstance(value, dict) and "role" not in value and value.get("key") in StageRole:
            return {**value, "role": value["key"]}
        return value


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
        problems += self._role_problems()
        if not problems:  # stage lists are read against sound stages and roles
            problems += self._resolve_stage_lists()
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def _role_problems(self) -> list[str]:
        """Each role played by exactly one stage, terminal for the end roles only."""
        problems = []
        for role in StageRole:
            playing = [s.key for s in self.stages if s.role == role]
            if not playing:
                problems.append(
                    f"stages: no stage has the role '{role}' (every policy gives each role, "
                    f"{', '.join(StageRole)}, to one stage with `role:`)"
                )
            elif len(playing) > 1:
                problems.append(f"stages: {', '.join(playing)} all have the role '{role}'")
            elif (role in END_ROLES) != self.stage_with_role(role).terminal:
                kind = "a terminal" if role in END_ROLES else "a non-terminal"
                problems.append(f"stages: the '{role}' role needs {kind} stage ({playing[0]})")
        return problems

    def _resolve_stage_lists(self) -> list[str]:
        """Check every section's stage list against the stages; fill the unset ones."""
        problems: list[str] = []
        known = [s.key for s in self.stages]
        for key in policy_sections.assemble():
            rules = getattr(self, key)
            if rules is None:
                continue
            filled: dict[str, list[str]] = {}
            for name, info in type(rules).model_fields.items():
                marker = next((m for m in info.metadata if isinstance(m, StageList)), None)
                if marker is None:
                    continue
                if name not in rules.model_fields_set:
                    filled[name] = marker.default(self)
                    continue
                for i, stage in enumerate(getattr(rules, name)):
                    if stage not in known:
                        problems.append(
                            f"{key}.{name}[{i}]: unknown stage '{stage}' "
                            f"(the policy's stages: {', '.join(known)})"
                        )
                    for role, why in marker.never:
                        if stage == self.stage_with_role(role).key:
                            problems.append(f"{key}.{name}[{i}]: '{stage}': {why}")
            if filled:  # frozen: the section is replaced by its copy with the lists filled
                object.__setattr__(self, key, rules.model_copy(update=filled))
        return problems

    # Questions the engine asks of a policy.
    def stage(self, key: str) -> Stage | None:
        return next((s for s in self.stages if s.key == key), None)

    def stage_with_role(self, role: StageRole) -> Stage:
        """The stage playing `role` (validation makes sure there is exactly one)."""
        return next(s for s in self.stages if s.role == role)

    def stages_with_role(self, *roles: StageRole) -> list[str]:
        """The keys of the stages playing any of `roles`, in the policy's order."""
        return [s.key for s in self.stages if s.role in roles]

    def label(self, key: str) -> str:
        """The stage's label (a key the policy does not define stands for itself)."""
        stage = self.stage(key)
        return stage.label if stage else key

    def default_key(self, key: str) -> str:
        """The stage as the shipped data name it (the obligations pack is written in the
        default vocabulary): the role it plays, else its own key."""
        stage = self.stage(key)
        return stage.role.value if stage and stage.role else key

    @property
    def first_stage(self) -> str:
        """Where a use case starts (intake in the default policy)."""
        return self.stages[0].key

    def live_stages(self) -> list[str]:
        """The non-terminal stages in order: the funnel a use case goes through."""
        return [s.key for s in self.stages if not s.terminal]

    def terminal_stages(self) -> list[str]:
        return [s.key for s in self.stages if s.terminal]

    def pilot_planning_stages(self) -> list[str]:
        """Where a pilot is planned before it starts: the live stages after the first and
        before the pilot stage (feasibility and risk review in the default policy)."""
        live = self.live_stages()
        return live[1 : live.index(self.stage_with_role(StageRole.PILOT).key)]

    def section[S: Strict](self, schema: type[S]) -> S:
        """The policy's section of that schema (its defaults when the document has none)."""
        found = self.optional_section(schema)
        if found is None:
            raise LookupError(f"this policy has no {schema.__name__} section")
        return found

    def optional_section[S: Strict](self, schema: type[S]) -> S | None:
        """An optional section (`register(..., optional=True)`): None when not given."""
        key = _section_keys()[schema]
        value = getattr(self, key)
        assert value is None or isinstance(value, schema)
        return value

    def targets(self, source: str) -> list[str]:
        return list(self.transitions.get(source, []))

    def gate(self, source: str, target: str) -> Gate:
        return self.gates.get(f"{source}_to_{target}", Gate())

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questionnaire if q.key == key), None)


@functools.cache
def root_schema() -> type[Policy]:
    """`Policy` with every registered section as a field: built once, when the first policy
    is validated, which is after every app's ready() (earlier is refused: a section
    missing from the schema would make a valid policy fail)."""
    apps.check_apps_ready()
    fields: dict[str, Any] = {
        key: (s.schema | None, None) if s.optional else (s.schema, Field(default_factory=s.schema))
        for key, s in policy_sections.assemble().items()
    }
    return create_model("Policy", __base__=Policy, **fields)


@functools.cache
def _section_keys() -> dict[type[Strict], str]:
    return {s.schema: key for key, s in policy_sections.assemble().items()}


def parse_policy(data: Any) -> Policy:
    """A validated Policy, or PolicyError listing every problem with its path; an unknown
    top-level key is named with the keys a policy may have."""
    schema = root_schema()
    try:
        return validate(schema, data, root="(policy)", error=PolicyError)
    except PolicyError as exc:
        known = ", ".join(schema.model_fields)
        unknown = "(policy): unknown key "
        raise PolicyError(
            [f"{p}; known: {known}" if p.startswith(unknown) else p for p in exc.problems]
        ) from exc
