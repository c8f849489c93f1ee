"""Backups of the whole database and their restore (`aiom backup PATH`, `aiom restore PATH`).

SQLite: SQLite's online backup API, so a backup is consistent while aiom serves; it is
written to PATH.tmp and renamed, so PATH is either the old file or a whole new one.
Restore checks the file (a SQLite database holding aiom's tables and no migration this
code does not know) and copies it into the live database with the same API in one
transaction: readers see the old database or the new one, never a mix. It refuses while
another process is writing (the write lock is not free within a few seconds).

PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists
--single-transaction`; the binaries are looked up on PATH, then under
/usr/lib/postgresql/*/bin (newest first), as .ci/run does.
"""

import contextlib
import os
import re
import shutil
import sqlite3
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection
from django.db.migrations.loader import MigrationLoader

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
REQUIRED_TABLES = ("django_migrations", "core_auditevent", "core_auditchainhead")
WRITE_LOCK_WAIT_SECONDS = 5.0


class BackupError(Exception):
    """A backup or restore that could not be made; the message says why."""


@dataclass(frozen=True)
class Outcome:
    path: Path
    vendor: str
    seconds: float
    size: int


def _settings() -> dict[str, Any]:
    return dict(connection.settings_dict)


def _vendor() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def _tmp(path: Path) -> Path:
    return path.with_name(path.name + ".tmp")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def backup(path: Path) -> Outcome:
    """Write a consistent copy of the database to `path` (replacing it atomically)."""
    vendor, started = _vendor(), time.perf_counter()
    path = path.resolve()
    if not path.parent.is_dir():
        raise BackupError(f"no such directory: {path.parent}")
    tmp = _tmp(path)
    tmp.unlink(missing_ok=True)
    try:
        if vendor == "sqlite":
            _sqlite_backup(Path(_settings()["NAME"]), tmp)
        else:
            _pg(
                "pg_dump",
                ["--format=custom", "--no-owner", "--file", str(tmp), *_pg_target()],
            )
        _fsync(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return Outcome(path, vendor, time.perf_counter() - started, path.stat().st_size)


def _sqlite_backup(source: Path, target: Path) -> None:
    if str(source) == ":memory:" or not source.is_file():
        raise BackupError(f"the database file {source} does not exist")
    if source.resolve() == target.resolve():
        raise BackupError("the backup cannot be the database itself")
    src = sqlite3.connect(source, timeout=WRITE_LOCK_WAIT_SECONDS)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        dst.close()
        src.close()


@dataclass(frozen=True)
class Contents:
    """What a backup holds, from the file itself."""

    vendor: str
    use_cases: int | None = None
    audit_events: int | None = None


def inspect(path: Path) -> Contents:
    """Check that `path` is an aiom backup this code can restore; say why not otherwise."""
    if not path.is_file():
        raise BackupError(f"no such file: {path}")
    with path.open("rb") as handle:
        head = handle.read(16)
    if head.startswith(SQLITE_MAGIC):
        return _inspect_sqlite(path)
    if head.startswith(PGDUMP_MAGIC):
        return _inspect_pg(path)
    raise BackupError(
        f"{path} is not an aiom backup: neither a SQLite database nor a pg_dump custom archive"
    )


def _known_migrations() -> set[tuple[str, str]]:
    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def _newer_migrations(applied: set[tuple[str, str]]) -> list[str]:
    return sorted(f"{app}.{name}" for app, name in applied - _known_migrations())


def _inspect_sqlite(path: Path) -> Contents:
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            missing = [t for t in REQUIRED_TABLES if t not in tables]
            if missing:
                raise BackupError(
                    f"{path} is a SQLite database but not an aiom backup "
                    f"(no {', '.join(missing)} table)"
                )
            ok = db.execute("PRAGMA quick_check").fetchone()[0]
            if ok != "ok":
                raise BackupError(f"{path} is damaged: {ok}")
            applied = set(db.execute("SELECT app, name FROM django_migrations").fetchall())
            use_cases = (
                db.execute("SELECT COUNT(*) FROM portfolio_usecase").fetchone()[0]
                if "portfolio_usecase" in tables
                else 0
            )
            events = db.execute("SELECT COUNT(*) FROM core_auditevent").fetchone()[0]
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} cannot be read as a SQLite database: {exc}") from exc
    newer = _newer_migrations(applied)
    if newer:
        raise BackupError(
            f"{path} was made by a newer aiom (migrations unknown here: {', '.join(newer[:5])}); "
            "upgrade aiom before restoring it"
        )
    return Contents("sqlite", use_cases, events)


def _inspect_pg(path: Path) -> Contents:
    listing = _pg("pg_restore", ["--list", str(path)])
    if not re.search(r"TABLE DATA \S+ core_auditevent ", listing):
        raise BackupError(f"{path} is a pg_dump archive but not of an aiom database")
    return Contents("postgresql")


def restore(path: Path) -> Contents:
    """Replace the whole database with the backup at `path`; returns what it held."""
    vendor = _vendor()
    path = path.resolve()
    contents = inspect(path)
    if contents.vendor != vendor:
        raise BackupError(
            f"{path} is a {contents.vendor} backup but this database is {vendor}: "
            "restore it into the same kind of database"
        )
    connection.close()
    if vendor == "sqlite":
        _sqlite_restore(path, Path(_settings()["NAME"]))
    else:
        _pg(
            "pg_restore",
            [
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                *_pg_target(flag="--dbname"),
                str(path),
            ],
        )
    return contents


def _sqlite_restore(source: Path, target: Path) -> None:
    if source == target.resolve():
        raise BackupError("the backup is the database itself: nothing to restore")
    live = sqlite3.connect(target, timeout=WRITE_LOCK_WAIT_SECONDS)
    try:
        try:
            live.execute("BEGIN IMMEDIATE")
            live.execute("ROLLBACK")
        except sqlite3.OperationalError as exc:
            raise BackupError(
                f"refusing to restore: another process is writing to {target} ({exc}); "
                "stop `aiom serve`, sweeps and imports first"
            ) from exc
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            src.backup(live)  # all pages in one step: one transaction on the live database
        finally:
            src.close()
        live.execute("PRAGMA journal_mode=WAL")
    finally:
        live.close()


def pg_binary(name: str) -> str:
    """pg_dump / pg_restore: PATH first, then the newest /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return found

    def version(p: Path) -> tuple[int, ...]:
        return tuple(int(x) for x in re.findall(r"\d+", p.parent.parent.name)) or (0,)

    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=version)
    if not candidates:
        raise BackupError(f"{name} not found on PATH nor under /usr/lib/postgresql/*/bin")
    return str(candidates[-1])


def _pg_target(flag: str = "--dbname") -> list[str]:
    s = _settings()
    args = [f"{flag}={s['NAME']}"]
    if s.get("HOST"):
        args.append(f"--host={s['HOST']}")
    if s.get("PORT"):
        args.append(f"--port={s['PORT']}")
    if s.get("USER"):
        args.append(f"--username={s['USER']}")
    return [*args, "--no-password"]


def _pg(tool: str, args: list[str]) -> str:
    env = dict(os.environ)
    password = _settings().get("PASSWORD")
    if password:
        env["PGPASSWORD"] = str(password)
    with contextlib.suppress(KeyError):
        del env["PGOPTIONS"]
    result = subprocess.run(  # noqa: S603 - fixed binary, arguments from settings
        [pg_binary(tool), *args], capture_output=True, text=True, env=env, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{tool} failed: {result.stderr.strip() or result.returncode}")
    return result.stdout
