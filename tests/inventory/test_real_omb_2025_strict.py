"""The official 2025 federal file imports with its preset and no flags (strict): every row is
imported or, for a true data error, set aside by line and reason; nothing else is refused."""

import pytest

from aiom.inventory.importer import run_import
from aiom.inventory.mapping import load_preset
from aiom.inventory.stage_rules import StageValue
from aiom.portfolio.models import UseCase
from tests.inventory.conftest import real_file
from tests.inventory.test_real_files import OMB_2025


@pytest.mark.django_db
def test_the_2025_file_imports_strict_with_every_row_accounted_for() -> None:
    report = run_import(real_file(OMB_2025), actor=None, mapping=load_preset("omb-2025"))
    assert report.written, [str(p) for p in report.errors]
    assert (report.rows, report.created, report.invalid, report.errors) == (3611, 3608, 0, [])
    assert report.created + len(report.set_aside) == report.rows
    assert [(a.line, a.reason) for a in report.set_aside] == [
        (1065, "blank_title"),  # DOI-0015 has no name
        (1502, "identical_duplicate"),  # DOJ-0357, an exact copy of line 1468
        (2406, "identical_duplicate"),  # HHS "Chatbot" without an id, a copy of line 2405
    ]
    shared = {d.id: d for d in report.duplicates}
    assert len(shared) == 7
    copy = shared["omb-2025:DOJ:DOJ-0357"]
    assert (copy.lines, copy.identical, copy.kept_line) == ((1468, 1502), True, 1468)
    pattern = shared["omb-2025:DOJ:DOJ-0160"]
    assert not pattern.identical and "agency_bureau" in pattern.differing_columns
    assert sum(d.differing_columns == ("benefits",) for d in shared.values()) == 4  # ED pairs
    # the different use cases that shared an id are both there, each under its own id
    patterns = UseCase.objects.filter(title__startswith="Prisoner Assessment Tool Targeting")
    assert len({uc.external_id for uc in patterns}) == 2
    assert all(uc.external_id.startswith("omb-2025:DOJ:DOJ-0160~") for uc in patterns)
    assert StageValue("", 338, "intake", "blank") in report.stage_values
    assert report.contacts_kept == UseCase.objects.exclude(contact="").count() > 2000
    assert UseCase.objects.filter(vendor__iexact="n/a").count() == 0
