"""Lossless exports on the real files: import, export, compare cell by cell, import again.

The only differences allowed between a real file and aiom's export of it are the
documented normalisations (aiom.inventory.roundtrip.NORMALISATIONS, listed in
docs/inventory-import.md "Round trip"); a second import of the export is a no-op.
"""

from collections import Counter
from pathlib import Path

import pytest

from aiom.inventory.roundtrip import NORMALISATIONS
from aiom.inventory.roundtrip_run import run
from aiom.portfolio.models import UseCase
from tests.inventory.conftest import real_file

OMB_2025 = "us-federal-2025-omb/2025_individually_reported_AI_use_cases.csv"
UK_ATRS = "uk-atrs/atrs_audit.csv"
# rows the import sets aside by name (1 blank title, 2 exact copies): ../test_real_files.py
OMB_IMPORTED = 3608
UK_IMPORTED = 142


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("relative", "preset", "imported"),
    [(OMB_2025, "omb-2025", OMB_IMPORTED), (UK_ATRS, "uk-atrs", UK_IMPORTED)],
)
def test_real_file_export_in_its_own_format_differs_only_by_normalisations(
    tmp_path: Path, relative: str, preset: str, imported: int
) -> None:
    trip = run(real_file(relative), preset=preset, fmt=preset, work=tmp_path)
    assert trip.first.written
    assert trip.imported == trip.first.created == imported
    comparison = trip.comparison
    assert comparison is not None
    assert comparison.header_differences == []
    assert comparison.matched == imported  # every imported row is exported, matched by id
    assert comparison.not_exported == [] and comparison.not_in_file == []
    assert comparison.differences == 0, "\n".join(comparison.lines())
    assert set(comparison.normalised) <= set(NORMALISATIONS)
    second = trip.second
    assert second is not None and trip.no_op
    assert second.unchanged == imported
    assert UseCase.objects.count() == imported


@pytest.mark.django_db
def test_omb_2025_export_brings_back_every_column_the_import_read(tmp_path: Path) -> None:
    """The columns the issue found empty after an export are full again, value for value."""
    trip = run(real_file(OMB_2025), preset="omb-2025", fmt="omb-2025", work=tmp_path)
    assert trip.comparison is not None
    columns = trip.comparison.columns
    for column in ("is_high_impact", "topic_area", "HI_justification", "hi_potential_impacts"):
        assert columns[column].same == OMB_IMPORTED, column  # identical in every row
    # the import-side risk notes and descriptions survive the second import untouched
    notes = Counter(bool(uc.risk_notes) for uc in UseCase.objects.all())
    assert notes[True] >= 3175
    assert not UseCase.objects.filter(description__contains="System outputs: System outputs:")


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
@pytest.mark.parametrize(
    ("relative", "preset", "imported"),
    [(OMB_2025, "omb-2025", OMB_IMPORTED), (UK_ATRS, "uk-atrs", UK_IMPORTED)],
)
def test_real_file_through_aiom_formats_reimports_unchanged(
    tmp_path: Path, relative: str, preset: str, imported: int, fmt: str
) -> None:
    if fmt != "csv" and preset == "omb-2025" and not _slow_allowed():
        pytest.skip("the 2025 file through XLSX/JSON: set AIOM_SLOW_ROUNDTRIP=1 (about 25 s each)")
    trip = run(real_file(relative), preset=preset, fmt=fmt, work=tmp_path)
    second = trip.second
    assert second is not None and trip.no_op, "\n".join(second.lines() if second else [])
    assert second.unchanged == imported
    assert trip.exports_identical  # export -> import -> export gives the same file


def _slow_allowed() -> bool:
    import os

    return os.environ.get("AIOM_SLOW_ROUNDTRIP") == "1"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("relative", "preset"),
    [
        ("us-federal-2024/2024_consolidated_ai_inventory_raw_v2.csv", "us-federal-2024"),
        ("us-federal-2023/2023_consolidated_ai_inventory_raw.csv", "us-federal-2023"),
    ],
)
def test_earlier_federal_files_round_trip_the_rows_they_import(
    tmp_path: Path, relative: str, preset: str
) -> None:
    """These files hold rows with true data errors (the import names them): the rows it
    imports come back exactly or by a normalisation, including dates read only in some
    stages (2024: Date Implemented) and first-stage entry days not written."""
    trip = run(real_file(relative), preset=preset, fmt=preset, work=tmp_path, skip_invalid=True)
    comparison = trip.comparison
    assert comparison is not None and trip.imported > 0
    assert comparison.matched == trip.imported
    assert comparison.differences == 0, "\n".join(comparison.lines())
    assert trip.no_op
