"""A broken policy document is refused with every problem named by its path."""

import copy
from collections.abc import Callable
from typing import Any

import pytest
import yaml

from aiom.core.registry import entries
from aiom.governance.policy.schema import PolicyError
from aiom.governance.policy.versions import DEFAULT_POLICY_PATH, load_text
from aiom.lifecycle.gate_registry import gate_checks

DEFAULT_TEXT = DEFAULT_POLICY_PATH.read_text(encoding="utf-8")
DEFAULT = yaml.safe_load(DEFAULT_TEXT)
KNOWN = ", ".join(sorted(gate_checks()))


def problems_of(text: str) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        load_text(text)
    return caught.value.problems


def changed(mutate: Callable[[dict[str, Any]], object]) -> str:
    data = copy.deepcopy(DEFAULT)
    mutate(data)
    return yaml.safe_dump(data, sort_keys=False)


def test_the_shipped_default_is_valid() -> None:
    policy = load_text(DEFAULT_TEXT)
    assert policy.structure == "federated"


BROKEN: list[tuple[str, Callable[[dict[str, Any]], object], str]] = [
    (
        "unknown top-level key, with the known ones",
        lambda d: d.update(colour="blue"),
        "(policy): unknown key 'colour'; known: name, description, structure, stages, "
        "transitions, gates, questionnaire, scoring, approval_paths, override_roles, pilot, "
        "review_cadence_days, material_changes, consistency, "
        + ", ".join(entries("policy_sections")),
    ),
    (
        "unknown nested key",
        lambda d: d["stages"][0].update(sla=3),
        "stages[0]: unknown key 'sla'",
    ),
    (
        "unknown check at its index",
        lambda d: d["gates"]["pilot_to_scaling"]["requires"].__setitem__(2, "kpi_baselne"),
        f"gates.pilot_to_scaling.requires[2]: unknown check 'kpi_baselne'; known: {KNOWN}",
    ),
    (
        "negative weight",
        lambda d: d["questionnaire"][1]["answers"][0].update(weight=-1),
        "questionnaire[1].answers[0].weight: Input should be greater than or equal to 0",
    ),
]

CONSISTENCY: list[tuple[str, Callable[[dict[str, Any]], object], str]] = [
    (
        "unknown stage in transitions",
        lambda d: d["transitions"]["pilot"].append("limbo"),
        "transitions.pilot[2]: unknown stage 'limbo'",
    ),
    (
        "gate for a transition that does not exist",
        lambda d: d["gates"].update(intake_to_operational={"approval": True}),
        "gates.intake_to_operational: no such transition (define it under transitions)",
    ),
    (
        "thresholds out of order",
        lambda d: d["scoring"].update(thresholds={"medium": 0.6, "high": 0.5}),
        "scoring.thresholds: need 0 < medium < high <= 1",
    ),
    (
        "missing tier in approval paths",
        lambda d: d["approval_paths"].pop("high"),
        "approval_paths: missing tier(s) high",
    ),
]


@pytest.mark.parametrize(("case", "mutate", "message"), BROKEN, ids=[c[0] for c in BROKEN])
def test_broken_document_names_the_path(
    case: str, mutate: Callable[[dict[str, Any]], object], message: str
) -> None:
    assert problems_of(changed(mutate)) == [message]


@pytest.mark.parametrize(
    ("case", "mutate", "message"), CONSISTENCY, ids=[c[0] for c in CONSISTENCY]
)
def test_lone_consistency_problem_names_its_path(
    case: str, mutate: Callable[[dict[str, Any]], object], message: str
) -> None:
    assert problems_of(changed(mutate)) == [message]


def test_several_consistency_problems_are_all_listed_by_path() -> None:
    def mutate(d: dict[str, Any]) -> None:
        d["transitions"]["pilot"].append("limbo")
        d["gates"]["intake_to_operational"] = {"approval": True}
        d["scoring"]["thresholds"] = {"medium": 0.6, "high": 0.5}
        d["approval_paths"].pop("high")

    assert problems_of(changed(mutate)) == [
        "transitions.pilot[2]: unknown stage 'limbo'",
        "gates.intake_to_operational: no such transition (define it under transitions)",
        "scoring.thresholds: need 0 < medium < high <= 1",
        "approval_paths: missing tier(s) high",
    ]


def test_bad_yaml_names_line_and_column() -> None:
    text = DEFAULT_TEXT.replace("structure: federated", "structure: federated: yes")
    assert problems_of(text) == [
        "line 10, column 21: not valid YAML (mapping values are not allowed here)"
    ]


@pytest.mark.parametrize("text", ["- a\n- b\n", "just words\n", "42\n"])
def test_a_document_that_is_not_a_mapping(text: str) -> None:
    assert problems_of(text) == ["(policy): the document must be a mapping of keys to values"]


STAGES = "intake, feasibility, risk_review, pilot, scaling, operational, retired, rejected, stopped"
ROLES = "pilot, scaling, operational, retired, rejected, stopped"


def stage(d: dict[str, Any], key: str) -> dict[str, Any]:
    found: dict[str, Any] = next(s for s in d["stages"] if s["key"] == key)
    return found


ROLE_PROBLEMS: list[tuple[str, Callable[[dict[str, Any]], object], str]] = [
    (
        "a role no stage plays",
        lambda d: stage(d, "pilot").update(role=None),
        f"stages: no stage has the role 'pilot' (every policy gives each role, {ROLES}, to "
        "one stage with `role:`)",
    ),
    (
        "a role two stages play",
        lambda d: stage(d, "risk_review").update(role="scaling"),
        "stages: risk_review, scaling all have the role 'scaling'",
    ),
    (
        "an end role on a live stage",
        lambda d: stage(d, "stopped").update(terminal=False),
        "stages: the 'stopped' role needs a terminal stage (stopped)",
    ),
    (
        "an unknown role",
        lambda d: stage(d, "pilot").update(role="trial"),
        "stages[3].role: Input should be 'pilot', 'scaling', 'operational', 'retired', "
        "'rejected' or 'stopped'",
    ),
    (
        "an unknown stage in a section's stage list",
        lambda d: d["change"].update(required_for_stages=["scaling", "live"]),
        f"change.required_for_stages[1]: unknown stage 'live' (the policy's stages: {STAGES})",
    ),
    (
        "an unknown stage in monitoring",
        lambda d: d.update(monitoring={"monitoring_required_for_stages": ["in_service"]}),
        "monitoring.monitoring_required_for_stages[0]: unknown stage 'in_service' "
        f"(the policy's stages: {STAGES})",
    ),
    (
        "an unknown stage to score in",
        lambda d: d["prioritisation"].update(stages=["intake", "triage"]),
        f"prioritisation.stages[1]: unknown stage 'triage' (the policy's stages: {STAGES})",
    ),
    (
        "the retired stage on the public register",
        lambda d: d.update(transparency={"publishable_stages": ["operational", "retired"]}),
        "transparency.publishable_stages[1]: 'retired': retired use cases are never published",
    ),
]


@pytest.mark.parametrize(
    ("case", "mutate", "message"), ROLE_PROBLEMS, ids=[c[0] for c in ROLE_PROBLEMS]
)
def test_stage_roles_and_stage_lists_are_checked(
    case: str, mutate: Callable[[dict[str, Any]], object], message: str
) -> None:
    assert problems_of(changed(mutate)) == [message]


def test_a_stage_keyed_like_a_role_plays_it_and_unset_lists_follow_the_roles() -> None:
    """Policies written before roles keep their meaning; a section's stage list that the
    policy leaves unset is the schema's default, read from the roles."""
    from aiom.monitoring.policy import MonitoringRules
    from aiom.portfolio.vocabulary import StageRole
    from aiom.transparency.policy import TransparencyRules
    from aiom.value.policy import Prioritisation

    def mutate(d: dict[str, Any]) -> None:
        for s in d["stages"]:
            s.pop("role", None)
            if s["key"] == "operational":
                s.update(key="in_service", role="operational")
        d["transitions"] = {
            "in_service" if k == "operational" else k: [
                "in_service" if t == "operational" else t for t in ts
            ]
            for k, ts in d["transitions"].items()
        }
        d["gates"] = {k: v for k, v in d["gates"].items() if "operational" not in k}
        d["change"].pop("required_for_stages")
        del d["prioritisation"]["stages"]

    policy = load_text(changed(mutate))
    assert policy.stage_with_role(StageRole.PILOT).key == "pilot"
    assert policy.stage_with_role(StageRole.OPERATIONAL).key == "in_service"
    assert policy.section(MonitoringRules).monitoring_required_for_stages == ["in_service"]
    assert policy.section(TransparencyRules).publishable_stages == ["in_service"]
    prioritisation = policy.optional_section(Prioritisation)
    assert prioritisation is not None and prioritisation.stages == ["intake", "feasibility"]
    assert policy.pilot_planning_stages() == ["feasibility", "risk_review"]
