"""A file's date columns: each date field's day/month order settled from all its values,
each row's date read with that order, and what every field gave counted for the report.

The order of a numeric `a/b/yyyy` column comes from the mapping (`date_format`,
`day_first`) or else from the file: a value that can only be day first (13/1/2020) with
none that can only be month first settles it, and vice versa. Values that disagree are a
file-level warning naming both; a column nothing settles is a file-level warning asking
for `date_format`; either way the values that could be both stay unknown, never guessed.

A use case in the first stage entered it when it was proposed: the one date the file
gives fills the other when the mapping reads no column for it (`first_stage`); in any
later stage the entry day is not the proposal day, and a date the file does not give
stays unknown. A mapping may read a date field only for rows in some stages (`stages:`).
"""

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

from aiom.core.partial_dates import shown, start_of
from aiom.inventory import dates
from aiom.inventory.date_specs import DATE_FIELDS, DateSpec
from aiom.inventory.date_tally import FieldTally
from aiom.inventory.mapping import Mapping
from aiom.inventory.readers import Source
from aiom.inventory.report import Problem
from aiom.portfolio.vocabulary import STAGE_KEYS

PRECISION_OF = {"proposed_on": "proposed_precision", "stage_entered_on": "stage_entered_precision"}
DATE_VALUES = frozenset((*DATE_FIELDS, *PRECISION_OF.values()))
Header = Callable[[str], str | None]
Get = Callable[[str], str]


class DateColumns:
    """Per file: each mapped date field's columns, hints and tally."""

    def __init__(
        self, mapping: Mapping, header: Header, today: dt.date, source: Source | None = None
    ) -> None:
        self.today = today
        self.header = header
        self.columns: dict[str, list[str]] = {}
        self.hints: dict[str, dates.Hints] = {}
        self.tallies: dict[str, FieldTally] = {}
        self.settled: dict[str, dates.Settlement] = {}
        self.stages: dict[str, tuple[str, ...]] = {}
        self.numeric = source.numeric if source is not None else {}
        epoch_1904 = source.epoch_1904 if source is not None else False
        for fname in DATE_FIELDS:
            text_spec = mapping.texts.get(fname)
            if text_spec is None or not text_spec.columns:
                continue
            spec = mapping.date_specs.get(fname, DateSpec())
            self.columns[fname] = [c for c in text_spec.columns if header(c)]
            self.stages[fname] = spec.stages
            found = [h for h in (header(c) for c in text_spec.columns) if h]
            first = text_spec.columns[0]  # named as the file heads it (an alias's header)
            self.tallies[fname] = FieldTally(fname, header(first) or first)
            order = spec.order or dates.format_order(spec.date_format)
            if order is None and source is not None and found:
                cells = (row.get(h, "") for _, row in source.rows for h in found)
                self.settled[fname] = settlement = dates.settle(cells)
                order = settlement.order
            self.hints[fname] = dates.Hints(
                order,
                spec.date_format,
                epoch_1904=epoch_1904,
                fiscal_year_start=spec.fiscal_year_start,
            )

    def read(self, fname: str, line: int, get: Get) -> tuple[str, dates.Result | None]:
        """The field's text in this row (its first non-blank column) and what it reads as."""
        for column in self.columns.get(fname, []):
            text = " ".join(get(column).split())
            if text:
                hints = self.hints[fname]
                if self.header(column) in self.numeric.get(line, ()):
                    hints = dataclasses.replace(hints, excel_serial=True)
                result = dates.parse(text, hints, today=self.today)
                self.tallies[fname].add(line, text, result)
                return text, result
        if fname in self.tallies:
            self.tallies[fname].add(line, "", None)
        return "", None

    def apply(self, line: int, get: Get, values: dict[str, Any], stage: str) -> list[Problem]:
        """Put each date field's day and precision in `values`; warnings for the row.

        `get` gives a mapped column's cleaned text (placeholders such as N/A are blank);
        a field whose mapping names `stages` is read only for rows in one of them."""
        problems: list[Problem] = []
        for fname, tally in self.tallies.items():
            if self.stages[fname] and stage not in self.stages[fname]:
                tally.other_stage += 1
                continue
            text, result = self.read(fname, line, get)
            if isinstance(result, dates.Reading):
                values[fname] = result.day
                values[PRECISION_OF[fname]] = str(result.precision.value)
            elif isinstance(result, dates.Future):
                message = f"date {text} is in the future: kept unknown"
                problems.append(Problem(line, tally.column, message, False))
            elif isinstance(result, dates.Unreadable) and not result.ambiguous:
                message = f"'{text}' is not a date aiom reads ({result.reason}): kept unknown"
                problems.append(Problem(line, tally.column, message, False))
        entered, proposed = values.get("stage_entered_on"), values.get("proposed_on")
        entered_in = values.get("stage_entered_precision", "day")
        if entered and proposed and start_of(proposed, entered_in) > entered:
            message = (
                f"the stage entry {shown(entered, entered_in)} is before the proposal "
                f"{shown(proposed, values.get('proposed_precision', 'day'))}: entry kept unknown"
            )
            entry = self.tallies["stage_entered_on"]
            entry.contradicted += 1
            problems.append(Problem(line, entry.column, message, False))
            del values["stage_entered_on"], values["stage_entered_precision"]
        return problems

    def finish(self) -> list[Problem]:
        """The file-level findings, once every row has been read."""
        problems: list[Problem] = []
        for fname, tally in self.tallies.items():
            settlement = self.settled.get(fname)
            how = f"set date_format (e.g. %d/%m/%Y) or day_first for {fname} in the mapping"
            if settlement is not None and settlement.conflict:
                message = (
                    f"the dates disagree on the day/month order: '{settlement.day_first_example}'"
                    f" is day first, '{settlement.month_first_example}' month first; "
                    f"{tally.ambiguous:,} dates that could be either are kept unknown: {how}"
                )
                problems.append(Problem(0, tally.column, message, False))
            elif tally.ambiguous:
                message = (
                    f"{tally.ambiguous:,} dates such as '{tally.ambiguous_example}' could be "
                    "day/month or month/day and no value in the file settles which: kept "
                    f"unknown; {how}"
                )
                problems.append(Problem(0, tally.column, message, False))
        return problems

    def summary(self) -> list[FieldTally]:
        return list(self.tallies.values())

    def first_stage(self, values: dict[str, Any], stage: str) -> None:
        """In the first stage, entering it is being proposed: the one date the file gives
        fills the other, when the mapping reads no column for that other (a column that
        is there but blank says nothing, and an export writes the column back)."""
        if stage != STAGE_KEYS[0]:
            return
        for known, unknown in (DATE_FIELDS, DATE_FIELDS[::-1]):
            if values.get(known) is not None and unknown not in self.tallies:
                values[unknown] = values[known]
                values[PRECISION_OF[unknown]] = values[PRECISION_OF[known]]


def proposal_changes(uc: Any, values: dict[str, Any]) -> dict[str, Any]:
    """What a re-import changes of a use case's proposal date (and precision).

    An unknown in the file never replaces a known date; a coarser date whose period holds
    aiom's (2022-03 for 2022-03-14) agrees with it and changes nothing; nor does a date
    after the use case entered its stage (the file would contradict aiom's own history).
    """
    day, precision = values.get("proposed_on"), values.get("proposed_precision", "day")
    if day is None or not dates.replaces(uc.proposed_on, uc.proposed_precision, day, precision):
        return {}
    if uc.stage_entered_on is not None and day > uc.stage_entered_on:
        return {}
    changes: dict[str, Any] = {"proposed_on": day} if day != uc.proposed_on else {}
    if precision != uc.proposed_precision:
        changes["proposed_precision"] = precision
    return changes
