"""Export the portfolio as CSV, XLSX, JSON (aiom's columns) or the US federal 2025 columns.

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

from aiom.organisation.models import OrgUnit
from aiom.portfolio.models import UseCase

FORMATS = ("csv", "xlsx", "json", "omb-2025")
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
]
OMB_2025_COLUMNS = [
    "agency",
    "agency_name",
    "id",
    "use_case_name",
    "agency_bureau",
    "contact_email",
    "is_withheld",
    "development_stage",
    "is_high_impact",
    "HI_justification",
    "topic_area",
    "classification",
    "problem_solved",
    "benefits",
    "system_outputs",
    "operational_date",
    "contracting_usage",
    "vendor_name",
    "have_ato",
    "system_name_ato",
    "data_description",
    "link_to_data",
    "has_pii",
    "pia_url",
    "demographic_features",
    "has_custom_code",
    "code_url",
    "hi_testing_conducted",
    "hi_assessment_completed",
    "hi_potential_impacts",
    "hi_independent_review",
    "hi_ongoing_monitoring",
    "hi_training_established",
    "hi_failsafe_presence",
    "hi_appeal_process",
    "hi_public_consultation",
]
OMB_STAGES = {
    "intake": "Pre-deployment",
    "feasibility": "Pre-deployment",
    "risk_review": "Pre-deployment",
    "pilot": "Pilot",
    "scaling": "Deployed",
    "operational": "Deployed",
    "retired": "Retired",
    "rejected": "Retired",
    "stopped": "Retired",
}
OMB_CLASSIFICATION = {
    "predictive": "Classical ML",
    "generative": "Generative AI",
    "vision": "Computer Vision",
    "nlp": "NLP",
    "agent": "Agentic AI",
    "optimisation": "Reinforcement Learning",
}
OMB_SOURCING = {
    "buy": "Vendor Purchased",
    "build": "In-house Development",
    "partner": "Contracting and In House",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NOT_IN_XLSX = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what an XLSX cell cannot hold


def xlsx_safe(value: str) -> str:
    """Text an XLSX cell can hold: each forbidden control character as its control picture."""
    return _NOT_IN_XLSX.sub(lambda m: chr(0x2400 + ord(m.group())), value)


def neutralise(value: str) -> str:
    """Text a spreadsheet will show, never run: a leading formula character gets a `'`.

    Text that already looks neutralised (`'=...`) gets one more, so that the `aiom`
    preset, which strips exactly one, gives the original back.
    """
    if value.lstrip("'").startswith(_FORMULA_START):
        return "'" + value
    return value


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
                "stage_entered_on": _day(uc.stage_entered_on),
                "proposed_on": _day(uc.proposed_on),
                "owner_email": uc.owner.email if uc.owner else "",
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
            }
        )
    return out


def _day(day: dt.date | None) -> str:
    """A date as ISO text; an unknown one stays blank (never a made-up day)."""
    return "" if day is None else day.isoformat()


def omb_records(use_cases: Iterable[UseCase]) -> list[dict[str, str]]:
    """The US federal 2025 inventory's 36 columns; what aiom does not know stays blank."""
    units = {u.pk: u for u in OrgUnit.objects.all()}
    out = []
    for uc in use_cases:
        chain = [units[i] for i in uc.org_unit.ancestor_ids() if i in units]
        # the agency: the first unit an OMB import made (omb-...), else the top of the tree
        top = next((u for u in chain if u.code.startswith("omb-")), chain[0])
        leaf = chain[-1]
        row = dict.fromkeys(OMB_2025_COLUMNS, "")
        row.update(
            agency=top.code.removeprefix("omb-").upper(),
            agency_name=top.name,
            id=uc.external_id.rsplit(":", 1)[-1] if uc.external_id else f"AIOM-{uc.pk}",
            use_case_name=uc.title,
            agency_bureau=leaf.name if leaf is not top else "",
            contact_email=uc.owner.email if uc.owner else "",
            development_stage=OMB_STAGES.get(uc.stage, ""),
            classification=OMB_CLASSIFICATION.get(uc.ai_type, "Other"),
            problem_solved=uc.problem,
            benefits=uc.value_hypothesis,
            system_outputs=uc.description,
            operational_date=_day(uc.proposed_on),
            contracting_usage=OMB_SOURCING.get(uc.sourcing, ""),
            vendor_name=uc.vendor,
            has_pii="Yes" if uc.personal_data else "No",
            demographic_features="[]",
            hi_public_consultation="[]",
        )
        out.append(row)
    return out


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def to_csv(rows: list[dict[str, Any]], columns: list[str]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([neutralise(_text(row.get(c))) for c in columns])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(rows: list[dict[str, Any]], columns: list[str]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("use cases")
    sheet.append(columns)
    for row in rows:
        sheet.append([xlsx_safe(neutralise(_text(row.get(c)))) for c in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_json(rows: list[dict[str, Any]]) -> bytes:
    document = {"format": "aiom-portfolio", "version": 1, "use_cases": rows}
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def export(fmt: str, use_cases: Iterable[UseCase]) -> bytes:
    """The chosen format's bytes (omb-2025 is CSV in the federal inventory's columns)."""
    if fmt == "omb-2025":
        return to_csv(list(omb_records(use_cases)), OMB_2025_COLUMNS)
    rows = records(use_cases)
    if fmt == "csv":
        return to_csv(rows, COLUMNS)
    if fmt == "xlsx":
        return to_xlsx(rows, COLUMNS)
    if fmt == "json":
        return to_json(rows)
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
