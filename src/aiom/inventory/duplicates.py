"""Several rows of one file with the same external id: the mapping's `duplicates:` policy.

- `refuse` (the default): every row after the first is refused, naming the first line;
- `first` / `last`: the first (last) row in file order is imported, the others set aside;
- `{latest_by: <column>}`: the row whose column holds the greatest number or date (a
  reporting year, a date of last update) is imported; if a value does not read as a number
  or date, or the greatest is tied, the rows are refused with a problem saying so;
- `{distinct_by: [columns]}`: rows that share an id but differ are different use cases:
  each gets the id followed by `~` and a hash of those columns' values (stable while they
  stay the same); rows that still collide are refused.
Before any policy, exact copies of an earlier row (every cell identical) are set aside
when the mapping declares `skip_rows: [identical_duplicate]`. Every shared id is listed in
the report (`Duplicate`): its lines, whether the rows are identical or in which columns
they differ, and the line kept.
"""

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiom.inventory.readers import normalise_header
from aiom.inventory.report import Problem
from aiom.inventory.set_aside import Duplicate, SetAside
from aiom.portfolio import external_ids

if TYPE_CHECKING:  # convert reads the mapping, which reads this module's `parse`
    from aiom.inventory.convert import Planned

MODES = ("refuse", "first", "last")
_DATES = ("%Y-%m-%d", "%m/%d/%Y", "%d.%m.%Y", "%Y/%m/%d", "%Y-%m", "%Y/%m", "%m/%Y")


@dataclass(frozen=True)
class Policy:
    mode: str = "refuse"  # refuse, first, last, latest_by, distinct_by
    columns: tuple[str, ...] = ()


@dataclass
class Row:
    planned: "Planned"
    cells: dict[str, str]  # the file's row, by header


def parse(spec: Any, problems: list[str]) -> Policy:
    if spec is None:
        return Policy()
    if isinstance(spec, str) and spec in MODES:
        return Policy(spec)
    if isinstance(spec, dict) and len(spec) == 1:
        ((mode, value),) = spec.items()
        if mode == "latest_by" and isinstance(value, str) and value.strip():
            return Policy(mode, (value,))
        if mode == "distinct_by":
            listed = value if isinstance(value, list) else [value]
            if listed and all(isinstance(c, str) and c.strip() for c in listed):
                return Policy(mode, tuple(listed))
    problems.append(
        "duplicates: refuse, first, last, {latest_by: <column>} or {distinct_by: [columns]}"
    )
    return Policy()


def resolve(
    rows: list[Row],
    policy: Policy,
    *,
    skip_identical: bool,
    cell: Callable[[Row, str], str],
    id_column: str,
) -> tuple[list[Duplicate], list[SetAside]]:
    """Apply the policy to every id shared by several rows; add problems to refused rows."""
    groups: dict[tuple[str, str], list[Row]] = {}
    for row in rows:
        if row.planned.external_id:
            slot = (row.planned.source, external_ids.key_of(row.planned.external_id))
            groups.setdefault(slot, []).append(row)
    found: list[Duplicate] = []
    aside: list[SetAside] = []
    for group in groups.values():
        if len(group) > 1:
            found.append(_one(group, policy, skip_identical, cell, id_column, aside))
    return found, aside


def _one(
    group: list[Row],
    policy: Policy,
    skip_identical: bool,
    cell: Callable[[Row, str], str],
    id_column: str,
    aside: list[SetAside],
) -> Duplicate:
    shown = group[0].planned.external_id
    lines = tuple(r.planned.line for r in group)
    headers = list(group[0].cells)
    differing = tuple(h for h in headers if len({_cell(r, h) for r in group}) > 1)
    kept: list[Row] = []
    for row in group:
        copy_of = next((k for k in kept if _same(k, row)), None)
        if copy_of is not None and skip_identical:
            aside.append(
                SetAside(
                    row.planned.line,
                    "identical_duplicate",
                    f"a copy of line {copy_of.planned.line}",
                )
            )
        else:
            kept.append(row)

    def entry(kept_line: int | None, resolution: str) -> Duplicate:
        return Duplicate(shown, lines, not differing, differing, kept_line, resolution)

    if len(kept) == 1:
        return entry(kept[0].planned.line, "exact copies skipped (skip_rows: identical_duplicate)")
    if policy.mode in ("first", "last"):
        keep = kept[0] if policy.mode == "first" else kept[-1]
        _supersede(kept, keep, f"duplicates: {policy.mode}", aside)
        return entry(keep.planned.line, f"kept the {policy.mode} row")
    if policy.mode == "latest_by":
        column = policy.columns[0]
        latest, why = _latest(kept, lambda r: cell(r, column))
        if latest is None:
            _refuse(kept, id_column, f"duplicates: latest_by {column}: {why}")
            return entry(None, f"refused: {why}")
        _supersede(kept, latest, f"duplicates: latest_by {column}", aside)
        return entry(latest.planned.line, f"kept the latest by {column}")
    if policy.mode == "distinct_by":
        return _split(kept, policy.columns, cell, id_column, entry)
    for row in kept[1:]:
        first = kept[0].planned.line
        message = f"duplicate external id {shown} (first at line {first})"
        if _same(kept[0], row):
            message += (
                ": an exact copy of that row (skip_rows: [identical_duplicate] "
                "in the mapping skips such copies)"
            )
        else:
            differ = [h for h in headers if _cell(kept[0], h) != _cell(row, h)]
            message += ": the rows differ in " + _listed(differ)
        row.planned.problems.append(Problem(row.planned.line, id_column, message))
    return entry(None, "refused (duplicates: refuse)")


def _listed(columns: list[str], most: int = 8) -> str:
    more = f" and {len(columns) - most} more" if len(columns) > most else ""
    return ", ".join(columns[:most]) + more


def _cell(row: Row, header: str) -> str:
    return row.cells.get(header, "").strip()


def _same(a: Row, b: Row) -> bool:
    return all(_cell(a, h) == _cell(b, h) for h in {*a.cells, *b.cells})


def _supersede(rows: list[Row], keep: Row, why: str, aside: list[SetAside]) -> None:
    for row in rows:
        if row is not keep:
            detail = f"line {keep.planned.line} kept ({why})"
            aside.append(SetAside(row.planned.line, "superseded_duplicate", detail))


def _refuse(rows: list[Row], column: str, message: str) -> None:
    for row in rows:
        row.planned.problems.append(Problem(row.planned.line, column, message))


def _latest(rows: list[Row], value: Callable[[Row], str]) -> tuple[Row | None, str]:
    ranked: list[tuple[tuple[int, Any], Row]] = []
    for row in rows:
        text = value(row).strip()
        rank = order_key(text)
        if rank is None:
            shown = f"'{text[:40]}'" if text else "a blank cell"
            return None, f"{shown} at line {row.planned.line} is not a number or a date"
        ranked.append((rank, row))
    if len({kind for (kind, _), _ in ranked}) > 1:
        return None, "the values mix numbers and dates"
    best = max(rank for rank, _ in ranked)
    top = [row for rank, row in ranked if rank == best]
    if len(top) > 1:
        tied = ", ".join(str(r.planned.line) for r in top)
        return None, f"lines {tied} tie for the latest"
    return top[0], ""


def order_key(text: str) -> tuple[int, Any] | None:
    """How `latest_by` orders a cell: as a number (kind 0) or a date (kind 1); None: neither."""
    try:
        return 0, float(text.replace(",", ""))
    except ValueError:
        pass
    try:
        return 1, dt.datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        pass
    first = text.split()[0] if text.split() else ""
    for fmt in _DATES:
        try:
            return 1, dt.datetime.strptime(first, fmt)
        except ValueError:
            continue
    return None


def _split(
    rows: list[Row],
    columns: tuple[str, ...],
    cell: Callable[[Row, str], str],
    id_column: str,
    entry: Callable[[int | None, str], Duplicate],
) -> Duplicate:
    first_at: dict[str, int] = {}
    limit = external_ids.LIMIT
    for row in rows:
        shared = row.planned.external_id
        basis = "\x1f".join(normalise_header(cell(row, c)).casefold() for c in columns)
        digest = hashlib.sha256(basis.encode()).hexdigest()[:8]
        row.planned.external_id = f"{row.planned.external_id}~{digest}"
        derived = external_ids.key_of(row.planned.external_id)
        if len(row.planned.external_id) > limit:
            message = f"external id longer than {limit} once made distinct"
            row.planned.problems.append(Problem(row.planned.line, id_column, message))
        elif derived in first_at:
            message = (
                f"duplicate external id {shared} (first at line {first_at[derived]}): "
                f"the rows do not differ in {', '.join(columns)} (duplicates: distinct_by)"
            )
            row.planned.problems.append(Problem(row.planned.line, id_column, message))
        else:
            first_at[derived] = row.planned.line
    return entry(None, f"different use cases: distinct ids by {', '.join(columns)}")
