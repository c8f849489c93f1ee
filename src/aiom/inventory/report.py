"""What an import found and did: counts, problems by line and column, org units to create.

A dry run and a real run fill the same report, so the preview is exactly what the
confirmed import will do — unless the database changes between the two.
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from aiom.inventory.date_tally import FieldTally
from aiom.inventory.set_aside import Duplicate, SetAside
from aiom.inventory.stage_rules import StageValue
from aiom.portfolio.vocabulary import stages

NOT_MAPPED = (
    "the mapping reads no column for it: unknown (never the import day), except in the "
    "first stage, whose entry is the proposal"
)


@dataclass(frozen=True)
class Problem:
    """One finding about one row; `error` rows are not imported, warnings are."""

    line: int
    column: str
    message: str
    error: bool = True

    def __str__(self) -> str:
        kind = "error" if self.error else "warning"
        where = f"line {self.line}" if self.line else "file"
        return f"{where}, {self.column or '-'}: {kind}: {self.message}"


@dataclass
class Report:
    file_name: str
    sha256: str
    preset: str
    encoding: str = ""
    file_format: str = ""
    notes: list[str] = field(default_factory=list)
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0
    dry_run: bool = True
    written: bool = False
    by_source_stage: Counter[str] = field(default_factory=Counter)
    by_stage: Counter[str] = field(default_factory=Counter)
    org_units_to_create: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    stage_differences: list[str] = field(default_factory=list)
    owners_matched: int = 0
    seconds: float = 0.0
    # rows the mapping leaves out (filtered, superseded, skippable data errors), by line
    set_aside: list[SetAside] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)  # ids several rows share
    stage_values: list[StageValue] = field(default_factory=list)  # each stage text: became
    placeholders_blanked: Counter[str] = field(default_factory=Counter)  # column: cells
    contacts_kept: int = 0  # use cases given the source's contact (no user matched)

    # per date field: readable (by precision), unreadable (examples), in the future, none
    date_fields: list[FieldTally] = field(default_factory=list)
    # date fields the mapping reads no column for: unknown (never a made-up day)
    dates_not_mapped: list[str] = field(default_factory=list)

    @property
    def set_aside_by_reason(self) -> dict[str, int]:
        found = Counter(
            a.reason if isinstance(a, SetAside) else a["reason"] for a in self.set_aside
        )
        return dict(sorted(found.items()))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.error]

    @property
    def blocked(self) -> bool:
        """A strict (all-or-nothing) import refuses a file with any invalid row."""
        return self.invalid > 0 or any(p.error and p.line == 0 for p in self.problems)

    def counts(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "invalid": self.invalid,
            "org_units_created": len(self.org_units_to_create),
            "set_aside": len(self.set_aside),
            "warnings": len(self.warnings),
        }

    def lines(self, *, max_problems: int = 50) -> list[str]:
        """The report as text lines, for the CLI (the page renders the same fields)."""
        mode = "dry run, nothing written" if self.dry_run else "import"
        if not self.dry_run and not self.written:
            mode = "import REFUSED, nothing written"
        if not self.file_format:  # the file could not be read: its problems are the report
            out = [f"{self.file_name}, sha256 {self.sha256[:12]}: cannot be read: {mode}"]
            return out + [f"  {p}" for p in self.problems[:max_problems]]
        out = [
            f"{self.file_name} ({self.file_format}, {self.encoding}"
            + (f", {'; '.join(self.notes)}" if self.notes else "")
            + f"), preset {self.preset}, sha256 {self.sha256[:12]}: {mode}",
            f"rows {self.rows}: created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, invalid {self.invalid}"
            f"; owners matched {self.owners_matched}, contacts kept {self.contacts_kept}",
            *_sections(self, max_problems),
            "aiom stages (created/updated/unchanged rows): "
            + _counts(self.by_stage, labels=dict(stages())),
            f"org units to create: {len(self.org_units_to_create)}",
        ]
        out += [f"  + {u}" for u in self.org_units_to_create[:20]]
        if len(self.org_units_to_create) > 20:
            out.append(f"  ... and {len(self.org_units_to_create) - 20} more")
        if self.stage_differences:
            out.append(
                f"stage differences (not changed; use lifecycle transitions): "
                f"{len(self.stage_differences)}"
            )
            out += [f"  {d}" for d in self.stage_differences[:max_problems]]
        errors, warnings = self.errors, self.warnings
        out += [f"date {t.line()}" for t in self.date_fields if isinstance(t, FieldTally)]
        out += [f"date {name}: {NOT_MAPPED}" for name in self.dates_not_mapped]
        out.append(f"problems: {len(errors)} errors, {len(warnings)} warnings")
        shown = (errors + warnings)[:max_problems]
        out += [f"  {p}" for p in shown]
        if len(self.problems) > len(shown):
            out.append(f"  ... and {len(self.problems) - len(shown)} more")
        out.append(f"took {self.seconds:.2f} s")
        return out


def _counts(counter: Counter[str], *, blank: str = "", labels: dict[str, str] | None = None) -> str:
    if not counter:
        return "none"
    parts = []
    for k, n in counter.most_common():
        label = (labels or {}).get(k, k) if k else blank
        parts.append(f"{label} {n}")
    return ", ".join(parts)


def _sections(report: Report, max_problems: int) -> list[str]:
    """The set-aside rows, duplicates, placeholders and stage values, as text lines."""
    out = []
    if report.set_aside:
        by_reason = ", ".join(
            f"{r.replace('_', ' ')} {n}" for r, n in report.set_aside_by_reason.items()
        )
        out.append(f"set aside by the mapping {len(report.set_aside)}: {by_reason}")
        out += [f"  {a}" for a in report.set_aside[:max_problems]]
    if report.duplicates:
        out.append(f"ids that several rows share: {len(report.duplicates)}")
        out += [f"  {d}" for d in report.duplicates[:max_problems]]
    if report.placeholders_blanked:
        out.append(
            "placeholders read as blank (cells per column): " + _counts(report.placeholders_blanked)
        )
    out.append("file stages (value: rows -> aiom stage):")
    labels = dict(stages())
    for v in report.stage_values:
        became = labels.get(v.stage, v.stage) + f" ({v.rule})" if v.stage else "not mapped"
        out.append(f"  {v.value or '(blank)'}: {v.count} -> {became}")
    return out
