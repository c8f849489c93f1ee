"""Compare an imported file with aiom's export of it, cell by cell (the lossless-export check).

Rows are matched by the external id the mapping gives each row (so rows whose id the
import derived from other columns match too). Each cell is equal, differs by one of the
documented normalisations (NORMALISATIONS; docs/inventory-import.md, "Round trip"), or is
a difference. A round trip is lossless when `differences` is 0.

Used by tests/inventory/test_roundtrip*.py and benchmarks/roundtrip.py.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from aiom.core import tabular
from aiom.inventory.convert import CONTROL, Planned
from aiom.inventory.date_specs import DATE_FIELDS
from aiom.inventory.importer import _rows as planned_rows  # the import's own row planning
from aiom.inventory.mapping import Mapping, key
from aiom.inventory.readers import Source, read_source
from aiom.inventory.report import Report
from aiom.portfolio.services import TEXT_LIMITS


@dataclass
class Cell:
    """One cell pair and what the comparison knows about its column and row."""

    column: str
    original: str
    exported: str
    fields: tuple[str, ...]  # the text fields the column feeds
    role: str  # "id", "org0", "org", "owner", "date", "text" or "" (kept as is)
    same_dates: bool  # the import reads the same date (and precision) from both rows
    mapping: Mapping


def _trimmed(c: Cell) -> bool:
    return c.original.strip() == c.exported


def _line_ends(c: Cell) -> bool:
    return c.original.replace("\r\n", "\n").replace("\r", "\n").strip() == c.exported.strip()


def _control(c: Cell) -> bool:
    return CONTROL.sub("", c.original).strip() == c.exported


def _formula(c: Cell) -> bool:
    return bool(tabular.NEUTRALISED_ONCE.match(c.original)) and c.original[1:].strip() == c.exported


def _date(c: Cell) -> bool:
    return c.role == "date" and c.same_dates


def _truncated(c: Cell) -> bool:
    limits = [TEXT_LIMITS[f] for f in c.fields if f in TEXT_LIMITS]
    text = c.original.strip()
    return bool(limits) and len(text) > min(limits) and text.startswith(c.exported.strip())


def _unit_spelling(c: Cell) -> bool:
    return c.role in ("org0", "org") and key(c.original) == key(c.exported)


def _email_case(c: Cell) -> bool:
    return c.role == "owner" and c.original.strip().casefold() == c.exported.casefold()


# name -> rule; each is listed in docs/inventory-import.md ("Round trip")
NORMALISATIONS: dict[str, Callable[[Cell], bool]] = {
    "whitespace trimmed": _trimmed,
    "control characters removed": _control,
    "line ends as LF": _line_ends,
    "spreadsheet formula escape undone": _formula,
    "date as ISO at its precision": _date,
    "text cut to the field's limit": _truncated,
    "org unit as first spelled (case, spacing)": _unit_spelling,
    "owner e-mail as the user's": _email_case,
}


@dataclass
class ColumnResult:
    same: int = 0
    normalised: Counter[str] = field(default_factory=Counter)
    different: int = 0
    examples: list[tuple[str, str, str]] = field(default_factory=list)  # (id, orig, exported)


@dataclass
class Comparison:
    rows_original: int = 0
    rows_exported: int = 0
    matched: int = 0
    not_exported: list[str] = field(default_factory=list)  # ids in the file, not the export
    not_in_file: list[str] = field(default_factory=list)  # ids in the export, not the file
    header_differences: list[str] = field(default_factory=list)
    columns_left_out: list[str] = field(default_factory=list)  # file columns the export lacks
    columns: dict[str, ColumnResult] = field(default_factory=dict)

    @property
    def differences(self) -> int:
        return sum(r.different for r in self.columns.values()) + len(self.header_differences)

    @property
    def normalised(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for result in self.columns.values():
            total.update(result.normalised)
        return total

    def lines(self, examples: int = 3) -> list[str]:
        out = [
            f"rows: file {self.rows_original}, export {self.rows_exported}, matched by id "
            f"{self.matched}; file rows not exported {len(self.not_exported)}, "
            f"exported rows not in the file {len(self.not_in_file)}",
            f"cell differences outside the normalisations: {self.differences}",
        ]
        out += [f"  header: {h}" for h in self.header_differences]
        if self.columns_left_out:
            out.append(f"  columns not in the export: {', '.join(self.columns_left_out)}")
        for column, result in self.columns.items():
            if not result.normalised and not result.different:
                continue
            norm = ", ".join(f"{k} {n}" for k, n in result.normalised.most_common())
            out.append(f"  {column}: different {result.different}; normalised: {norm or '-'}")
            for ident, orig, exp in result.examples[:examples]:
                out.append(f"    {ident}: {orig[:80]!r} -> {exp[:80]!r}")
        return out


def compare_files(original: Path, exported: Path, mapping: Mapping) -> Comparison:
    return compare(read_source(original), read_source(exported), mapping)


def compare(original: Source, exported: Source, mapping: Mapping) -> Comparison:
    result = Comparison(rows_original=len(original.rows), rows_exported=len(exported.rows))
    written = {key(h) for h in exported.headers}
    # a column absent from the export: each non-blank cell of it counts as a difference;
    # blank in every row, it is only listed (blank cells are not kept, so nothing is lost)
    result.columns_left_out = [h for h in original.headers if h and key(h) not in written]
    roles = _roles(mapping)
    fed = _fields_by_column(mapping)
    first = _plans(original, mapping)
    second = _plans(exported, mapping)
    for ident in first:
        if ident not in second:
            result.not_exported.append(ident)
    result.not_in_file = [i for i in second if i not in first]
    for ident, (exp_row, exp_plan) in second.items():
        if ident not in first:
            continue
        orig_row, orig_plan = first[ident]
        result.matched += 1
        for header in original.headers:
            if not header:
                continue
            exp_header = _header(exported, header)
            orig_value = orig_row.get(header, "")
            exp_value = exp_row.get(exp_header, "") if exp_header else ""
            if mapping.unescape_formulas and tabular.NEUTRALISED.match(exp_value):
                exp_value = exp_value[
                    1:
                ]  # the export's spreadsheet escape, as the import undoes it
            column = result.columns.setdefault(header, ColumnResult())
            if orig_value == exp_value:
                column.same += 1
                continue
            fields = fed.get(key(header), ())
            cell = Cell(
                header,
                orig_value,
                exp_value,
                fields,
                roles.get(key(header), "date" if set(fields) & set(DATE_FIELDS) else ""),
                _same_dates(orig_plan, exp_plan, fields),
                mapping,
            )
            rule = next((n for n, test in NORMALISATIONS.items() if test(cell)), None)
            if rule is not None:
                column.normalised[rule] += 1
            else:
                column.different += 1
                column.examples.append((ident, orig_value, exp_value))
    return result


def _header(source: Source, name: str) -> str | None:
    wanted = key(name)
    return next((h for h in source.headers if key(h) == wanted), None)


def _plans(source: Source, mapping: Mapping) -> dict[str, tuple[dict[str, str], Planned]]:
    """Each row by the external id the import gives it (its duplicates policy included)."""
    cells = dict(source.rows)
    report = Report(source.name, "", mapping.name)
    out: dict[str, tuple[dict[str, str], Planned]] = {}
    for plan in planned_rows(source, mapping, report) or []:
        ident = key(plan.external_id)
        if ident and ident not in out and plan.valid:
            out[ident] = (cells[plan.line], plan)
    return out


def _roles(mapping: Mapping) -> dict[str, str]:
    roles = {key(mapping.id_column): "id"} if mapping.id_column else {}
    for i, (name, _) in enumerate(mapping.org_levels):
        roles[key(name)] = "org0" if i == 0 else "org"
    if mapping.owner_email:
        roles[key(mapping.owner_email)] = "owner"
    return roles


def _fields_by_column(mapping: Mapping) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for fname, spec in mapping.texts.items():
        for column in spec.columns:
            out[key(column)] = (*out.get(key(column), ()), fname)
    return out


def _same_dates(first: Planned, second: Planned, fields: tuple[str, ...]) -> bool:
    names = [f for f in fields if f in DATE_FIELDS]
    if not names:
        return False
    for name in names:
        keys = {k for k in (*first.values, *second.values) if k.startswith(name.split("_")[0])}
        if any(first.values.get(k) != second.values.get(k) for k in keys):
            return False
    return True
