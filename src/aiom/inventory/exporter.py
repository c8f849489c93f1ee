"""Export the portfolio as CSV, XLSX, JSON (aiom's columns) or in an imported file's columns.

`omb-2025`, `uk-atrs` (any preset listing `export.columns`) write use cases back in that
file's columns through `source_format.Writer`: what the import brought in comes back
unchanged, the rest from aiom's fields (docs/inventory-import.md, "Round trip"). aiom's
own formats carry each use case's contact and source attributes (CSV/XLSX: one JSON
cell; JSON: an object), and dates at their precision (2022-03, 2022), so that the `aiom`
preset reads back exactly what was written.

CSV and XLSX cells that a spreadsheet would run as a formula (starting with = + - @, tab
or carriage return) are prefixed with `'`; the `aiom` import preset strips that prefix
again, so a round trip keeps the text. JSON is written as is (no spreadsheet reads it).

Stored text never breaks an export: CSV and JSON keep every character (control characters
included: lossless), while XLSX cannot hold the C0 control characters other than tab and
line breaks, so each is written as its visible Unicode control picture (U+0001 as U+2401,
...). The `external_source` column says which import gave each external id (blank: set by
hand), so re-importing an export updates the same use cases.
"""

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from aiom.core import tabular
from aiom.core.partial_dates import shown
from aiom.inventory import source_attributes, source_format
from aiom.inventory.mapping import load_preset
from aiom.organisation.models import OrgUnit
from aiom.portfolio.models import UseCase

FORMATS = ("csv", "xlsx", "json", *source_format.formats())
PATH_SEPARATOR = " \u203a "  # a single right-pointing angle quotation mark
COLUMNS = [
    "external_id",
    "external_source",
    "title",
    "problem",
    "description",
    "value_hypothesis",
    "org_unit_path",
    "org_unit_codes",
    "stage",
    "stage_entered_on",
    "proposed_on",
    "owner_email",
    "contact",
    "theme",
    "ai_type",
    "sourcing",
    "vendor",
    "environment",
    "customer_facing",
    "personal_data",
    "automated_decisions",
    "confidential",
    "risk_notes",
    "expected_benefit_amount",
    "expected_benefit_currency",
    "source_attributes",
]
OMB_2025_COLUMNS = source_format.columns(load_preset("omb-2025"))
# the federal file's words for aiom's values (the preset's export tables; transparency's feeds)
OMB_STAGES = source_format.table(load_preset("omb-2025"), "stage")
OMB_CLASSIFICATION = source_format.table(load_preset("omb-2025"), "ai_type")
_NOT_IN_XLSX = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what an XLSX cell cannot hold


def xlsx_safe(value: str) -> str:
    """Text an XLSX cell can hold: each forbidden control character as its control picture."""
    return _NOT_IN_XLSX.sub(lambda m: chr(0x2400 + ord(m.group())), value)


def select(*, user: Any = None, stages: Iterable[str] = (), org_unit: OrgUnit | None = None) -> Any:
    """The use cases to export: what `user` may see (everything for the system), filtered."""
    qs = UseCase.objects.all() if user is None else UseCase.objects.visible_to(user)
    stages = list(stages)
    if stages:
        qs = qs.filter(stage__in=stages)
    if org_unit is not None:
        qs = qs.filter(Q(org_unit__path__startswith=org_unit.path))
    return qs.with_relations().order_by("org_unit__path", "title", "pk")


def records(use_cases: Iterable[UseCase]) -> list[dict[str, Any]]:
    """One flat record per use case in aiom's own columns (what the `aiom` preset reads)."""
    units = {u.pk: u for u in OrgUnit.objects.all()}
    out = []
    for uc in use_cases:
        chain = [units[i] for i in uc.org_unit.ancestor_ids() if i in units]
        out.append(
            {
                "external_id": uc.external_id or f"aiom:{uc.pk}",
                "external_source": uc.external_source if uc.external_id else "",
                "title": uc.title,
                "problem": uc.problem,
                "description": uc.description,
                "value_hypothesis": uc.value_hypothesis,
                "org_unit_path": PATH_SEPARATOR.join(u.name for u in chain),
                "org_unit_codes": "/".join(u.code for u in chain),
                "stage": uc.stage,
                "stage_entered_on": _day(uc.stage_entered_on, uc.stage_entered_precision),
                "proposed_on": _day(uc.proposed_on, uc.proposed_precision),
                "owner_email": uc.owner.email if uc.owner else "",
                "contact": uc.contact,
                "theme": uc.theme.key if uc.theme else "",
                "ai_type": uc.ai_type,
                "sourcing": uc.sourcing,
                "vendor": uc.vendor,
                "environment": uc.environment,
                "customer_facing": uc.customer_facing,
                "personal_data": uc.personal_data,
                "automated_decisions": uc.automated_decisions,
                "confidential": uc.confidential,
                "risk_notes": uc.risk_notes,
                "expected_benefit_amount": (
                    "" if uc.expected_benefit_amount is None else str(uc.expected_benefit_amount)
                ),
                "expected_benefit_currency": uc.expected_benefit_currency,
                "source_attributes": dict(uc.source_attributes or {}),
            }
        )
    return out


def _day(day: dt.date | None, precision: str) -> str:
    """A date as ISO text at its precision; an unknown one stays blank (never a made-up day)."""
    return shown(day, precision, unknown="")


def _text(value: Any) -> str:
    if isinstance(value, dict):  # source attributes: one JSON cell
        return source_attributes.as_text(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def to_csv(rows: list[dict[str, Any]], columns: list[str]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([tabular.neutralise(_text(row.get(c))) for c in columns])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(rows: list[dict[str, Any]], columns: list[str]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("use cases")
    sheet.append(columns)
    for row in rows:
        sheet.append([xlsx_safe(tabular.neutralise(_text(row.get(c)))) for c in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_json(rows: list[dict[str, Any]]) -> bytes:
    document = {"format": "aiom-portfolio", "version": 1, "use_cases": rows}
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def export(fmt: str, use_cases: Iterable[UseCase]) -> bytes:
    """The chosen format's bytes (a preset's format is CSV in that file's columns)."""
    if fmt in FORMATS[3:]:
        writer = source_format.Writer(load_preset(fmt))
        written = writer.rows(use_cases)  # first: it adds the kept columns the preset lacks
        return to_csv(written, writer.columns)
    rows = records(use_cases)
    if fmt == "csv":
        return to_csv(rows, COLUMNS)
    if fmt == "xlsx":
        return to_xlsx(rows, COLUMNS)
    if fmt == "json":
        return to_json(rows)
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
