"""`aiom backup PATH` / `aiom restore PATH`: the round trip gives back the same portfolio and
an audit chain that verifies; anything that is not an aiom backup is refused, saying why.

Real processes against a database of their own: SQLite here, PostgreSQL (pg_dump and
pg_restore) when the suite runs on it.
"""

import sqlite3
from pathlib import Path

import pytest

from tests.reliability import procs
from tests.reliability.procs import Child, must

REASON = "Changed after the backup, undone by the restore."


def test_a_restored_backup_is_the_same_portfolio_with_a_verified_chain(
    child: Child, tmp_path: Path
) -> None:
    must(child.import_csv(procs.inventory_csv(tmp_path / "inventory.csv", 40)))
    must(child.run_child("transition", "1", "rejected", REASON))
    saved = child.snapshot()
    backup = tmp_path / "aiom.backup"

    out = must(child.aiom("backup", str(backup)))
    assert f"to {backup}" in out
    assert backup.is_file()
    assert not backup.with_name(backup.name + ".tmp").exists()

    must(child.run_child("transition", "2", "rejected", REASON))  # after the backup
    changed = child.snapshot()
    assert changed["head"] != saved["head"]
    assert changed["use_cases"] != saved["use_cases"]

    out = must(child.aiom("restore", str(backup)))
    assert f"audit chain OK: {saved['chain_checked']} events verified" in out
    restored = child.snapshot()
    assert restored["use_cases"] == saved["use_cases"]
    assert restored["stage_changes"] == saved["stage_changes"]
    assert restored["head"] == saved["head"]
    assert restored["chain_ok"], restored["chain_problem"]

    must(child.run_child("transition", "2", "rejected", REASON))  # and it carries on
    assert child.snapshot()["chain_ok"]


def test_restore_refuses_what_is_not_an_aiom_backup(child: Child, tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n")
    done = child.aiom("restore", str(text))
    assert done.returncode == 1
    assert "is not an aiom backup: neither a SQLite database nor a pg_dump" in done.stderr

    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE things (x)")
    done = child.aiom("restore", str(other))
    assert done.returncode == 1
    if procs.on_postgresql():
        assert "is a SQLite database but not an aiom backup" in done.stderr or (
            "is a sqlite backup but this database is postgresql" in done.stderr
        )
    else:
        assert "is a SQLite database but not an aiom backup (no django_migrations" in done.stderr

    done = child.aiom("restore", str(tmp_path / "missing.backup"))
    assert done.returncode == 1
    assert "no such file" in done.stderr
    assert child.snapshot()["chain_ok"]


@pytest.mark.skipif(procs.on_postgresql(), reason="the SQLite write-lock check")
def test_a_sqlite_restore_refuses_while_another_process_writes(
    child: Child, tmp_path: Path
) -> None:
    backup = tmp_path / "aiom.backup"
    must(child.aiom("backup", str(backup)))
    database = child.url.removeprefix("sqlite:///")
    writer = sqlite3.connect(database)
    writer.execute("BEGIN IMMEDIATE")  # another process in the middle of a write
    try:
        done = child.aiom("restore", str(backup), timeout=60)
    finally:
        writer.rollback()
        writer.close()
    assert done.returncode == 1
    assert "refusing to restore: another process is writing to" in done.stderr
    assert "stop `aiom serve`, sweeps and imports first" in done.stderr
    must(child.aiom("restore", str(backup)))
