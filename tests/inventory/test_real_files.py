"""The importer on the shared real inventories: stage counts must match the files."""

from collections import Counter
from typing import Any

import pytest

from aiom.core.models import AuditEvent
from aiom.inventory.importer import run_import
from aiom.inventory.mapping import load_preset
from aiom.organisation.models import OrgUnit
from aiom.portfolio.models import UseCase
from tests.inventory.conftest import real_file

OMB_2025 = "us-federal-2025-omb/2025_individually_reported_AI_use_cases.csv"
# Counted independently from the file (docs/real-inventories.md)
OMB_2025_STAGES = {"Pre-deployment": 1479, "Deployed": 1040, "Pilot": 440, "Retired": 314, "": 338}


@pytest.mark.django_db
def test_omb_2025_dry_run_counts_every_stage_of_the_file_and_writes_nothing() -> None:
    report = run_import(real_file(OMB_2025), actor=None, mapping=None, dry_run=True)
    assert report.preset == "omb-2025"  # detected from the headers
    assert report.encoding == "utf-8-sig"  # the byte-order mark was seen
    assert report.rows == 3611
    assert dict(report.by_source_stage) == OMB_2025_STAGES
    assert report.created + report.invalid + len(report.set_aside) == 3611
    # the real file's own defects (titles up to 500 kept), accounted for by the preset:
    # 1 blank title and 2 exact copies skipped; 7 repeated ids, 5 of them different use cases
    assert report.invalid == 0
    assert report.set_aside_by_reason == {"blank_title": 1, "identical_duplicate": 2}
    assert len(report.duplicates) == 7
    assert UseCase.objects.count() == 0
    assert OrgUnit.objects.count() == 0


@pytest.mark.django_db
def test_omb_2025_import_then_reimport_changes_nothing() -> None:
    path = real_file(OMB_2025)
    mapping = load_preset("omb-2025")
    report = run_import(path, actor=None, mapping=mapping, skip_invalid=True)
    assert report.written
    assert report.created == 3608
    imported = UseCase.objects.all()
    assert imported.count() == 3608
    stages = Counter(imported.values_list("stage", flat=True))
    lines = {p.line for p in report.errors} | {a.line for a in report.set_aside}
    assert len(lines) == 3
    # created + invalid per file stage = the file's counts
    assert stages["intake"] == 1479 + 338 - _invalid(report, path, {"Pre-deployment", ""})
    assert stages["operational"] == 1040 - _invalid(report, path, {"Deployed"})
    assert stages["pilot"] == 440 - _invalid(report, path, {"Pilot"})
    assert stages["retired"] == 314 - _invalid(report, path, {"Retired"})
    assert OrgUnit.objects.filter(parent=None).count() == 41  # 41 agencies
    assert OrgUnit.objects.filter(code="omb-cftc").exists()
    assert OrgUnit.objects.get(code="omb-cftc-dcr").parent.code == "omb-cftc"  # type: ignore[union-attr]
    events = AuditEvent.objects.count()
    event = AuditEvent.objects.filter(object_type="portfolio.usecase").last()
    assert event is not None
    assert "2025_individually_reported_AI_use_cases.csv" in event.message

    again = run_import(path, actor=None, mapping=mapping, skip_invalid=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3608)
    assert AuditEvent.objects.count() == events
    assert UseCase.objects.count() == 3608


def _invalid(report: Any, path: Any, stages: set[str]) -> int:
    """Invalid or set-aside rows whose file stage is one of `stages` (re-reading the file)."""
    from aiom.inventory.readers import read_source

    source = read_source(path)
    stage_at = {line: row["development_stage"].strip() for line, row in source.rows}
    lines = {p.line for p in report.errors} | {a.line for a in report.set_aside}
    return sum(1 for line in lines if stage_at[line] in stages)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("relative", "preset", "rows", "encoding", "stages"),
    [
        (
            "us-federal-2024/2024_consolidated_ai_inventory_raw_v2.csv",
            "us-federal-2024",
            2133,
            "cp1252",
            {"Operation and Maintenance": 874, "Retired": 142, "": 4},
        ),
        (
            "us-federal-2024/2024_consolidated_ai_inventory_raw.csv",
            "us-federal-2024",
            1757,
            "utf-8-sig",
            {"Operation and Maintenance": 627, "Retired": 133, "": 4},
        ),
        (
            "us-federal-2023/2023_consolidated_ai_inventory_raw.csv",
            "us-federal-2023",
            710,
            "utf-8",
            {"": 321, "Operation and Maintenance": 91, "Initiation": 74},
        ),
        (
            "uk-atrs/atrs_audit.csv",
            "uk-atrs",
            142,
            "utf-8",
            {"production": 88, "beta-pilot": 22, "retired": 4},
        ),
    ],
)
def test_other_real_files_are_read_and_mapped(
    relative: str, preset: str, rows: int, encoding: str, stages: dict[str, int]
) -> None:
    report = run_import(real_file(relative), actor=None, mapping=None, dry_run=True)
    assert report.preset == preset
    assert report.encoding == encoding
    assert report.rows == rows
    for stage, count in stages.items():
        assert report.by_source_stage[stage] == count
    assert report.created + report.invalid == rows
    assert not [
        p for p in report.errors if "unknown stage" in p.message and preset != "us-federal-2023"
    ]


@pytest.mark.django_db
def test_2024_headers_with_trailing_spaces_are_normalised() -> None:
    report = run_import(
        real_file("us-federal-2024/2024_consolidated_ai_inventory_raw_v2.csv"),
        actor=None,
        mapping=load_preset("us-federal-2024"),
        skip_invalid=True,
    )
    assert "Windows (CRLF) line ends" in report.notes
    assert not [n for n in report.notes if "absent" in n]  # every mapped column found
    assert UseCase.objects.filter(sourcing="buy").exists()
    assert UseCase.objects.filter(stage="feasibility").count() > 300


@pytest.mark.django_db
def test_uk_atrs_imports_completely() -> None:
    report = run_import(real_file("uk-atrs/atrs_audit.csv"), actor=None, mapping=None)
    assert report.written
    assert report.created == 142
    assert Counter(UseCase.objects.values_list("stage", flat=True)) == {
        "operational": 88,
        "pilot": 42,
        "intake": 8,
        "retired": 4,
    }
