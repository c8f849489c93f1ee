"""Stages from free text: values, keywords, patterns; a blank stage only as the mapping says."""

from pathlib import Path

import pytest

from aiom.inventory.mapping import load_mapping
from aiom.inventory.stage_rules import StageValue
from aiom.portfolio.models import UseCase
from tests.inventory.small_files import BASE, mapping_text, row, small_import

pytestmark = pytest.mark.django_db

FREE_TEXT = {
    "column": "status",
    "values": {"live": "operational"},
    "contains": {"retired": ["decommission", "retired"], "pilot": ["pilot", "proef"]},
    "regex": {
        "feasibility": [r"\bpo[ck]\b", r"proof[- ]of[- ]concept"],
        "operational": [r"^in (use|production)"],
    },
    "blank": "intake",
}


@pytest.mark.parametrize(
    ("text", "stage", "how"),
    [
        ("LIVE", "operational", "values"),
        ("  live ", "operational", "values"),
        ("Pilot phase since 2021", "pilot", "contains"),
        ("In proefperiode", "pilot", "contains"),  # a keyword starts a word
        ("Autopilot", None, ""),  # ... it does not end one
        ("Pilot, to be decommissioned", "retired", "contains"),  # first stage listed wins
        ("POC finished", "feasibility", "regex"),
        ("Proof of concept", "feasibility", "regex"),
        ("In production: more than 1 year", "operational", "regex"),
        ("Production", None, ""),
    ],
)
def test_a_stage_rule_matches_values_keywords_and_patterns(
    text: str, stage: str | None, how: str
) -> None:
    rules = load_mapping(mapping_text(stage=FREE_TEXT)).stage
    assert rules.match(text) == (stage, how)


def test_the_report_lists_each_stage_text_with_what_it_became(tmp_path: Path) -> None:
    rows = [
        row(id="1", name="a", status="Pilot phase"),
        row(id="2", name="b", status="pilot  PHASE"),
        row(id="3", name="c", status="live"),
        row(id="4", name="d", status=""),
        row(id="5", name="e", status="N/A"),  # a placeholder: blank
        row(id="6", name="f", status="Sideways"),
    ]
    report = small_import(tmp_path, rows, stage=FREE_TEXT)
    assert report.stage_values == [
        StageValue("Pilot phase", 2, "pilot", "contains"),
        StageValue("", 1, "intake", "blank"),
        StageValue("live", 1, "operational", "values"),
        StageValue("N/A", 1, "intake", "blank"),  # shown as written, counted as blank
        StageValue("Sideways", 1, None, ""),
    ]
    text = "\n".join(report.lines())
    assert "  Pilot phase: 2 -> Pilot (contains)" in text
    assert "  Sideways: 1 -> not mapped" in text
    (error,) = report.errors
    assert (error.line, error.message) == (7, "unknown stage 'Sideways' (not mapped)")


def test_without_blank_a_blank_stage_is_a_row_problem_naming_the_column(tmp_path: Path) -> None:
    stage = {k: v for k, v in BASE["stage"].items() if k != "blank"}
    rows = [row(id="1", name="a"), row(id="2", name="b", status=" ")]
    report = small_import(tmp_path, rows, stage=stage)
    assert not report.written
    (error,) = report.errors
    assert (error.line, error.column) == (3, "status")
    assert "blank stage in column 'status'" in error.message
    assert "stage.blank" in error.message
    assert StageValue("", 1, None, "") in report.stage_values


def test_unknown_may_name_a_stage_and_warns(tmp_path: Path) -> None:
    stage = {**BASE["stage"], "unknown": "feasibility"}
    report = small_import(tmp_path, [row(id="1", name="a", status="Odd")], stage=stage)
    assert report.written
    assert UseCase.objects.get().stage == "feasibility"
    assert report.warnings[0].message == "unknown stage 'Odd' imported as feasibility"
    assert report.stage_values == [StageValue("Odd", 1, "feasibility", "unknown")]


def test_an_explicit_value_wins_over_a_placeholder(tmp_path: Path) -> None:
    stage = {**BASE["stage"], "values": {"n/a": "retired"}}
    report = small_import(tmp_path, [row(id="1", name="a", status="N/A")], stage=stage)
    assert report.stage_values == [StageValue("N/A", 1, "retired", "values")]


def test_a_stage_pattern_reads_only_the_start_of_a_very_long_cell(tmp_path: Path) -> None:
    stage = {**FREE_TEXT, "regex": {"retired": ["end$"]}}
    long_text = "x" * 5000 + " end"
    report = small_import(tmp_path, [row(id="1", name="a", status=long_text)], stage=stage)
    assert "unknown stage 'xxxx" in report.errors[0].message
