"""Which rows of a file a mapping imports: `where` / `where_not`, for files mixing reports.

`where: {column: value or [values]}` keeps a row only if every named column holds one of
its values; `where_not:` drops a row if any named column holds one of its values. Cells
compare as the mapping compares keys (trimmed, spaces collapsed, casefolded); a blank
cell is matched by "". A filtered-out row is counted in the report, not called invalid.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiom.inventory.readers import normalise_header


@dataclass
class RowFilter:
    where: dict[str, frozenset[str]] = field(default_factory=dict)
    where_not: dict[str, frozenset[str]] = field(default_factory=dict)

    def columns(self) -> list[str]:
        return [*self.where, *self.where_not]

    def excludes(self, row: dict[str, str], header: Callable[[str], str | None]) -> str:
        """Why a row is filtered out ("" when it is kept); `header` finds a column's header."""

        def cell(column: str) -> str:
            found = header(column)
            return row.get(found, "") if found else ""

        for column, values in self.where.items():
            if _key(cell(column)) not in values:
                return f"where: {column} is '{cell(column).strip()}'"
        for column, values in self.where_not.items():
            if _key(cell(column)) in values:
                return f"where_not: {column} is '{cell(column).strip()}'"
        return ""


def _key(text: object) -> str:
    return normalise_header(text).casefold()


def parse(data: dict[str, Any], problems: list[str]) -> RowFilter:
    return RowFilter(
        where=_conditions("where", data.get("where"), problems),
        where_not=_conditions("where_not", data.get("where_not"), problems),
    )


def _conditions(name: str, spec: Any, problems: list[str]) -> dict[str, frozenset[str]]:
    if spec is None:
        return {}
    if not isinstance(spec, dict) or not spec:
        problems.append(f"{name}: an object of column: value (or [values])")
        return {}
    out = {}
    for column, values in spec.items():
        listed = values if isinstance(values, list) else [values]
        if not listed or any(isinstance(v, bool | dict | list) or v is None for v in listed):
            problems.append(
                f"{name}.{column}: a cell value or a list of them (quote yes/no/on/off; "
                "'' for a blank cell)"
            )
            continue
        out[str(column)] = frozenset(_key(v) for v in listed)
    return out
