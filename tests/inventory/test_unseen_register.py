"""A register aiom has no preset for (Dutch headers and free-text statuses), imported with a
mapping a user wrote: every mapping-language feature together, strict, every row accounted for."""

import csv
import io
from pathlib import Path

import pytest

from aiom.inventory.importer import run_import
from aiom.inventory.mapping import load_mapping
from aiom.portfolio.models import UseCase

MAPPING = """
name: gemeente-register
external_id: {column: Nummer, fallback: [Organisatie, Naam]}
org_units: [{name: Organisatie}]
fields: {title: Naam, description: Omschrijving, vendor: Leverancier}
contact: Contact
stage:
  column: Status
  contains: {retired: [buiten gebruik, gestopt], operational: [in gebruik]}
  regex: {feasibility: ['^in (ontwikkeling|onderzoek)'], pilot: ['\\bpilot']}
  blank: intake
where_not: {Publicatie: concept}
duplicates: {latest_by: Bijgewerkt}
skip_rows: [blank_title]
placeholders: [leeg]
"""
HEADER = ["Nummer", "Naam", "Organisatie", "Omschrijving", "Leverancier", "Status", "Contact",
          "Publicatie", "Bijgewerkt"]  # fmt: skip
ROWS = [
    ["1", "Scanauto parkeren", "Utrecht", "Kentekens scannen", "n.v.t.", "In gebruik sinds 2020",
     "https://utrecht.nl/algoritmes", "gepubliceerd", "2023-01-05"],
    ["1", "Scanauto parkeren", "Utrecht", "Kentekens scannen (bijgewerkt)", "ScanCorp",
     "In gebruik", "algoritmes@utrecht.nl", "gepubliceerd", "2024-03-01"],
    ["", "Chatbot", "Delft", "Vragen", "Leeg", "In ontwikkeling", "", "gepubliceerd", ""],
    ["3", "Proef", "Delft", "", "", "Pilotfase", "-", "gepubliceerd", ""],
    ["4", "Oud", "Delft", "", "", "Buiten gebruik gesteld", "", "gepubliceerd", ""],
    ["5", "Ontwerp", "Delft", "", "", "", "", "Concept", ""],
    ["6", "n.v.t.", "Delft", "", "", "", "", "gepubliceerd", ""],
]  # fmt: skip


@pytest.mark.django_db
def test_a_register_without_a_preset_imports_with_a_written_mapping(tmp_path: Path) -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([HEADER, *ROWS])
    path = tmp_path / "register.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    report = run_import(path, actor=None, mapping=load_mapping(MAPPING))
    assert report.written, [str(p) for p in report.errors]
    assert (report.rows, report.created, report.invalid) == (7, 4, 0)
    assert [(a.line, a.reason) for a in report.set_aside] == [
        (7, "filtered"),
        (8, "blank_title"),
        (2, "superseded_duplicate"),
    ]
    by_title = {uc.title: uc for uc in UseCase.objects.all()}
    scan = by_title["Scanauto parkeren"]
    assert (scan.stage, scan.vendor, scan.contact) == (
        "operational",
        "ScanCorp",
        "algoritmes@utrecht.nl",
    )
    assert (by_title["Chatbot"].stage, by_title["Chatbot"].vendor) == ("feasibility", "")
    assert by_title["Proef"].stage == "pilot"
    assert (by_title["Oud"].stage, by_title["Oud"].contact) == ("retired", "")
    assert {v.value: v.stage for v in report.stage_values}["Buiten gebruik gesteld"] == "retired"
