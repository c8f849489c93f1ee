"""`aiom audit` and `aiom restore` as real processes: the exit codes monitoring relies on,
the key and anchors files they make, and a rollback through a restored backup."""

import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from tests.core.test_cli import run

NEW_UNITS = (
    "from aiom.organisation import services; "
    "[services.create_org_unit(actor=None, name=n) for n in {names!r}]"
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database and the key its events were hashed with, made once."""
    var = tmp_path_factory.mktemp("audit-cli")
    done = run(var, "migrate", "--no-input", "-v", "0")
    assert done.returncode == 0, done.stderr
    return var


def copy_of(template: Path, var: Path) -> Path:
    var.mkdir(parents=True, exist_ok=True)
    for name in ("cli.sqlite3", "audit.key"):
        shutil.copy2(template / name, var / name)  # with the key file's mode
    return var


def new_units(var: Path, *names: str) -> None:
    done = run(var, "shell", "-c", NEW_UNITS.format(names=list(names)))
    assert done.returncode == 0, done.stderr


def test_exit_codes_0_1_2_and_the_private_files(template: Path, tmp_path: Path) -> None:
    var = copy_of(template, tmp_path)
    assert stat.S_IMODE((template / "audit.key").stat().st_mode) == 0o600
    anchored = run(var, "audit", "anchor")
    assert anchored.returncode == 0, anchored.stderr
    anchors = var / "audit-anchors.jsonl"
    assert stat.S_IMODE(anchors.stat().st_mode) == 0o600
    ok = run(var, "audit", "verify")
    assert ok.returncode == 0, ok.stderr
    assert f"consistent with 1 anchors in {anchors}" in ok.stdout

    with sqlite3.connect(var / "cli.sqlite3") as db:  # a tidy cut of the last two events
        db.execute(
            "DELETE FROM core_auditevent WHERE seq > (SELECT MAX(seq) - 2 FROM core_auditevent)"
        )
        db.execute(
            "UPDATE core_auditchainhead SET seq = (SELECT MAX(seq) FROM core_auditevent), "
            "last_hash = (SELECT hash FROM core_auditevent ORDER BY seq DESC LIMIT 1)"
        )
    cut = run(var, "audit", "verify")
    assert cut.returncode == 1
    assert "audit trail TAMPERED:\n  truncated: the chain ends with #" in cut.stderr

    with anchors.open("a") as handle:
        handle.write("{not json\n")
    bad = run(var, "audit", "verify")
    assert bad.returncode == 2
    assert f"{anchors}:2: not a JSON line" in bad.stderr

    (var / "audit.key").chmod(0o640)
    bad = run(var, "audit", "verify", "--no-anchors")
    assert bad.returncode == 2
    assert f"make it private with `chmod 600 {var / 'audit.key'}`" in bad.stderr


def test_a_rollback_through_an_older_backup_is_reported_until_acknowledged(
    template: Path, tmp_path: Path
) -> None:
    var = copy_of(template, tmp_path / "var")
    backup = tmp_path / "before.backup"
    assert run(var, "backup", str(backup)).returncode == 0
    new_units(var, "Lost unit one", "Lost unit two")
    assert run(var, "audit", "anchor").returncode == 0

    restored = run(var, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert "warning: truncated: the chain ends with #" in restored.stderr
    assert "(or an older backup was restored)" in restored.stderr
    assert "move that file aside and run `aiom audit anchor`" in restored.stderr

    new_units(var, "After the restore", "And another", "And a third")  # past the anchor
    grown = run(var, "audit", "verify")
    assert grown.returncode == 1
    assert "rewritten:" in grown.stderr
    assert "first event that differs: #" in grown.stderr
    assert "create organisation.orgunit" in grown.stderr
    assert "\u201cAfter the restore\u201d" in grown.stderr

    anchors = var / "audit-anchors.jsonl"  # the documented acknowledgement
    anchors.rename(var / "audit-anchors-before-restore.jsonl")
    assert run(var, "audit", "anchor").returncode == 0
    ok = run(var, "audit", "verify")
    assert ok.returncode == 0, ok.stderr
