"""What one date field's column gave across a file's rows, for the import report."""

from collections import Counter
from dataclasses import dataclass
from dataclasses import field as default
from typing import Any

from aiom.core.partial_dates import Precision
from aiom.inventory.dates import Future, Reading, Result

EXAMPLES = 3  # unreadable values a report shows per field


@dataclass
class FieldTally:
    """What one date field's column gave across a file's rows."""

    field: str
    column: str
    by_precision: Counter[str] = default(default_factory=Counter)
    unreadable: int = 0
    ambiguous: int = 0  # of the unreadable: day/month order unknown
    future: int = 0
    none: int = 0
    other_stage: int = 0  # rows in a stage the mapping does not read this column for
    contradicted: int = 0  # of the readable: a stage entry before the proposal, kept unknown
    ambiguous_example: str = ""
    examples: list[tuple[int, str, str]] = default(default_factory=list)  # line, text, reason

    @property
    def readable(self) -> int:
        """Rows whose value reads as a date (`contradicted` ones included)."""
        return sum(self.by_precision.values())

    def add(self, line: int, text: str, result: Result | None) -> None:
        if result is None:
            self.none += 1
        elif isinstance(result, Reading):
            self.by_precision[str(result.precision.value)] += 1
        elif isinstance(result, Future):
            self.future += 1
        else:
            self.unreadable += 1
            if result.ambiguous:
                self.ambiguous += 1
                self.ambiguous_example = self.ambiguous_example or text
            if len(self.examples) < EXAMPLES:
                shown = text if len(text) <= 60 else text[:57] + "..."
                self.examples.append((line, shown, result.reason))

    def line(self) -> str:
        """`proposed_on (operational_date): readable 1,234 (day 1,200, ...), unreadable ..."""
        kinds = [f"{p} {self.by_precision[p]:,}" for p in Precision.values if self.by_precision[p]]
        out = f"{self.field} ({self.column}): readable {self.readable:,}"
        out += f" ({', '.join(kinds)})" if kinds else ""
        out += f", unreadable {self.unreadable:,}"
        notes = [f"{self.ambiguous:,} with day/month order unknown"] if self.ambiguous else []
        if self.examples:
            shown = "; ".join(f"line {n} '{t}'" for n, t, _ in self.examples)
            notes.append(f"e.g. {shown}")
        out += f" ({'; '.join(notes)})" if notes else ""
        if self.contradicted:
            out += f", before the proposal (kept unknown) {self.contradicted:,}"
        if self.future:
            out += f", in the future (kept unknown) {self.future:,}"
        out += f", none {self.none:,}"
        return out + (f", not read in their stage {self.other_stage:,}" if self.other_stage else "")

    def as_dict(self) -> dict[str, Any]:
        """The structured summary the import page renders."""
        return {
            "field": self.field,
            "column": self.column,
            "readable": self.readable,
            "by_precision": {p: self.by_precision[p] for p in Precision.values},
            "unreadable": self.unreadable,
            "ambiguous": self.ambiguous,
            "ambiguous_example": self.ambiguous_example,
            "future": self.future,
            "none": self.none,
            "other_stage": self.other_stage,
            "contradicted": self.contradicted,
            "examples": [{"line": n, "text": t, "reason": r} for n, t, r in self.examples],
        }
