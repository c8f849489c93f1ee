"""`aiom import` and `aiom export` from the command line."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from aiom.inventory.models import ImportRun
from aiom.portfolio.models import UseCase
from tests.conftest import World
from tests.inventory.conftest import omb_csv, omb_row


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_import_command_dry_run_then_real(tmp_path: Path) -> None:
    path = str(omb_csv(tmp_path, [omb_row(id="C-1", use_case_name="Cli")]))
    out, _ = _run(path, "--preset", "omb-2025", "--dry-run")
    assert "dry run, nothing written" in out
    assert "created 1, updated 0, unchanged 0, invalid 0" in out
    assert "+ Commodity Futures Trading Commission (omb-cftc)" in out
    assert UseCase.objects.count() == 0
    out, _ = _run(path, "--preset", "omb-2025")
    assert UseCase.objects.get().title == "Cli"
    assert ImportRun.objects.get().created == 1
    out, _ = _run(path)  # the preset is detected
    assert "created 0, updated 0, unchanged 1" in out


@pytest.mark.django_db
def test_import_command_refuses_an_invalid_file_unless_skipping(tmp_path: Path) -> None:
    rows = [omb_row(id="C-1", use_case_name="Ok"), omb_row(id="C-2", use_case_name="T" * 501)]
    path = str(omb_csv(tmp_path, rows))
    with pytest.raises(CommandError, match="nothing was imported"):
        _run(path, "--preset", "omb-2025")
    assert UseCase.objects.count() == 0
    out, _ = _run(path, "--preset", "omb-2025", "--skip-invalid", "--progress")
    assert "line 3, use_case_name: error: title is 501 characters" in out
    assert UseCase.objects.count() == 1


@pytest.mark.django_db
def test_import_command_with_a_mapping_file(tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "name: tiny\nexternal_id: {prefix: 'tiny:', column: ref}\n"
        "org_units: [{name: dept, code: 'tiny-{dept}'}]\n"
        "fields: {title: name}\nstage: {column: status, values: {live: operational}}\n"
    )
    data = tmp_path / "tiny.csv"
    data.write_text("ref,name,dept,status\n1,Tiny thing,Finance,live\n")
    _run(str(data), "--mapping", str(mapping))
    uc = UseCase.objects.get()
    assert (uc.external_id, uc.stage, uc.org_unit.code) == ("tiny:1", "operational", "tiny-finance")


def test_import_command_rejects_a_broken_mapping(tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text("fields: [")
    with pytest.raises(CommandError, match="the mapping cannot be used"):
        _run(str(mapping), "--mapping", str(mapping))


def test_import_command_as_a_non_administrator_is_refused(tmp_path: Path, world: World) -> None:
    path = str(omb_csv(tmp_path, [omb_row(id="C-1", use_case_name="Cli")]))
    with pytest.raises(CommandError, match="bob is not an administrator"):
        _run(path, "--preset", "omb-2025", "--as", "bob")
    _run(path, "--preset", "omb-2025", "--as", "ada")
    assert UseCase.objects.get(title="Cli").proposed_by == world.ada
