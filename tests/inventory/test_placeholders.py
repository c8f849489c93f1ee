"""Cells meaning "nothing" (N/A, n.v.t., TBD, -, unknown, ...) read as blank in mapped fields."""

from pathlib import Path

import pytest

from aiom.portfolio.models import UseCase
from tests.inventory.small_files import row, small_import

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text",
    ["N/A", "n/a", "NA", "n.v.t.", "nvt", "none", "None", "-", "\u2014", "TBD", "TBA", "unknown",
     "onbekend", "inconnu", "unbekannt", "k.A.", "s.o.", "null", "?", "  N/A  ", "K. A."],
)  # fmt: skip
def test_a_placeholder_is_never_a_vendor(tmp_path: Path, text: str) -> None:
    report = small_import(tmp_path, [row(id="1", name="Tool", vendor=text)])
    assert report.written
    assert UseCase.objects.get().vendor == ""
    assert report.placeholders_blanked == {"vendor": 1}


def test_real_values_are_kept(tmp_path: Path) -> None:
    rows = [row(id="1", name="Tool", vendor="NASA"), row(id="2", name="Other", vendor="No-one Ltd")]
    report = small_import(tmp_path, rows)
    assert set(UseCase.objects.values_list("vendor", flat=True)) == {"NASA", "No-one Ltd"}
    assert report.placeholders_blanked == {}


def test_a_mapping_extends_or_replaces_the_placeholders(tmp_path: Path) -> None:
    rows = [row(id="1", name="Tool", vendor="Leeg"), row(id="2", name="Two", vendor="N/A")]
    report = small_import(tmp_path, rows, placeholders=["leeg"])
    assert set(UseCase.objects.values_list("vendor", flat=True)) == {""}
    assert report.placeholders_blanked == {"vendor": 2}
    UseCase.objects.all().delete()
    replaced = small_import(tmp_path, rows, placeholders={"replace": ["leeg"]}, name="other")
    assert set(UseCase.objects.values_list("vendor", flat=True)) == {"", "N/A"}
    assert replaced.placeholders_blanked == {"vendor": 1}


def test_a_placeholder_id_falls_back_and_a_placeholder_title_is_blank(tmp_path: Path) -> None:
    rows = [row(id="TBD", name="Tool"), row(id="2", name="n.v.t.")]
    report = small_import(
        tmp_path, rows, external_id={"column": "id", "fallback": ["unit", "name"]}
    )
    assert report.invalid == 1
    assert "blank title" in report.errors[0].message
    assert report.placeholders_blanked == {"id": 1, "name": 1}
    text = "\n".join(report.lines())
    assert "placeholders read as blank (cells per column): " in text
