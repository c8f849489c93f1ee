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


def test_the_2025_file_dates_only_the_stage_entry_of_pilots_and_deployed_use_cases() -> None:
    """`operational_date` is "when the use case became operational or the pilot's start date"
    (the file's data dictionary): the entry into pilot or operational, never a proposal date,
    which the file does not give (every proposal date stays unknown)."""
    report = run_import(
        real_file("us-federal-2025-omb/2025_individually_reported_AI_use_cases.csv"),
        actor=None,
        mapping=load_preset("omb-2025"),
        dry_run=True,
    )
    (tally,) = report.date_fields
    assert tally.field == "stage_entered_on"
    summary: dict[str, Any] = tally.as_dict()
    found = {**summary["by_precision"], "future": summary["future"], "none": summary["none"]}
    assert found == {"day": 753, "month": 484, "quarter": 0, "year": 21, "future": 1, "none": 221}
    assert (summary["unreadable"], summary["other_stage"]) == (0, 2131)  # pre-deployment, retired
    assert tally.readable + tally.unreadable + tally.future + tally.none + tally.other_stage == (
        report.rows
    )


def test_the_uk_file_gives_no_date_of_a_use_case() -> None:
    """`date_published` is when the transparency record was published: no aiom date."""
    report = run_import(
        real_file("uk-atrs/atrs_audit.csv"),
        actor=None,
        mapping=load_preset("uk-atrs"),
        dry_run=True,
    )
    assert report.date_fields == []
