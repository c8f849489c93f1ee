"""Each key of the mapping language for real files, good and bad, with the problem it names."""

from pathlib import Path
from typing import Any

import pytest

from aiom.inventory.duplicates import Policy
from aiom.inventory.mapping import Mapping, MappingError, load_mapping
from aiom.inventory.placeholders import DEFAULT_KEYS
from tests.inventory.small_files import BASE, mapping_text

STAGE = BASE["stage"]


@pytest.mark.parametrize(
    ("changes", "check"),
    [
        ({"duplicates": "first"}, lambda m: m.duplicates == Policy("first")),
        ({"duplicates": "last"}, lambda m: m.duplicates == Policy("last")),
        ({"duplicates": "refuse"}, lambda m: m.duplicates == Policy("refuse")),
        ({}, lambda m: m.duplicates == Policy("refuse")),
        (
            {"duplicates": {"latest_by": "year"}},
            lambda m: m.duplicates == Policy("latest_by", ("year",)),
        ),
        (
            {"duplicates": {"distinct_by": ["unit", "vendor"]}},
            lambda m: m.duplicates == Policy("distinct_by", ("unit", "vendor")),
        ),
        ({"skip_rows": ["blank_title", "identical_duplicate"]}, lambda m: len(m.skip_rows) == 2),
        ({"where": {"year": 2023}}, lambda m: m.row_filter.where == {"year": frozenset({"2023"})}),
        (
            {"where_not": {"status": ["Draft", ""]}},
            lambda m: m.row_filter.where_not == {"status": frozenset({"draft", ""})},
        ),
        ({"placeholders": ["xx"]}, lambda m: m.placeholders == DEFAULT_KEYS | {"xx"}),
        ({"placeholders": {"replace": ["-"]}}, lambda m: m.placeholders == {"-"}),
        ({"placeholders": {"replace": []}}, lambda m: m.placeholders == frozenset()),
        (
            {"placeholders": {"add": ["Leeg"]}},
            lambda m: "leeg" in m.placeholders and "n/a" in m.placeholders,
        ),
        ({"contact": "mail"}, lambda m: m.contact == ["mail"]),
        ({"contact": ["mail", "vendor"]}, lambda m: m.contact == ["mail", "vendor"]),
        ({"owners": {"AI@Agency.gov": "ada"}}, lambda m: m.owners == {"ai@agency.gov": "ada"}),
        (
            {"stage": {**STAGE, "contains": {"pilot": ["pilot", "trial"]}}},
            lambda m: m.stage.match("A Trial run") == ("pilot", "contains"),
        ),
        (
            {"stage": {**STAGE, "regex": {"retired": [r"^(decommission|retir)"]}}},
            lambda m: m.stage.match("Retired in 2022") == ("retired", "regex"),
        ),
        (
            {"stage": {**STAGE, "contains": {"retired": ["außer betrieb"]}}},
            lambda m: m.stage.match("AUSSER BETRIEB seit 2021") == ("retired", "contains"),
        ),
        ({"stage": {"column": "status"}}, lambda m: m.stage.blank is None),
        (
            {"stage": {"blank": "intake"}},
            lambda m: m.stage_column == "" and m.stage.blank == "intake",
        ),
    ],
)
def test_a_good_key_loads(changes: dict[str, Any], check: Any) -> None:
    mapping = load_mapping(mapping_text(**changes))
    assert check(mapping)


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"duplicates": "newest"}, "duplicates: refuse, first, last, {latest_by"),
        ({"duplicates": {"latest_by": ""}}, "duplicates: refuse, first, last"),
        ({"duplicates": {"distinct_by": []}}, "duplicates: refuse, first, last"),
        ({"duplicates": {"latest_by": "year", "first": True}}, "duplicates: refuse"),
        ({"skip_rows": ["unknown_stage"]}, "skip_rows: 'unknown_stage': only blank_title"),
        ({"where": "year"}, "where: an object of column: value"),
        ({"where": {"year": True}}, "where.year: a cell value or a list"),
        ({"where_not": {"status": []}}, "where_not.status: a cell value or a list"),
        ({"placeholders": "N/A"}, "placeholders: a list of values"),
        ({"placeholders": {"replace": "N/A"}}, "placeholders.replace: a list of cell values"),
        ({"placeholders": {"remove": ["x"]}}, "placeholders: a list of values"),
        ({"placeholders": [True]}, "placeholders: True is not a cell value"),
        ({"placeholders": ["x" * 41]}, "must be 1 to 40 characters"),
        ({"owners": ["ada"]}, "owners: an object of"),
        ({"owners": {"AI@x.gov": ""}}, "owners.AI@x.gov: the e-mail address or username"),
        ({"owners_file": "owners.csv"}, "owners_file: only a mapping read from a file"),
        ({"stage": {**STAGE, "contains": ["pilot"]}}, "stage.contains: an object of stage"),
        (
            {"stage": {**STAGE, "contains": {"trial": ["x"]}}},
            "stage.contains.trial: 'trial' is not a stage",
        ),
        (
            {"stage": {**STAGE, "regex": {"pilot": ["(unclosed"]}}},
            "stage.regex.pilot: '(unclosed' is not a regular",
        ),
        ({"stage": {**STAGE, "regex": {"pilot": ["(a+)+$"]}}}, "repeats a group that repeats"),
        ({"stage": {**STAGE, "regex": {"pilot": ["^(a|aa)*$"]}}}, "repeats a group that repeats"),
        ({"stage": {**STAGE, "regex": {"pilot": [r"(\w{2,})+x"]}}}, "repeats a group that repeats"),
        ({"stage": {**STAGE, "regex": {"pilot": ["x" * 201]}}}, "at most 200 characters"),
        ({"stage": {**STAGE, "regex": {"pilot": [" "]}}}, "a blank pattern matches everything"),
        ({"stage": {**STAGE, "blank": "nowhere"}}, "stage.blank: 'nowhere' is not a stage"),
        ({"stage": {**STAGE, "unknown": "later"}}, "stage.unknown: 'error' or a stage key"),
        (
            {"stage": {"values": {"a": "pilot"}}},
            "stage: give the column holding each row's stage, or blank",
        ),
        ({"stage": None}, "stage: give the column"),
    ],
)
def test_a_bad_key_is_a_named_mapping_problem(changes: dict[str, Any], problem: str) -> None:
    with pytest.raises(MappingError) as caught:
        load_mapping(mapping_text(**changes))
    assert any(problem in p for p in caught.value.problems), caught.value.problems


def test_an_owners_file_is_read_beside_the_mapping(tmp_path: Path) -> None:
    (tmp_path / "owners.csv").write_text("name,user\nAI@Agency.gov,ada\nTeam X,bob@example.com\n")
    mapping: Mapping = load_mapping(mapping_text(owners_file="owners.csv"), base=tmp_path)
    assert mapping.owners == {"ai@agency.gov": "ada", "team x": "bob@example.com"}
    (tmp_path / "bad.csv").write_text("name,user\nonly one column\n")
    with pytest.raises(MappingError, match="do not have two columns"):
        load_mapping(mapping_text(owners_file="bad.csv"), base=tmp_path)
    with pytest.raises(MappingError, match=r"cannot read missing\.csv"):
        load_mapping(mapping_text(owners_file="missing.csv"), base=tmp_path)


@pytest.mark.parametrize(
    "name", ["omb-2025", "us-federal-2024", "us-federal-2023", "uk-atrs", "aiom"]
)
def test_every_preset_states_what_a_blank_stage_becomes(name: str) -> None:
    from aiom.inventory.mapping import load_preset

    assert load_preset(name).stage.blank == "intake"
