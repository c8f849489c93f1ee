"""Several rows with one id, exact copies, rows without a title and row filters (`where`)."""

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from aiom.inventory.duplicates import order_key
from aiom.inventory.set_aside import Duplicate
from aiom.portfolio.models import UseCase
from tests.inventory.small_files import row, small_import

pytestmark = pytest.mark.django_db

TWICE = [
    row(id="A", name="Tool", year="2022", vendor="Old"),
    row(id="B", name="Other"),
    row(id="a ", name="Tool", year="2023", vendor="New"),
]


def _titles_vendors() -> set[tuple[str, str]]:
    return set(UseCase.objects.values_list("external_id", "vendor"))


@pytest.mark.parametrize(
    ("policy", "kept_line", "vendor"),
    [("first", 2, "Old"), ("last", 4, "New"), ({"latest_by": "year"}, 4, "New")],
)
def test_a_policy_keeps_one_row_and_sets_the_others_aside(
    tmp_path: Path, policy: Any, kept_line: int, vendor: str
) -> None:
    report = small_import(tmp_path, TWICE, duplicates=policy)
    assert report.written, [str(p) for p in report.problems]
    assert (report.created, report.invalid) == (2, 0)
    (dup,) = report.duplicates
    assert dup == Duplicate(
        "small:A", (2, 4), False, ("id", "vendor", "year"), kept_line, dup.resolution
    )
    (aside,) = report.set_aside
    assert (aside.reason, aside.line) == ("superseded_duplicate", 6 - kept_line)
    assert f"line {kept_line} kept" in aside.detail
    assert UseCase.objects.get(title="Tool").vendor == vendor


def test_latest_by_keeps_the_latest_date_whatever_the_file_order(tmp_path: Path) -> None:
    rows = [
        row(id="A", name="Tool", year="2023-02-01", vendor="Newer"),
        row(id="A", name="Tool", year="2022-12-31", vendor="Older"),
    ]
    report = small_import(tmp_path, rows, duplicates={"latest_by": "year"})
    assert report.duplicates[0].kept_line == 2
    assert UseCase.objects.get().vendor == "Newer"


@pytest.mark.parametrize(
    ("years", "why"),
    [
        (("2022", "soon"), "'soon' at line 3 is not a number or a date"),
        (("2022", ""), "a blank cell at line 3 is not a number or a date"),
        (("2023", "2023"), "lines 2, 3 tie for the latest"),
        (("2023", "2022-01-01"), "the values mix numbers and dates"),
    ],
)
def test_latest_by_refuses_rows_it_cannot_order(
    tmp_path: Path, years: tuple[str, str], why: str
) -> None:
    rows = [row(id="A", name="One", year=years[0]), row(id="A", name="Two", year=years[1])]
    report = small_import(tmp_path, rows, duplicates={"latest_by": "year"})
    assert not report.written
    assert report.invalid == 2
    assert [p.line for p in report.errors] == [2, 3]
    assert all(why in p.message for p in report.errors)
    assert report.duplicates[0].kept_line is None


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("2023", (0, 2023.0)),
        ("1,250.5", (0, 1250.5)),
        ("2023-05-01", (1, dt.datetime(2023, 5, 1))),
        ("2023-05-01T10:00:00+02:00", (1, dt.datetime(2023, 5, 1, 10))),
        ("05/01/2023 0:00", (1, dt.datetime(2023, 5, 1))),
        ("2023/05", (1, dt.datetime(2023, 5, 1))),
        ("soon", None),
        ("", None),
    ],
)
def test_latest_by_reads_numbers_and_dates(text: str, key: Any) -> None:
    assert order_key(text) == key


def test_the_default_refuses_duplicates_and_says_how_the_rows_differ(tmp_path: Path) -> None:
    report = small_import(tmp_path, TWICE)
    assert not report.written
    (error,) = report.errors
    assert error.line == 4
    message = "duplicate external id small:A (first at line 2): the rows differ in id, vendor, year"
    assert message == error.message
    assert report.duplicates[0].resolution == "refused (duplicates: refuse)"


def test_an_exact_copy_is_refused_unless_the_mapping_skips_it(tmp_path: Path) -> None:
    rows = [row(id="A", name="Tool"), row(id="A", name="Tool"), row(id="B", name="Else")]
    refused = small_import(tmp_path, rows)
    assert not refused.written
    assert (
        "an exact copy of that row (skip_rows: [identical_duplicate]" in refused.errors[0].message
    )
    assert refused.duplicates[0].identical
    skipped = small_import(tmp_path, rows, skip_rows=["identical_duplicate"])
    assert skipped.written and skipped.created == 2
    assert [(a.line, a.reason, a.detail) for a in skipped.set_aside] == [
        (3, "identical_duplicate", "a copy of line 2")
    ]
    assert skipped.set_aside_by_reason == {"identical_duplicate": 1}
    assert skipped.duplicates[0].kept_line == 2


def test_rows_that_differ_become_distinct_use_cases(tmp_path: Path) -> None:
    rows = [
        row(id="A", name="Tool", unit="Finance"),
        row(id="A", name="Tool", unit="Legal"),
        row(id="A", name="Tool", unit="Legal"),  # an exact copy of the row before
    ]
    report = small_import(
        tmp_path, rows, duplicates={"distinct_by": ["unit"]}, skip_rows=["identical_duplicate"]
    )
    assert report.written, [str(p) for p in report.problems]
    ids = sorted(UseCase.objects.values_list("external_id", flat=True))
    assert len(ids) == 2 and all(i.startswith("small:A~") for i in ids)
    assert report.set_aside[0].reason == "identical_duplicate"
    again = small_import(
        tmp_path, rows, duplicates={"distinct_by": ["unit"]}, skip_rows=["identical_duplicate"]
    )
    assert (again.created, again.unchanged) == (0, 2)  # the derived ids are stable


def test_distinct_by_refuses_rows_its_columns_do_not_tell_apart(tmp_path: Path) -> None:
    rows = [row(id="A", name="Tool", vendor="X"), row(id="A", name="Tool", vendor="Y")]
    report = small_import(tmp_path, rows, duplicates={"distinct_by": ["unit"]})
    (error,) = report.errors
    assert "duplicate external id small:A (first at line 2): the rows do not differ in unit" in (
        error.message
    )


def test_a_blank_title_refuses_the_file_unless_the_mapping_skips_it(tmp_path: Path) -> None:
    rows = [row(id="A", name="Tool"), row(id="B", name="  ")]
    refused = small_import(tmp_path, rows)
    assert not refused.written and refused.invalid == 1
    skipped = small_import(tmp_path, rows, skip_rows=["blank_title"])
    assert skipped.written and skipped.created == 1 and skipped.invalid == 0
    assert [(a.line, a.reason) for a in skipped.set_aside] == [(3, "blank_title")]


def test_where_and_where_not_filter_rows_and_count_them(tmp_path: Path) -> None:
    rows = [
        row(id="A", name="Tool", year="2022"),
        row(id="A", name="Tool", year="2023", vendor="Kept"),
        row(id="B", name="Draft", year="2023", status="Draft"),
        row(id="C", name="Plain", year=" 2023 "),
    ]
    report = small_import(
        tmp_path, rows, where={"year": [2023, 2024]}, where_not={"status": "draft"}
    )
    assert report.written, [str(p) for p in report.problems]
    assert (report.rows, report.created, report.invalid) == (4, 2, 0)
    assert report.duplicates == []  # the 2022 row never took part
    assert [(a.line, a.reason, a.detail) for a in report.set_aside] == [
        (2, "filtered", "where: year is '2022'"),
        (4, "filtered", "where_not: status is 'Draft'"),
    ]
    assert UseCase.objects.get(external_id="small:A").vendor == "Kept"


def test_a_filter_on_a_column_the_file_lacks_refuses_the_file(tmp_path: Path) -> None:
    report = small_import(tmp_path, [row(id="A", name="Tool")], where={"yaer": 2023})
    (error,) = report.errors
    assert error.line == 0
    assert error.message.startswith("column 'yaer' (where) is not in the file; nearest: year")
