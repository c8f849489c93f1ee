"""Measurements from a CSV file: every row checked first, then all stored or none.

Header `kpi,value,measured_on[,source,note]`; `kpi` names an active KPI of the use case.
Nothing is ever evaluated: a value must be a plain decimal (a leading minus sign is a
sign, so `-3.5` is fine), and a text cell starting with `=`, `+`, `-` or `@` is stored as
the text it is. Size (AIOM_TABLE_UPLOAD_MAX_BYTES), encoding and CSV records follow
`core.tabular`'s one rule.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from aiom.core import audit, tabular
from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.core.text import problem as text_problem
from aiom.portfolio import permissions
from aiom.portfolio.models import UseCase
from aiom.value.derive import refresh_kpi, refresh_use_case
from aiom.value.models import KPI, Measurement
from aiom.value.rules import clean_measurement, may_record

REQUIRED = ("kpi", "value", "measured_on")
OPTIONAL = ("source", "note")
NUMBER = re.compile(r"^-?\d{1,12}(\.\d{1,4})?$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_REPORTED = 50


@dataclass(frozen=True)
class ImportReport:
    """What one import stored: how many rows, per KPI name, and the resulting dates."""

    created: int
    per_kpi: dict[str, int] = field(default_factory=dict)
    value_realised_on: dt.date | None = None


def _value(cell: str, problems: list[str]) -> str | None:
    if NUMBER.match(cell):
        return cell
    if tabular.looks_like_formula(cell):
        problems.append(f"value '{cell[:40]}' looks like a formula; only plain numbers are read")
    else:
        problems.append(f"value '{cell[:40]}' is not a plain number such as 12.5")
    return None


def _date(cell: str, problems: list[str]) -> dt.date | None:
    try:
        if ISO_DATE.match(cell):
            return dt.date.fromisoformat(cell)
    except ValueError:
        pass
    problems.append(f"measured_on '{cell[:40]}' is not a date (YYYY-MM-DD)")
    return None


Rows = list[tuple[KPI, dict[str, Any]]]


def parse(records: tabular.Records, kpis: dict[str, KPI]) -> tuple[Rows, dict[str, str]]:
    """Rows as (KPI, clean values), and every problem keyed `line N` (N counts the header)."""
    errors: dict[str, str] = {}
    if not records:
        raise InvalidInput({"file": "the file is empty"})
    header = [h.strip().lower() for h in records[0][1]]
    missing = [c for c in REQUIRED if c not in header]
    unknown = [h for h in header if h not in REQUIRED + OPTIONAL]
    if missing or unknown or len(set(header)) != len(header):
        raise InvalidInput(
            {"line 1": "the header must be kpi,value,measured_on with optional source,note"}
        )
    rows: Rows = []
    for line, cells in records[1:]:
        if len(cells) != len(header):
            errors[f"line {line}"] = f"{len(cells)} cells, but the header has {len(header)}"
            continue
        row = {h: c.strip() for h, c in zip(header, cells, strict=True)}
        problems: list[str] = [f"{h} {bad}" for h, c in row.items() if (bad := text_problem(c))]
        kpi = kpis.get(row["kpi"].casefold())
        if kpi is None:
            problems.append(f"no active KPI named '{row['kpi'][:80]}' on this use case")
        value = _value(row["value"], problems)
        day = _date(row["measured_on"], problems)
        found: dict[str, str] = {}
        clean = clean_measurement(
            value or "0", day or dt.date.min, row.get("source"), row.get("note"), found
        )
        problems.extend(f"{k} {msg}" for k, msg in found.items())
        if problems:
            errors[f"line {line}"] = "; ".join(problems)
        elif kpi is not None:
            rows.append((kpi, clean))
    if not rows and not errors:
        errors["file"] = "no measurements in the file"
    if len(errors) > MAX_REPORTED:
        more = len(errors) - MAX_REPORTED
        errors = dict(list(errors.items())[:MAX_REPORTED])
        errors["more"] = f"and {more} more lines with problems"
    return rows, errors


@transaction.atomic
def import_measurements_csv(
    *, actor: audit.Actor, use_case: UseCase, file: IO[bytes] | UploadedFile[bytes]
) -> ImportReport:
    """Store every row of the file or none; one audit event lists the rows stored."""
    kpis = list(
        KPI.objects.select_for_update()
        .filter(use_case=use_case, is_active=True)
        .select_related("use_case__org_unit")
    )
    editor = actor is None or permissions.can_edit(actor, use_case)
    if not editor and not any(may_record(actor, k) for k in kpis):
        raise PermissionDenied("only the KPIs' owners or who may edit the use case may import")
    rows, errors = parse(tabular.uploaded_records(file), {k.name.casefold(): k for k in kpis})
    if errors:
        raise InvalidInput(errors)
    refused = sorted({k.name for k, _ in rows if not may_record(actor, k)})
    if refused:
        raise PermissionDenied(f"you do not own the KPIs {', '.join(refused)}")
    user = actor if actor is not None and actor.is_authenticated else None
    now = timezone.now()
    Measurement.objects.bulk_create(
        Measurement(kpi=kpi, recorded_by=user, recorded_at=now, **clean) for kpi, clean in rows
    )
    per_kpi: dict[str, int] = {}
    for kpi, _ in rows:
        per_kpi[kpi.name] = per_kpi.get(kpi.name, 0) + 1
    listed = [{"kpi": k.name, "kpi_id": k.pk, **clean} for k, clean in rows]
    name = getattr(file, "name", "") or "upload"
    audit.record(
        actor=actor,
        action="import_measurements",
        obj=use_case,
        after={"count": len(rows), "per_kpi": per_kpi, "rows": listed},
        message=f"imported {len(rows)} measurements from {str(name)[:100]}",
    )
    for kpi in {k.pk: k for k, _ in rows}.values():
        refresh_kpi(kpi, actor=actor, cascade=False)
    realised = refresh_use_case(actor, use_case)
    return ImportReport(created=len(rows), per_kpi=per_kpi, value_realised_on=realised)
