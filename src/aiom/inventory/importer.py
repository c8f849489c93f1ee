"""Import an inventory file: read, map, plan, then (unless a dry run) write in one transaction.

Every use case is created or changed through the portfolio services, so each gets its
audit event naming the import. Stages are set only at creation (history as reported);
a re-import never moves a stage, it reports the difference for a lifecycle transition.
Caveat: a strict run refuses the whole file if any row is invalid; `skip_invalid` writes
the valid rows and reports the rest.
"""

import dataclasses
import hashlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from aiom.core import audit
from aiom.core.errors import InvalidInput
from aiom.inventory import duplicates, missing_columns, source_attributes
from aiom.inventory.bulk import create_imported_use_cases
from aiom.inventory.convert import Columns, Planned, convert
from aiom.inventory.date_columns import DateColumns
from aiom.inventory.date_specs import DATE_FIELDS
from aiom.inventory.mapping import Mapping, MappingError, load_preset, preset_names
from aiom.inventory.planner import Action, Plan, Planner
from aiom.inventory.readers import ReadError, Source, read_source
from aiom.inventory.report import Problem, Report
from aiom.inventory.set_aside import SetAside
from aiom.inventory.stage_rules import StageTally
from aiom.organisation.models import OrgUnit
from aiom.organisation.services import create_org_unit
from aiom.portfolio.services import update_use_case

Progress = Callable[[int, int], None]
PROGRESS_EVERY = 500


class _RefusedError(Exception):
    """Raised inside the transaction to roll a strict import back."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def detect_preset(headers: list[str]) -> str | None:
    """The preset whose `detect` headers all appear in the file, if exactly one does."""
    hits = []
    for name in preset_names():
        mapping = load_preset(name)
        if mapping.detect and not Columns(headers, mapping).missing(mapping.detect):
            hits.append(name)
    return hits[0] if len(hits) == 1 else None


def run_import(
    path: Path,
    *,
    actor: audit.Actor,
    mapping: Mapping | None = None,
    file_name: str = "",
    dry_run: bool = False,
    skip_invalid: bool = False,
    org_unit_root: str = "",
    progress: Progress | None = None,
) -> Report:
    """Import `path` (CSV, XLSX or JSON) with `mapping` (detected from the headers if None)."""
    started = time.monotonic()
    file_name = file_name or path.name
    report = Report(file_name, sha256_of(path), mapping.name if mapping else "?", dry_run=dry_run)
    try:
        source = read_source(
            path, name=file_name, json_records=mapping.json_records if mapping else ""
        )
    except ReadError as exc:
        report.problems.append(Problem(0, "", str(exc)))
        return report
    report.encoding, report.file_format, report.notes = source.encoding, source.format, source.notes
    report.rows = len(source.rows)
    if mapping is None:
        detected = detect_preset(source.headers)
        if detected is None:
            report.problems.append(
                Problem(0, "", "no preset matches these headers; give --preset or --mapping")
            )
            return report
        mapping = load_preset(detected)
        report.preset = detected
    rows = _rows(source, mapping, report)
    if rows is None:
        report.invalid = report.rows
        return report
    plan = Planner(report, org_unit_root, actor, mapping.owners).plan([r for r in rows if r.valid])
    _count(report, rows, plan)
    if not dry_run and not (report.blocked and not skip_invalid):
        message = f"imported from {file_name} (preset {report.preset}, sha256 {report.sha256[:12]})"
        try:
            with transaction.atomic():
                _apply(plan, report, actor, message, skip_invalid, progress)
                if report.blocked and not skip_invalid:
                    raise _RefusedError
                report.written = True
        except _RefusedError:
            report.written = False
        except IntegrityError:  # another write claimed one of the ids since the plan
            report.written = False
            report.problems.append(
                Problem(
                    0,
                    "external id",
                    "another change took one of these external ids "
                    "during the import; nothing written: run the import again",
                )
            )
    report.seconds = time.monotonic() - started
    return report


def _rows(source: Source, mapping: Mapping, report: Report) -> list[Planned] | None:
    if source.format == "json":  # only CSV and XLSX exports neutralise formulas
        mapping = dataclasses.replace(mapping, unescape_formulas=False)
    cols = Columns(source.headers, mapping)
    absent = missing_columns.check(source.headers, mapping, cols.header)
    report.problems += absent
    if any(p.error for p in absent):
        return None
    rows: list[duplicates.Row] = []
    stages = StageTally()
    kept = source_attributes.kept_headers(source.headers, mapping)
    cols.dates = DateColumns(mapping, cols.header, timezone.localdate(), source)
    for line, values in source.rows:
        excluded = mapping.row_filter.excludes(values, cols.header)
        if excluded:  # `where` / `where_not`: another report's row
            report.set_aside.append(SetAside(line, "filtered", excluded))
            continue
        planned = convert(line, values, mapping, cols)
        source_attributes.attach(planned, values, kept, mapping)
        report.by_source_stage[planned.source_stage] += 1
        stages.add(planned.source_stage, planned.stage, planned.stage_rule)
        report.placeholders_blanked.update(list(planned.blanked))
        if "blank_title" in mapping.skip_rows and not planned.values.get("title"):
            blank = f"{mapping.texts['title'].columns[0]} is blank; skip_rows: blank_title"
            report.set_aside.append(SetAside(line, "blank_title", blank))
            continue
        rows.append(duplicates.Row(planned, values))
    report.stage_values = stages.values()
    report.duplicates, aside = duplicates.resolve(
        rows,
        mapping.duplicates,
        skip_identical="identical_duplicate" in mapping.skip_rows,
        cell=lambda row, column: row.cells.get(cols.header(column) or "", ""),
        id_column=mapping.id_column or "external id",
    )
    report.set_aside += aside
    gone = {a.line for a in aside}
    report.problems += cols.dates.finish()
    report.date_fields = cols.dates.summary()
    report.dates_not_mapped = [f for f in DATE_FIELDS if f not in cols.dates.tallies]
    return [r.planned for r in rows if r.planned.line not in gone]


def _count(report: Report, rows: list[Planned], plan: Plan) -> None:
    for row in rows:
        report.problems.extend(row.problems)
        if not row.valid:
            report.invalid += 1
    for action in plan.actions:
        report.by_stage[action.existing.stage if action.existing else action.plan.stage] += 1
        if action.owner is not None and (action.existing is None or "owner" in action.changes):
            report.owners_matched += 1
        if action.existing is None:
            report.created += 1
        elif action.changes:
            report.updated += 1
        else:
            report.unchanged += 1


def _apply(
    plan: Plan,
    report: Report,
    actor: audit.Actor,
    message: str,
    skip_invalid: bool,
    progress: Progress | None,
) -> None:
    made: dict[tuple[str, ...], OrgUnit] = dict(plan.units)
    for unit_path, new in plan.new_units.items():  # parents were planned before children
        parent = made[new.parent] if new.parent is not None else new.under
        made[unit_path] = create_org_unit(actor=actor, name=new.name, code=new.code, parent=parent)
    creates = [a for a in plan.actions if a.existing is None]
    updates = [a for a in plan.actions if a.existing is not None and a.changes]
    total, done = len(creates) + len(updates), 0
    for start in range(0, len(creates), PROGRESS_EVERY):
        batch = creates[start : start + PROGRESS_EVERY]
        fields = [_create_fields(a, made) for a in batch]
        _, refused = create_imported_use_cases(actor=actor, rows=fields, message=message)
        for item in refused:
            _refuse(report, batch[item.index], InvalidInput(item.errors), skip_invalid)
        done += len(batch)
        if progress is not None:
            progress(done, total)
    for action in updates:
        assert action.existing is not None  # updates are of existing rows
        changes = dict(action.changes)
        if "org_unit" in changes:
            changes["org_unit"] = made[action.unit_path]
        try:
            update_use_case(actor=actor, use_case=action.existing, message=message, **changes)
        except InvalidInput as exc:
            _refuse(report, action, exc, skip_invalid)
        done += 1
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total)


def _refuse(report: Report, action: Action, exc: InvalidInput, skip_invalid: bool) -> None:
    report.problems.append(Problem(action.plan.line, ",".join(exc.errors), str(exc)))
    report.invalid += 1
    if action.existing is None:
        report.created -= 1
    else:
        report.updated -= 1
    if not skip_invalid:
        raise _RefusedError from exc


def _create_fields(action: Action, units: dict[tuple[str, ...], OrgUnit]) -> dict[str, Any]:
    row = action.plan
    return {
        **row.values,
        "external_id": row.external_id,
        "external_source": row.source,
        "org_unit": units[action.unit_path],
        "owner": action.owner,
        "stage": row.stage,
    }


def mapping_for(preset: str = "", mapping_text: str = "") -> Mapping | None:
    """The mapping a command or page asked for; None lets the importer detect a preset."""
    from aiom.inventory.mapping import load_mapping

    if mapping_text:
        return load_mapping(mapping_text)
    if preset:
        return load_preset(preset)
    return None


__all__ = ["MappingError", "mapping_for", "run_import", "sha256_of"]
