"""The dates of the shared real inventories: every value a person reads as a date is read.

The only unreadable values left are the ones that are no date: '10/12023' (a typo: 10/1/2023
or 10/12/2023?) and 'Pre-2021' (a bound, not a day). Counts are of the file's rows.
"""

from typing import Any

import pytest

from aiom.inventory.importer import run_import
from aiom.inventory.mapping import load_preset
from tests.inventory.conftest import real_file

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("preset", "relative", "expected", "unreadable"),
    [
        (
            "omb-2025",
            "us-federal-2025-omb/2025_individually_reported_AI_use_cases.csv",
            {"day": 879, "month": 484, "quarter": 0, "year": 36, "future": 3, "none": 2209},
            [],
        ),
        (
            "us-federal-2024",
            "us-federal-2024/2024_consolidated_ai_inventory_raw_v2.csv",
            {"day": 1189, "month": 29, "quarter": 2, "year": 48, "future": 0, "none": 863},
            ["10/12023", "Pre-2021"],
        ),
        (
            "us-federal-2024",
            "us-federal-2024/2024_consolidated_ai_inventory_raw.csv",
            {"day": 1144, "month": 29, "quarter": 2, "year": 48, "future": 0, "none": 532},
            ["10/12023", "Pre-2021"],
        ),
        (
            "uk-atrs",
            "uk-atrs/atrs_audit.csv",
            {"day": 142, "month": 0, "quarter": 0, "year": 0, "future": 0, "none": 0},
            [],
        ),
    ],
)
def test_a_real_file_s_proposal_dates(
    preset: str, relative: str, expected: dict[str, int], unreadable: list[str]
) -> None:
    report = run_import(real_file(relative), actor=None, mapping=load_preset(preset), dry_run=True)
    tally = report.date_fields[0]
    assert tally.field == "proposed_on"
    summary: dict[str, Any] = tally.as_dict()
    found = {**summary["by_precision"], "future": summary["future"], "none": summary["none"]}
    assert found == expected
    assert [e["text"] for e in summary["examples"]] == unreadable
    assert summary["unreadable"] == len(unreadable)
    assert summary["ambiguous"] == 0  # the presets state their month-first order
    assert tally.readable + tally.unreadable + tally.future + tally.none == report.rows


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        (
            "us-federal-2024/2024_consolidated_ai_inventory_raw_v2.csv",
            {"readable": 481, "contradicted": 11, "unreadable": 0, "none": 411, "other": 1241},
        ),
        (
            "us-federal-2024/2024_consolidated_ai_inventory_raw.csv",
            {"readable": 471, "contradicted": 11, "unreadable": 0, "none": 174, "other": 1112},
        ),
    ],
)
def test_the_2024_files_give_when_a_use_case_in_production_went_into_production(
    relative: str, expected: dict[str, int]
) -> None:
    report = run_import(
        real_file(relative), actor=None, mapping=load_preset("us-federal-2024"), dry_run=True
    )
    tally = report.date_fields[1]
    assert tally.field == "stage_entered_on"
    found = {
        "readable": tally.readable,
        "contradicted": tally.contradicted,
        "unreadable": tally.unreadable,
        "none": tally.none,
        "other": tally.other_stage,
    }
    assert found == expected
    assert tally.readable + tally.unreadable + tally.none + tally.other_stage == report.rows
