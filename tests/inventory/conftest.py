"""Helpers for the inventory tests: the shared real files and small hand-made ones."""

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from aiom.inventory.importer import run_import
from aiom.inventory.mapping import load_preset
from aiom.inventory.report import Report

DATA = Path(__file__).parents[2].parent / "shared" / "data"
OMB_HEADER = [
    "agency",
    "agency_name",
    "id",
    "use_case_name",
    "agency_bureau",
    "contact_email",
    "development_stage",
    "is_high_impact",
    "classification",
    "problem_solved",
    "benefits",
    "system_outputs",
    "operational_date",
    "vendor_name",
    "has_pii",
    # the other columns the omb-2025 preset reads (blank unless a test fills them)
    "HI_justification",
    "topic_area",
    "contracting_usage",
    "data_description",
    "hi_potential_impacts",
]


def real_file(relative: str) -> Path:
    path = DATA / relative
    if not path.is_file():
        pytest.skip(f"the shared real inventory {path} is absent (see docs/real-inventories.md)")
    return path


def omb_row(**values: str) -> dict[str, str]:
    row = dict.fromkeys(OMB_HEADER, "")
    row.update(agency="CFTC", agency_name="Commodity Futures Trading Commission")
    row.update(agency_bureau="DCR", development_stage="Pilot")
    row.update(values)
    return row


def omb_csv(
    tmp_path: Path,
    rows: list[dict[str, str]],
    *,
    name: str = "inv.csv",
    encoding: str = "utf-8",
    header: list[str] | None = None,
) -> Path:
    header = header or OMB_HEADER
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / name
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def omb_import(path: Path, **options: Any) -> Report:
    options.setdefault("actor", None)
    return run_import(path, mapping=load_preset("omb-2025"), **options)
