"""A mapped column the file lacks: one file-level problem naming it and the nearest headers."""

from pathlib import Path
from typing import Any

import pytest

from aiom.inventory.missing_columns import nearest
from tests.inventory.small_files import BASE, row, small_import

pytestmark = pytest.mark.django_db
ROWS = [row(id=str(n), name=f"Use case {n}") for n in range(1, 30)]


def test_a_misspelt_title_column_is_one_problem_not_one_per_row(tmp_path: Path) -> None:
    report = small_import(tmp_path, ROWS, fields={"title": "nmae"})
    assert not report.written
    (error,) = report.errors
    assert (error.line, error.column) == (0, "nmae")
    assert error.message == "column 'nmae' (fields.title) is not in the file; nearest: name, mail"
    assert report.invalid == report.rows == 29  # nothing imported, no row-by-row noise


@pytest.mark.parametrize(
    ("changes", "column", "keys"),
    [
        ({"stage": {**BASE["stage"], "column": "stat"}}, "stat", "stage.column"),
        ({"external_id": {"column": "ident"}}, "ident", "external_id.column"),
        ({"org_units": [{"name": "unti"}]}, "unti", "org_units"),
        ({"required": ["year", "yaer"]}, "yaer", "required"),
    ],
)
def test_a_needed_column_missing_refuses_the_file(
    tmp_path: Path, changes: dict[str, Any], column: str, keys: str
) -> None:
    report = small_import(tmp_path, ROWS, **changes)
    (error,) = report.errors
    assert (error.line, error.column) == (0, column)
    assert error.message.startswith(f"column '{column}' ({keys}) is not in the file; nearest: ")
    assert not report.written


def test_an_optional_column_missing_is_one_warning(tmp_path: Path) -> None:
    fields = {"title": "name", "vendor": "vendor", "description": "summary"}
    report = small_import(
        tmp_path, ROWS, fields=fields, external_id={"column": "id", "fallback": ["idx"]}
    )
    assert report.written and report.created == 29
    blank = "left blank on every row"
    assert [(w.line, w.column, w.message) for w in report.warnings] == [
        (0, "idx", f"column 'idx' (external_id.fallback) is not in the file; nearest: id: {blank}"),
        (
            0,
            "summary",
            "column 'summary' (fields.description) is not in the file; "
            f"no header of the file is close: {blank}",
        ),
    ]


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        ("use_case_nme", "nearest: use_case_name, use_case_id"),
        ("Use Case Name", "nearest: use_case_name, use_case_id"),
        ("zzz", "no header of the file is close"),
    ],
)
def test_nearest_headers(column: str, expected: str) -> None:
    headers = ["use_case_name", "use_case_id", "agency", "development_stage"]
    assert nearest(column, headers) == expected
