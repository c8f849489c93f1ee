"""Rows an import leaves out without calling them invalid, and the duplicates it found.

Every row of a file is imported, invalid (a problem refuses it), or set aside for a
reason the mapping chose, counted by reason and listed by line in the report:
- `filtered`: the mapping's `where` / `where_not` leaves it out (another report's row);
- `superseded_duplicate`: another row with the same id was kept (`duplicates: first`,
  `last` or `latest_by`);
- `blank_title`, `identical_duplicate`: true data errors (a row without a name; an exact
  copy of an earlier row, every cell identical) that the mapping declares skippable with
  `skip_rows: [blank_title, identical_duplicate]`; without that they refuse the row.
"""

from dataclasses import dataclass
from typing import Any

SKIPPABLE = ("blank_title", "identical_duplicate")
REASONS = ("filtered", "superseded_duplicate", *SKIPPABLE)


@dataclass(frozen=True)
class SetAside:
    line: int
    reason: str  # one of REASONS
    detail: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason.replace('_', ' ')} ({self.detail})"


@dataclass(frozen=True)
class Duplicate:
    """One id that several rows of the file share, and what the import did about it."""

    id: str
    lines: tuple[int, ...]
    identical: bool  # every cell of every row the same
    differing_columns: tuple[str, ...]  # the file's headers whose cells differ
    kept_line: int | None  # the row imported under this id (None: refused, or split)
    resolution: str

    def __str__(self) -> str:
        lines = ", ".join(str(n) for n in self.lines)
        same = (
            "identical rows"
            if self.identical
            else "rows differ in "
            + ", ".join(self.differing_columns[:8])
            + (
                f" and {len(self.differing_columns) - 8} more"
                if len(self.differing_columns) > 8
                else ""
            )
        )
        return f"{self.id} at lines {lines}: {same}: {self.resolution}"


def parse_skip_rows(spec: Any, problems: list[str]) -> frozenset[str]:
    if spec is None:
        return frozenset()
    listed = spec if isinstance(spec, list) else [spec]
    unknown = [s for s in listed if s not in SKIPPABLE]
    if unknown:
        problems.append(
            f"skip_rows: {', '.join(repr(u) for u in unknown)}: only {', '.join(SKIPPABLE)} "
            "(true data errors) may be skipped"
        )
    return frozenset(str(s) for s in listed if s in SKIPPABLE)
