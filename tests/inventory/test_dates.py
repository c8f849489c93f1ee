"""inventory/dates.py: one cell to (first day of its period, precision), or why not."""

import datetime as dt

import pytest

from aiom.core.partial_dates import Precision
from aiom.inventory.date_specs import DateSpec, date_spec, format_problem
from aiom.inventory.date_tally import FieldTally
from aiom.inventory.dates import (
    NO_HINTS,
    Future,
    Hints,
    Order,
    Reading,
    Unreadable,
    evidence,
    parse,
    replaces,
    settle,
)

TODAY = dt.date(2026, 12, 7)
GIVE = "give the quarter or month"
D, M, Q, Y = Precision.DAY, Precision.MONTH, Precision.QUARTER, Precision.YEAR
DAY_FIRST = Hints(order=Order.DAY_FIRST)
MONTH_FIRST = Hints(order=Order.MONTH_FIRST)


def read(text: str, hints: Hints = NO_HINTS) -> Reading | Unreadable | Future | None:
    return parse(text, hints, today=TODAY)


@pytest.mark.parametrize(
    ("text", "day", "precision"),
    [
        # ISO dates and timestamps: fractions, zones, a space or a T; the date as written
        ("2023-04-05", dt.date(2023, 4, 5), D),
        ("2023-04-05T10:11:12.123456+02:00", dt.date(2023, 4, 5), D),
        ("2023-04-05T23:30:00-05:00", dt.date(2023, 4, 5), D),
        ("2023-04-05T10:11:12Z", dt.date(2023, 4, 5), D),
        ("2023-04-05 10:11:12.5", dt.date(2023, 4, 5), D),
        ("2025-01-01 00:00:00", dt.date(2025, 1, 1), D),
        ("2023-4-5", dt.date(2023, 4, 5), D),
        ("2023/04/05", dt.date(2023, 4, 5), D),
        ("20230405", dt.date(2023, 4, 5), D),
        ("  2023-04-05\n", dt.date(2023, 4, 5), D),
        # numeric dates that settle their own order (a part over 12 is the day)
        ("13/1/2019", dt.date(2019, 1, 13), D),
        ("1/13/2019", dt.date(2019, 1, 13), D),
        ("09/24/2024 12:00:00 AM", dt.date(2024, 9, 24), D),
        ("9/24/2024 0:00", dt.date(2024, 9, 24), D),
        ("1/1/2020", dt.date(2020, 1, 1), D),  # both orders give the same day
        ("15.03.2022", dt.date(2022, 3, 15), D),
        ("01.03.2022", dt.date(2022, 3, 1), D),  # dotted: day first wherever it is written
        ("13/1/19", dt.date(2019, 1, 13), D),
        # months, quarters, years
        ("2019/11", dt.date(2019, 11, 1), M),
        ("2019-11", dt.date(2019, 11, 1), M),
        ("03-2022", dt.date(2022, 3, 1), M),
        ("03/2022", dt.date(2022, 3, 1), M),
        ("3/2022", dt.date(2022, 3, 1), M),
        ("2022", dt.date(2022, 1, 1), Y),
        ("Q3 2023", dt.date(2023, 7, 1), Q),
        ("q3-2023", dt.date(2023, 7, 1), Q),
        ("2023 Q3", dt.date(2023, 7, 1), Q),
        ("2023-Q3", dt.date(2023, 7, 1), Q),
        ("2023Q4", dt.date(2023, 10, 1), Q),
        ("Q1 2024", dt.date(2024, 1, 1), Q),
        ("3rd quarter 2023", dt.date(2023, 7, 1), Q),
        ("3e kwartaal 2023", dt.date(2023, 7, 1), Q),
        ("K3 2023", dt.date(2023, 7, 1), Q),
        ("T3 2023", dt.date(2023, 7, 1), Q),
        ("3. Quartal 2023", dt.date(2023, 7, 1), Q),
        ("2e trimestre 2023", dt.date(2023, 4, 1), Q),
        # English month names, full and abbreviated, with and without a day
        ("March 2022", dt.date(2022, 3, 1), M),
        ("Mar 2022", dt.date(2022, 3, 1), M),
        ("Sept. 2021", dt.date(2021, 9, 1), M),
        ("15 March 2022", dt.date(2022, 3, 15), D),
        ("March 15, 2022", dt.date(2022, 3, 15), D),
        ("March 15th, 2022", dt.date(2022, 3, 15), D),
        ("1st of March 2022", dt.date(2022, 3, 1), D),
        ("Monday, 15 March 2022", dt.date(2022, 3, 15), D),
        ("15-Mar-2022", dt.date(2022, 3, 15), D),
        ("15-Mar-22", dt.date(2022, 3, 15), D),
        ("2022 March 15", dt.date(2022, 3, 15), D),
        ("DECEMBER 2021", dt.date(2021, 12, 1), M),
        # Excel's month displays: Mar-22 is March 2022; 24-Nov is "Nov-24" typed, November 2024
        ("Mar-22", dt.date(2022, 3, 1), M),
        ("Jul-25", dt.date(2025, 7, 1), M),
        ("24-Nov", dt.date(2024, 11, 1), M),
        ("18-Feb", dt.date(2018, 2, 1), M),
        # Dutch
        ("maart 2022", dt.date(2022, 3, 1), M),
        ("1 mrt. 2022", dt.date(2022, 3, 1), D),
        ("15 oktober 2021", dt.date(2021, 10, 15), D),
        ("mei 2020", dt.date(2020, 5, 1), M),
        ("woensdag 3 januari 2024", dt.date(2024, 1, 3), D),
        # French: accents, "1er", abbreviations with a dot
        ("mars 2022", dt.date(2022, 3, 1), M),
        ("1er février 2021", dt.date(2021, 2, 1), D),
        ("févr. 2021", dt.date(2021, 2, 1), M),
        ("fevrier 2021", dt.date(2021, 2, 1), M),
        ("15 août 2020", dt.date(2020, 8, 15), D),
        ("déc. 2019", dt.date(2019, 12, 1), M),
        # German
        ("März 2022", dt.date(2022, 3, 1), M),
        ("1. März 2022", dt.date(2022, 3, 1), D),
        ("Maerz 2022", dt.date(2022, 3, 1), M),
        ("3. Dezember 2020", dt.date(2020, 12, 3), D),
        ("Jänner 2023", dt.date(2023, 1, 1), M),
        # Spanish and Italian
        ("15 de marzo de 2022", dt.date(2022, 3, 15), D),
        ("enero 2023", dt.date(2023, 1, 1), M),
        ("diciembre de 2020", dt.date(2020, 12, 1), M),
        ("settembre 2022", dt.date(2022, 9, 1), M),
        # a date followed by a note, as people type them
        ("2022-11-16 (first formal action related to this project)", dt.date(2022, 11, 16), D),
        ("2022-08 (estimated)", dt.date(2022, 8, 1), M),
        ("2022-09-13 Technical kickoff (no new acquisition)", dt.date(2022, 9, 13), D),
        ("2024-02-15 (contract kick-off); 2024-08-23 (signed plan)", dt.date(2024, 2, 15), D),
        # a year typed into a date cell: Excel keeps 2024 as day 2024 (1905-07-16)
        ("7/16/1905", dt.date(2024, 1, 1), Y),
        ("1905-07-07", dt.date(2015, 1, 1), Y),
    ],
)
def test_each_form_reads_as_the_first_day_of_its_period(
    text: str, day: dt.date, precision: Precision
) -> None:
    assert read(text) == Reading(day, precision)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("sometime 2020", "not a date aiom reads"),
        ("Pre-2021", "not a date aiom reads"),
        ("2015-2022", "not a date aiom reads"),
        ("10/12023", "not a date aiom reads"),
        ("Ongoing", "not a date aiom reads"),
        ("N/A", "not a date aiom reads"),
        ("March", "not a date aiom reads"),
        ("15 March", "a day and month without a year"),
        ("Mar 22", "a day and month without a year"),
        ("March and April 2022", "not a date aiom reads"),
        ("30/2/2022", "no such day or month"),
        ("2022-13", "no such day or month"),
        ("2022-02-30", "no such day or month"),
        ("Q5 2023", "not a date aiom reads"),
        ("13/13/2020", "neither the first nor the second number is a month"),
        ("1899", "the year 1899 is before 1950 (a typo?)"),
        ("1/1/1905", "the year 1905 is before 1950 (a typo?)"),
        ("1949-12-31", "the year 1949 is before 1950 (a typo?)"),
        ("Q4FY25", "a fiscal-year date: set fiscal_year_start for this field in the mapping"),
        ("<script>2022</script>", "not a date aiom reads"),
        ("2022" * 40, "not a date aiom reads"),
        ("(" * 20_000 + "2022", "20,004 characters: a text, not a date"),
        ("2022-01-01 " + "x" * 190, "201 characters: a text, not a date"),
    ],
)
def test_garbage_is_unreadable_with_a_reason(text: str, reason: str) -> None:
    assert read(text) == Unreadable(reason)


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_a_blank_cell_is_no_date_at_all(text: str) -> None:
    assert read(text) is None


@pytest.mark.parametrize(
    ("text", "future"),
    [
        ("2027-01-01", Reading(dt.date(2027, 1, 1), D)),
        ("2030", Reading(dt.date(2030, 1, 1), Y)),
        ("2027-01", Reading(dt.date(2027, 1, 1), M)),
        ("Q1 2027", Reading(dt.date(2027, 1, 1), Q)),
    ],
)
def test_a_future_date_is_flagged_not_read(text: str, future: Reading) -> None:
    assert read(text) == Future(future)


@pytest.mark.parametrize(
    ("text", "today_in"),
    [("2026-12", M), ("Q4 2026", Q), ("2026", Y), ("2026-12-07", D)],
)
def test_a_period_holding_today_is_not_in_the_future(text: str, today_in: Precision) -> None:
    result = read(text)
    assert isinstance(result, Reading)
    assert result.precision == today_in


@pytest.mark.parametrize(
    ("text", "hints", "expected"),
    [
        ("9/1/2019", Hints(), Unreadable("day/month order unknown", ambiguous=True)),
        ("9/1/2019 0:00", Hints(), Unreadable("day/month order unknown", ambiguous=True)),
        ("03-04-2022", Hints(), Unreadable("day/month order unknown", ambiguous=True)),
        ("9/1/2019", DAY_FIRST, Reading(dt.date(2019, 1, 9), D)),
        ("9/1/2019", MONTH_FIRST, Reading(dt.date(2019, 9, 1), D)),
        ("9/1/2019 0:00", MONTH_FIRST, Reading(dt.date(2019, 9, 1), D)),
        ("13/1/2019", MONTH_FIRST, Unreadable("13 is not a month (the column is month first)")),
        ("1/13/2019", DAY_FIRST, Unreadable("13 is not a month (the column is day first)")),
        ("01.03.2022", MONTH_FIRST, Reading(dt.date(2022, 1, 3), D)),
        ("2022-03-01", DAY_FIRST, Reading(dt.date(2022, 3, 1), D)),  # ISO is never swapped
    ],
)
def test_the_column_order_settles_what_the_value_cannot(
    text: str, hints: Hints, expected: Reading | Unreadable
) -> None:
    assert read(text, hints) == expected


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        ("05/04/2023", "%d/%m/%Y", Reading(dt.date(2023, 4, 5), D)),
        ("05/04/2023", "%m/%d/%Y", Reading(dt.date(2023, 5, 4), D)),
        ("04/2023", "%m/%Y", Reading(dt.date(2023, 4, 1), M)),
        ("2023", "%Y", Reading(dt.date(2023, 1, 1), Y)),
        ("5 Apr 23", "%d %b %y", Reading(dt.date(2023, 4, 5), D)),
        # other values fall back to the general reader, in the format's order
        ("2023-04-05", "%d/%m/%Y", Reading(dt.date(2023, 4, 5), D)),
        ("05.04.2023 10:00", "%m/%d/%Y", Reading(dt.date(2023, 5, 4), D)),
        ("5-4-2023", "%d/%m/%Y", Reading(dt.date(2023, 4, 5), D)),
        ("nonsense", "%d/%m/%Y", Unreadable("not a date aiom reads")),
    ],
)
def test_a_mapping_format_reads_its_column(
    text: str, fmt: str, expected: Reading | Unreadable
) -> None:
    assert read(text, Hints(date_format=fmt)) == expected


@pytest.mark.parametrize(
    ("text", "epoch_1904", "expected"),
    [
        ("45000", False, Reading(dt.date(2023, 3, 15), D)),
        ("45000.75", False, Reading(dt.date(2023, 3, 15), D)),  # a time of day is dropped
        ("43466", False, Reading(dt.date(2019, 1, 1), D)),
        ("43466", True, Reading(dt.date(2023, 1, 2), D)),  # the 1904 system: 1,462 days later
        ("2021", False, Reading(dt.date(2021, 1, 1), Y)),  # a year typed as a number
        ("2021", True, Reading(dt.date(2021, 1, 1), Y)),
        ("18000", False, Unreadable("the year 1949 is before 1950 (a typo?)")),
        ("0", False, Unreadable("0 is not a day number Excel uses")),
        ("-5", False, Unreadable("-5 is not a day number Excel uses")),
        ("99999999", False, Unreadable("99999999 is not a day number Excel uses")),
        ("46500", False, Future(Reading(dt.date(2027, 4, 23), D))),
        ("2023-04-05", False, Reading(dt.date(2023, 4, 5), D)),  # text in a number's place
    ],
)
def test_excel_serials_only_for_numeric_workbook_cells(
    text: str, epoch_1904: bool, expected: Reading | Unreadable | Future
) -> None:
    assert read(text, Hints(excel_serial=True, epoch_1904=epoch_1904)) == expected


def test_a_number_in_a_text_cell_is_no_serial() -> None:
    assert read("45000") == Unreadable("not a date aiom reads")


@pytest.mark.parametrize(
    ("text", "start", "expected"),
    [
        ("Q4FY25", 10, Reading(dt.date(2025, 7, 1), Q)),  # US federal: FY25 ran Oct 2024-Sep 2025
        ("Q1 FY25", 10, Reading(dt.date(2024, 10, 1), Q)),
        ("FY2025 Q2", 10, Reading(dt.date(2025, 1, 1), Q)),
        ("Q1 FY2024", 4, Reading(dt.date(2023, 4, 1), Q)),  # UK: FY2024 from April 2023
        ("Q1 FY25", 1, Reading(dt.date(2025, 1, 1), Q)),
        ("FY25", 1, Reading(dt.date(2025, 1, 1), Y)),
        (
            "FY25",
            10,
            Unreadable("a fiscal year spans two calendar years (give the quarter or month)"),
        ),
        ("Q1 FY25", 2, Unreadable("a fiscal quarter that is no calendar quarter")),
        ("Scheduled for FY2025", 10, Unreadable("not a date aiom reads")),
    ],
)
def test_fiscal_dates_need_the_fiscal_year_start(
    text: str, start: int, expected: Reading | Unreadable
) -> None:
    assert read(text, Hints(fiscal_year_start=start)) == expected


@pytest.mark.parametrize(
    ("values", "order", "day_example", "month_example"),
    [
        (["13/1/2020", "1/2/2020", ""], Order.DAY_FIRST, "13/1/2020", ""),
        (["1/13/2020", "1/2/2020"], Order.MONTH_FIRST, "", "1/13/2020"),
        (
            ["09/24/2024 12:00:00 AM", "9/1/2019 0:00"],
            Order.MONTH_FIRST,
            "",
            "09/24/2024 12:00:00 AM",
        ),
        (["31.12.2020", "1.2.2020"], Order.DAY_FIRST, "31.12.2020", ""),
        (["13/1/2020", "1/13/2020"], None, "13/1/2020", "1/13/2020"),
        (["1/2/2020", "3/4/2021"], None, "", ""),
        (["2020-01-13", "March 2020", "Q1 2020", "13-2020"], None, "", ""),
        ([], None, "", ""),
    ],
)
def test_settle_takes_the_order_every_deciding_value_agrees_on(
    values: list[str], order: Order | None, day_example: str, month_example: str
) -> None:
    settled = settle(values)
    assert (settled.order, settled.day_first_example, settled.month_first_example) == (
        order,
        day_example,
        month_example,
    )
    assert settled.conflict == bool(day_example and month_example)


@pytest.mark.parametrize(
    ("text", "order"),
    [
        ("25/12/2020", Order.DAY_FIRST),
        ("12/25/2020 10:00", Order.MONTH_FIRST),
        ("12/12/2020", None),
        ("1/2/2020", None),
        ("2020-12-25", None),
        ("Dec 25, 2020", None),
    ],
)
def test_evidence_is_a_part_that_cannot_be_a_month(text: str, order: Order | None) -> None:
    assert evidence(text) == order


@pytest.mark.parametrize(
    ("fmt", "problem"),
    [
        ("%d/%m/%Y", ""),
        ("%Y-%m", ""),
        ("%d %B %y", ""),
        ("%m/%d/%Y %I:%M:%S %p", ""),
        ("%d/%m", "'%d/%m' has no year (%Y or %y)"),
        ("%q/%Y", "'%q/%Y' uses %q, not a date directive (e.g. %d/%m/%Y)"),
        ("%Y%", "'%Y%' ends with a lone %"),
        ("dd/mm/yyyy", "'dd/mm/yyyy' has no year (%Y or %y)"),
    ],
)
def test_a_date_format_is_checked(fmt: str, problem: str) -> None:
    assert format_problem(fmt) == problem


@pytest.mark.parametrize(
    ("spec", "expected", "problems"),
    [
        ({"date_format": "%d/%m/%Y"}, DateSpec("%d/%m/%Y"), []),
        ({"day_first": True}, DateSpec(day_first=True), []),
        ({"day_first": False, "fiscal_year_start": 10}, DateSpec("", False, 10), []),
        (
            {"day_first": "yes"},
            DateSpec(),
            ["fields.proposed_on.day_first: true or false, not 'yes'"],
        ),
        (
            {"fiscal_year_start": 13},
            DateSpec(),
            ["fields.proposed_on.fiscal_year_start: a month, 1 to 12, not 13"],
        ),
        (
            {"date_format": "%d/%m"},
            DateSpec("%d/%m"),
            ["fields.proposed_on.date_format: '%d/%m' has no year (%Y or %y)"],
        ),
    ],
)
def test_a_mapping_date_entry(
    spec: dict[str, object], expected: DateSpec, problems: list[str]
) -> None:
    found: list[str] = []
    assert date_spec("proposed_on", spec, found) == expected
    assert found == problems


@pytest.mark.parametrize(
    ("current", "new", "replace"),
    [
        ((None, "day"), (dt.date(2022, 3, 14), "day"), True),
        ((dt.date(2022, 3, 14), "day"), (dt.date(2022, 3, 14), "day"), False),
        ((dt.date(2022, 3, 14), "day"), (dt.date(2022, 3, 1), "month"), False),  # agrees, coarser
        ((dt.date(2022, 3, 14), "day"), (dt.date(2022, 1, 1), "year"), False),
        ((dt.date(2022, 3, 14), "day"), (dt.date(2022, 1, 1), "quarter"), False),
        ((dt.date(2022, 3, 14), "day"), (dt.date(2021, 1, 1), "year"), True),  # contradicts
        ((dt.date(2022, 3, 1), "month"), (dt.date(2022, 3, 14), "day"), True),  # finer
        ((dt.date(2022, 3, 1), "month"), (dt.date(2022, 3, 1), "day"), True),
        ((dt.date(2022, 3, 1), "day"), (dt.date(2022, 3, 1), "month"), False),
        ((dt.date(2022, 1, 1), "year"), (dt.date(2022, 1, 1), "year"), False),
    ],
)
def test_replaces_only_with_news(
    current: tuple[dt.date | None, str], new: tuple[dt.date, str], replace: bool
) -> None:
    assert replaces(current[0], current[1], new[0], new[1]) is replace


def test_a_tally_counts_each_kind_and_keeps_three_examples() -> None:
    tally = FieldTally("proposed_on", "operational_date")
    cells = ["2022-03-04", "2022-03", "2022", "", "sometime 2020", "9/1/2019", "x", "y", "z"]
    cells += ["2030", "Q2 2021"]
    for line, text in enumerate(cells, start=2):
        tally.add(line, text, read(text))
    assert tally.readable == 4
    assert tally.line() == (
        "proposed_on (operational_date): readable 4 (day 1, month 1, quarter 1, year 1), "
        "unreadable 5 (1 with day/month order unknown; e.g. line 6 'sometime 2020'; "
        "line 7 '9/1/2019'; line 8 'x'), in the future (kept unknown) 1, none 1"
    )
    summary = tally.as_dict()
    assert summary["by_precision"] == {"day": 1, "month": 1, "quarter": 1, "year": 1}
    assert summary["examples"][0] == {
        "line": 6,
        "text": "sometime 2020",
        "reason": "not a date aiom reads",
    }
    assert (summary["unreadable"], summary["ambiguous"], summary["none"]) == (5, 1, 1)
    assert summary["ambiguous_example"] == "9/1/2019"


def test_a_tally_without_any_date_says_so() -> None:
    tally = FieldTally("stage_entered_on", "since")
    tally.add(2, "", None)
    assert tally.line() == "stage_entered_on (since): readable 0, unreadable 0, none 1"
