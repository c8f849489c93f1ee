"""The register as files: JSON, CSV (public columns) and the OMB 2025 inventory layout.

The OMB layout reuses the inventory exporter's columns, vocabularies and CSV writer, but
not its `omb_records`: that one reads internal fields (owner email, problem, benefits,
description, vendor, personal data). Here every OMB column is filled from the public
entry only and the rest stay blank:

    agency / agency_name   the publisher (policy `transparency.organisation`)
    id                     the public reference (random, never a database id)
    use_case_name          name
    agency_bureau          org unit name
    contact_email          the public contact
    is_withheld            "No" (withheld use cases are simply absent)
    development_stage      the stage, in OMB's words
    classification         the AI type, in OMB's words
    problem_solved         the public summary
"""

from __future__ import annotations

import json
import re

from aiom.inventory.exporter import (
    OMB_2025_COLUMNS,
    OMB_CLASSIFICATION,
    OMB_STAGES,
    to_csv,
)
from aiom.transparency.register import PUBLIC_FIELDS, Register


def to_json(register: Register) -> bytes:
    document = {
        "format": "aiom-transparency-register",
        "version": 1,
        "organisation": register.organisation,
        "count": register.count,
        "use_cases": [e.as_dict() for e in register.entries],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def to_public_csv(register: Register) -> bytes:
    return to_csv([e.as_dict() for e in register.entries], PUBLIC_FIELDS)


def agency_code(name: str) -> str:
    """An agency abbreviation from the publisher's name: initials, upper case."""
    words = re.findall(r"[A-Za-z0-9]+", name)
    return "".join(w[0] for w in words).upper()[:12] or "ORG"


def omb_rows(register: Register) -> list[dict[str, str]]:
    code = agency_code(register.organisation)
    rows = []
    for e in register.entries:
        row = dict.fromkeys(OMB_2025_COLUMNS, "")
        row.update(
            agency=code,
            agency_name=register.organisation,
            id=e.reference,
            use_case_name=e.name,
            agency_bureau=e.org_unit,
            contact_email=e.contact,
            is_withheld="No",
            development_stage=OMB_STAGES.get(e.stage_key, ""),
            classification=OMB_CLASSIFICATION.get(e.ai_type_key, "Other"),
            problem_solved=e.summary,
        )
        rows.append(row)
    return rows


def to_omb_csv(register: Register) -> bytes:
    return to_csv(omb_rows(register), OMB_2025_COLUMNS)
