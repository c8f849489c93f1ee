"""Small hand-made files and mappings for the mapping-language tests (not a real register)."""

import csv
import io
from pathlib import Path
from typing import Any

import yaml

from aiom.inventory.importer import run_import
from aiom.inventory.mapping import load_mapping
from aiom.inventory.report import Report

HEADER = ["id", "name", "unit", "status", "vendor", "year", "mail"]
BASE: dict[str, Any] = {
    "name": "small",
    "external_id": {"column": "id"},
    "org_units": [{"name": "unit"}],
    "fields": {"title": "name", "vendor": "vendor"},
    "stage": {
        "column": "status",
        "values": {"live": "operational", "pilot": "pilot"},
        "blank": "intake",
    },
}


def mapping_text(**changes: Any) -> str:
    """The base mapping with top-level keys replaced (None removes a key)."""
    data = {**BASE, **changes}
    return yaml.safe_dump({k: v for k, v in data.items() if v is not None}, sort_keys=False)


def row(**values: str) -> dict[str, str]:
    out = dict.fromkeys(HEADER, "")
    out.update(unit="Finance", status="live")
    out.update(values)
    return out


def small_csv(tmp_path: Path, rows: list[dict[str, str]], header: list[str] | None = None) -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=header or HEADER, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "small.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def small_import(
    tmp_path: Path,
    rows: list[dict[str, str]],
    *,
    header: list[str] | None = None,
    **changes: Any,
) -> Report:
    """Import `rows` strictly (no flags) with the base mapping changed by `changes`."""
    mapping = load_mapping(mapping_text(**changes), base=tmp_path)
    return run_import(small_csv(tmp_path, rows, header), actor=None, mapping=mapping)
