"""Dates on the import path: the column's order from the whole file, precision stored,
unknown kept unknown on creation and on re-import, XLSX date and number cells, the report."""

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from aiom.inventory.importer import run_import
from aiom.inventory.mapping import MappingError, load_mapping
from aiom.inventory.report import NOT_MAPPED, Report
from aiom.portfolio.models import UseCase
from tests.inventory.conftest import omb_csv, omb_import, omb_row

pytestmark = pytest.mark.django_db

MAPPING = """
name: reg
external_id: {column: id}
org_units: [{name: org}]
fields:
  title: title
  proposed_on: {column: proposed%s}
  stage_entered_on: since
stage: {column: stage, values: {idea: intake, pilot: pilot}, blank: intake}
"""
HEADER = ["id", "title", "org", "stage", "proposed", "since"]


def registry(extra: str = "") -> Any:
    return load_mapping(MAPPING % extra)


def write_csv(tmp_path: Path, rows: list[dict[str, str]], name: str = "reg.csv") -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=HEADER, lineterminator="\n")
    writer.writeheader()
    for n, row in enumerate(rows, start=1):
        writer.writerow({"id": f"R-{n}", "title": f"Use case {n}", "org": "City", **row})
    path = tmp_path / name
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def run(path: Path, mapping: Any = None, **options: Any) -> Report:
    return run_import(path, actor=None, mapping=mapping or registry(), **options)


def stored(external_id: str) -> tuple[Any, ...]:
    uc = UseCase.objects.get(external_id=f"reg:{external_id}")
    return (uc.proposed_on, uc.proposed_precision, uc.stage_entered_on, uc.stage_entered_precision)


def file_warnings(report: Report) -> list[str]:
    return [p.message for p in report.problems if p.line == 0 and not p.error]


def test_a_value_over_12_settles_the_whole_column_day_first(tmp_path: Path) -> None:
    path = write_csv(tmp_path, [{"proposed": "2/3/2021"}, {"proposed": "13/1/2020"}])
    report = run(path)
    assert report.written, [str(p) for p in report.problems]
    assert stored("R-1")[:2] == (dt.date(2021, 3, 2), "day")
    assert stored("R-2")[:2] == (dt.date(2020, 1, 13), "day")
    assert file_warnings(report) == []


def test_a_value_over_12_in_second_place_settles_it_month_first(tmp_path: Path) -> None:
    path = write_csv(tmp_path, [{"proposed": "2/3/2021 0:00"}, {"proposed": "1/13/2020"}])
    run(path)
    assert stored("R-1")[:2] == (dt.date(2021, 2, 3), "day")


def test_values_that_disagree_are_a_file_warning_and_the_undecided_stay_unknown(
    tmp_path: Path,
) -> None:
    rows = [{"proposed": "2/3/2021"}, {"proposed": "13/1/2020"}, {"proposed": "1/13/2020"}]
    report = run(write_csv(tmp_path, rows))
    assert report.written
    (warning,) = [p for p in report.problems if p.line == 0]
    assert warning.column == "proposed"
    assert "'13/1/2020' is day first, '1/13/2020' month first" in warning.message
    assert "set date_format" in warning.message
    assert stored("R-1")[0] is None  # never guessed
    assert stored("R-2")[0] == dt.date(2020, 1, 13)  # each of these can only be one day
    assert stored("R-3")[0] == dt.date(2020, 1, 13)


def test_a_column_nothing_settles_asks_for_date_format_and_guesses_nothing(
    tmp_path: Path,
) -> None:
    rows = [{"proposed": "2/3/2021"}, {"proposed": "4/5/2022"}, {"proposed": "2022-06-01"}]
    report = run(write_csv(tmp_path, rows))
    (warning,) = file_warnings(report)
    assert warning.startswith("2 dates such as '2/3/2021' could be day/month or month/day")
    assert "set date_format (e.g. %d/%m/%Y) or day_first for proposed_on" in warning
    assert [stored(f"R-{n}")[0] for n in (1, 2, 3)] == [None, None, dt.date(2022, 6, 1)]
    tally = report.date_fields[0]
    assert (tally.readable, tally.unreadable, tally.ambiguous) == (1, 2, 2)


@pytest.mark.parametrize(
    ("extra", "day"),
    [
        (", date_format: '%d/%m/%Y'", dt.date(2021, 3, 2)),
        (", date_format: '%m/%d/%Y'", dt.date(2021, 2, 3)),
        (", day_first: true", dt.date(2021, 3, 2)),
        (", day_first: false", dt.date(2021, 2, 3)),
    ],
)
def test_the_mapping_states_the_order(tmp_path: Path, extra: str, day: dt.date) -> None:
    report = run(write_csv(tmp_path, [{"proposed": "2/3/2021"}]), registry(extra))
    assert file_warnings(report) == []
    assert stored("R-1")[0] == day


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (", date_format: '%d/%m'", "fields.proposed_on.date_format: '%d/%m' has no year"),
        (", date_format: '%Q'", "fields.proposed_on.date_format: '%Q' uses %Q"),
        (", day_first: maybe", "fields.proposed_on.day_first: true or false, not 'maybe'"),
    ],
)
def test_a_bad_date_entry_is_a_mapping_error(extra: str, message: str) -> None:
    with pytest.raises(MappingError) as refused:
        registry(extra)
    assert any(p.startswith(message) for p in refused.value.problems), refused.value.problems


@pytest.mark.parametrize(
    ("text", "day", "precision"),
    [
        ("Q3 2023", dt.date(2023, 7, 1), "quarter"),
        ("maart 2022", dt.date(2022, 3, 1), "month"),
        ("2019", dt.date(2019, 1, 1), "year"),
        ("1er février 2021", dt.date(2021, 2, 1), "day"),
    ],
)
def test_a_partial_date_is_stored_with_its_precision(
    tmp_path: Path, text: str, day: dt.date, precision: str
) -> None:
    run(write_csv(tmp_path, [{"proposed": text, "stage": "pilot"}]))
    assert stored("R-1") == (day, precision, None, "day")


@pytest.mark.parametrize("given", ["proposed", "since"])
def test_in_the_first_stage_entry_and_proposal_are_one_day_elsewhere_unknown(
    tmp_path: Path, given: str
) -> None:
    """The field the mapping does not read is filled in the first stage only."""
    dropped = (
        "stage_entered_on: since" if given == "proposed" else "proposed_on: {column: proposed}"
    )
    mapping = load_mapping((MAPPING % "").replace(dropped, ""))
    rows = [
        {given: "2022-03", "stage": "idea"},  # intake: entered when proposed
        {given: "2022-03", "stage": "pilot"},  # the pilot's start is not the proposal
        {"stage": "idea"},
    ]
    run(write_csv(tmp_path, rows), mapping)
    march = dt.date(2022, 3, 1)
    assert stored("R-1") == (march, "month", march, "month")
    other = stored("R-2")
    assert (other[0] if given == "since" else other[2]) is None
    assert stored("R-3")[0::2] == (None, None)


def test_a_mapped_date_the_file_leaves_blank_is_not_filled(tmp_path: Path) -> None:
    """A blank stage-entry cell stays blank: an export writes the column back as it was."""
    run(write_csv(tmp_path, [{"proposed": "2022-03", "since": "", "stage": "idea"}]))
    assert stored("R-1") == (dt.date(2022, 3, 1), "month", None, "day")


def test_blank_unreadable_placeholder_and_future_dates_are_unknown(tmp_path: Path) -> None:
    rows = [{"proposed": v} for v in ("", "sometime 2020", "N/A", "2099-01-01", "2020-05-05")]
    report = run(write_csv(tmp_path, rows))
    assert report.written
    assert [stored(f"R-{n}")[0] for n in range(1, 6)] == [
        None,
        None,
        None,
        None,
        dt.date(2020, 5, 5),
    ]
    messages = [(p.line, p.message) for p in report.problems if p.column == "proposed"]
    assert messages == [
        (3, "'sometime 2020' is not a date aiom reads (not a date aiom reads): kept unknown"),
        (5, "date 2099-01-01 is in the future: kept unknown"),
    ]
    tally = report.date_fields[0]
    line = next(text for text in report.lines() if text.startswith("date proposed_on"))
    assert line == (
        "date proposed_on (proposed): readable 1 (day 1), unreadable 1 (e.g. line 3 "
        "'sometime 2020'), in the future (kept unknown) 1, none 2"
    )
    assert tally.as_dict()["examples"] == [
        {"line": 3, "text": "sometime 2020", "reason": "not a date aiom reads"}
    ]


def test_a_reimport_of_the_same_file_is_all_unchanged(tmp_path: Path) -> None:
    rows = [
        {"proposed": "Q3 2023", "stage": "pilot"},
        {"proposed": "2022-03", "stage": "idea"},
        {"proposed": "", "stage": "idea"},
        {"proposed": "13/1/2020", "stage": "pilot"},
    ]
    path = write_csv(tmp_path, rows)
    assert run(path).created == 4
    again = run(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)


@pytest.mark.parametrize(
    ("second", "after", "updated"),
    [
        ("", (dt.date(2022, 3, 14), "day"), 0),  # unknown never overwrites a known date
        # (the unreadable text is kept among the source attributes: that is an update)
        ("unreadable", (dt.date(2022, 3, 14), "day"), None),
        ("2022-03", (dt.date(2022, 3, 14), "day"), 0),  # coarser and agreeing: no news
        ("2022", (dt.date(2022, 3, 14), "day"), 0),
        ("2021-06", (dt.date(2021, 6, 1), "month"), 1),  # contradicts: the file's date
        ("2022-03-15", (dt.date(2022, 3, 15), "day"), 1),
    ],
)
def test_a_reimport_changes_a_date_only_for_news(
    tmp_path: Path, second: str, after: tuple[dt.date, str], updated: int | None
) -> None:
    run(write_csv(tmp_path, [{"proposed": "2022-03-14", "stage": "pilot"}], "one.csv"))
    report = run(write_csv(tmp_path, [{"proposed": second, "stage": "pilot"}], "two.csv"))
    assert updated is None or report.updated == updated
    assert stored("R-1")[:2] == after


def test_a_reimport_fills_an_unknown_date_and_its_precision(tmp_path: Path) -> None:
    run(write_csv(tmp_path, [{"proposed": "", "stage": "pilot"}], "one.csv"))
    report = run(write_csv(tmp_path, [{"proposed": "Q2 2021", "stage": "pilot"}], "two.csv"))
    assert report.updated == 1
    assert stored("R-1")[:2] == (dt.date(2021, 4, 1), "quarter")


def _workbook(tmp_path: Path, cells: list[Any], *, epoch_1904: bool = False) -> Path:
    book = Workbook()
    if epoch_1904:
        from openpyxl.utils.datetime import CALENDAR_MAC_1904

        book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for n, cell in enumerate(cells, start=1):
        sheet.append([f"R-{n}", f"Use case {n}", "City", "pilot", cell, None])
    path = tmp_path / "reg.xlsx"
    book.save(path)
    return path


def test_xlsx_date_cells_and_day_numbers_are_dates_text_numbers_are_not(tmp_path: Path) -> None:
    cells = [dt.datetime(2023, 4, 5), dt.date(2022, 1, 2), 45000, 2021, "45000", "5/4/2023"]
    report = run(_workbook(tmp_path, cells))
    assert report.written, [str(p) for p in report.problems]
    assert [stored(f"R-{n}")[:2] for n in range(1, 7)] == [
        (dt.date(2023, 4, 5), "day"),
        (dt.date(2022, 1, 2), "day"),
        (dt.date(2023, 3, 15), "day"),  # Excel's day 45,000
        (dt.date(2021, 1, 1), "year"),  # a year typed as a number
        (None, "day"),  # the same digits as text are no date
        (None, "day"),  # and no value settles 5/4's order
    ]


def test_a_1904_workbook_counts_its_day_numbers_from_1904(tmp_path: Path) -> None:
    run(_workbook(tmp_path, [43466, dt.datetime(2020, 2, 29, 10, 30)], epoch_1904=True))
    assert stored("R-1")[0] == dt.date(2023, 1, 2)
    assert stored("R-2")[0] == dt.date(2020, 2, 29)  # a date cell is a date in either system


@pytest.mark.parametrize(
    ("proposed", "since", "contradiction"),
    [
        ("2022-03", "2022", ""),  # the year of the entry holds the proposal's month
        ("2022-03-14", "Q1 2022", ""),
        ("2022-03-14", "2022-03", ""),
        (
            "2022-03-14",
            "2022-03-13",
            "the stage entry 2022-03-13 is before the proposal 2022-03-14",
        ),
        ("2022-04", "Q1 2022", "the stage entry Q1 2022 is before the proposal 2022-04"),
    ],
)
def test_an_entry_before_the_proposal_is_judged_at_the_entry_precision(
    tmp_path: Path, proposed: str, since: str, contradiction: str
) -> None:
    """A file that contradicts itself keeps its proposal; the entry stays unknown (and the
    service no longer refuses an entry whose period holds the proposal)."""
    path = write_csv(tmp_path, [{"proposed": proposed, "since": since, "stage": "pilot"}])
    report = run(path)
    assert report.written, [str(p) for p in report.problems]
    warnings = [p.message for p in report.problems if p.column == "since"]
    assert warnings == ([f"{contradiction}: entry kept unknown"] if contradiction else [])
    assert (stored("R-1")[2] is None) is bool(contradiction)
    assert report.date_fields[1].contradicted == bool(contradiction)


def test_a_date_read_only_in_some_stages(tmp_path: Path) -> None:
    mapping = load_mapping(
        (MAPPING % "").replace(
            "stage_entered_on: since", "stage_entered_on: {column: since, stages: [pilot]}"
        )
    )
    rows = [
        {"proposed": "2021", "since": "2022-05", "stage": "pilot"},
        {"proposed": "2021", "since": "2022-05", "stage": "idea"},  # not this stage's day
    ]
    report = run(write_csv(tmp_path, rows), mapping)
    assert stored("R-1")[2:] == (dt.date(2022, 5, 1), "month")
    assert stored("R-2")[2] is None  # not read in intake, and mapped: not filled either
    line = report.date_fields[1].line()
    assert line == (
        "stage_entered_on (since): readable 1 (month 1), unreadable 0, none 0, "
        "not read in their stage 1"
    )


def test_stages_must_be_stages() -> None:
    with pytest.raises(MappingError) as refused:
        load_mapping(MAPPING % ", stages: [piloting]")
    assert any(
        p.startswith("fields.proposed_on.stages: a list of stages") for p in refused.value.problems
    )


def test_a_date_field_the_mapping_reads_no_column_for_is_reported_unknown(
    tmp_path: Path,
) -> None:
    """The 2025 OMB preset reads no proposal date (the file gives none): the report says so
    instead of staying silent, and no row gets a made-up day."""
    report = omb_import(omb_csv(tmp_path, [omb_row(id="A-1")]), dry_run=True)
    assert report.dates_not_mapped == ["proposed_on"]
    assert f"date proposed_on: {NOT_MAPPED}" in report.lines()
