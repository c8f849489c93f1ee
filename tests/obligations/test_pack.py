"""The shipped pack validates, cites well-formed ids, and a bad pack names its paths."""

import re
from typing import Any

import pytest
import yaml

from aiom.obligations.pack import PACK_FILES, PackError, load, load_text, parse_pack

# What a real id looks like in each framework (an article, a subcategory, an Annex A control).
ID_SHAPES = {
    "eu-ai-act": re.compile(r"^Art\. \d{1,3}(\(\d{1,2}\))?$"),
    "nist-ai-rmf": re.compile(r"^(GOVERN|MAP|MEASURE|MANAGE) \d\.\d{1,2}$"),
    "iso-42001": re.compile(r"^A\.\d{1,2}(\.\d{1,2}){0,2}$"),
}
COVERED = {
    "transparency_notice",
    "human_final_decision",
    "expert_peer_review",
    "post_deployment_monitoring",
    "impact_assessment",
    "data_governance",
    "technical_documentation",
    "event_logging",
    "accuracy_robustness_testing",
    "incident_reporting",
    "operator_literacy",
    "risk_management_system",
}


def shipped() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(PACK_FILES["default"].read_text(encoding="utf-8"))
    return data


def test_the_shipped_pack_loads_and_covers_the_issue() -> None:
    pack = load("default").pack
    keys = {o.key for o in pack.obligations}
    assert keys >= COVERED
    assert 10 <= len(pack.obligations) <= 14
    assert {f.key for f in pack.frameworks} == set(ID_SHAPES)


def test_every_reference_id_has_its_frameworks_shape() -> None:
    for o in load("default").pack.obligations:
        for ref in o.references:
            assert ID_SHAPES[ref.framework].match(ref.id), (o.key, ref.id)


def test_every_framework_is_cited() -> None:
    cited = {r.framework for o in load("default").pack.obligations for r in o.references}
    assert cited == set(ID_SHAPES)


def test_the_sha_is_the_text_version() -> None:
    text = PACK_FILES["default"].read_text(encoding="utf-8")
    assert load_text(text).sha256 == load_text(text).sha256
    assert load_text(text + "\n# changed\n").sha256 != load_text(text).sha256


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d["obligations"][0].update(key="Bad Key"), "obligations[0].key"),
        (lambda d: d["obligations"][1].update(key=d["obligations"][0]["key"]), "used twice"),
        (lambda d: d["obligations"][0].update(from_stage="launch"), "unknown stage 'launch'"),
        (
            lambda d: d["obligations"][0]["references"][0].update(framework="gdpr"),
            "obligations[0].references[0].framework",
        ),
        (
            lambda d: d["obligations"][0]["applies_when"][0].update(ai_type=["chatbot"]),
            "unknown AI type 'chatbot'",
        ),
        (
            lambda d: d["obligations"][0]["applies_when"][0].update(tier=["minimal"]),
            "obligations[0].applies_when[0].tier[0]",
        ),
        (lambda d: d["obligations"][0].update(colour="red"), "unknown key 'colour'"),
        (lambda d: d["obligations"][0].update(references=[]), "obligations[0].references"),
        (lambda d: d.update(frameworks=d["frameworks"][:1]), "is not in frameworks"),
    ],
)
def test_a_bad_pack_names_the_path(change: Any, problem: str) -> None:
    data = shipped()
    change(data)
    with pytest.raises(PackError) as caught:
        parse_pack(data)
    assert any(problem in p for p in caught.value.problems), caught.value.problems


def test_not_yaml_and_not_a_mapping_are_refused() -> None:
    with pytest.raises(PackError, match="not valid YAML"):
        load_text("obligations: [")
    with pytest.raises(PackError, match="must be a mapping"):
        load_text("- just a list")


def test_an_unknown_pack_name_is_refused() -> None:
    with pytest.raises(PackError, match="no obligations pack named 'eu-only'"):
        load("eu-only")
