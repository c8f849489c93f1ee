"""A migrated SQLite test database kept between runs, so a run starts without migrating.

Creating the test database by running every migration took 4 to 7 s of each run's start,
more than everything else together. The first run after a migration changes builds a
template (the migrated schema and the data migrations' rows) under the system's temporary
directory; every run copies it to its own test database in a few milliseconds.

What the apps seed after migrating (content types, permissions, the default policy, the
default themes: post_migrate receivers) is left out of the template: Django's keep-db path
runs `migrate` on the copy, which applies nothing and sends post_migrate, so the seeds
always come from the current code. The template's name is a digest of every migration file
with Django's and SQLite's versions: a changed or new migration builds a new one.
"""

import hashlib
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import django
from django.apps import apps
from django.core.management import call_command
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.db.models.signals import post_migrate

TEMPLATES = Path(tempfile.gettempdir()) / "aiom-test-templates"
KEPT_DAYS = 7  # templates unused this long are removed when another is built


def database_path(alias: str = "default") -> Path | None:
    """The test database file of a SQLite alias (settings give each process its own);
    None when the alias is not a SQLite file, which is then created the ordinary way."""
    connection = connections[alias]
    name = connection.settings_dict.get("TEST", {}).get("NAME")
    if connection.vendor != "sqlite" or not name or "memory" in str(name):
        return None
    return Path(name)


def copy_template(alias: str = "default") -> Path | None:
    """Put a migrated database at the alias's test path (building the template if none
    matches the migrations); the path, or None when the alias is not a SQLite file."""
    target = database_path(alias)
    if target is None:
        return None
    template = TEMPLATES / f"{digest()}.sqlite3"
    if not template.exists():
        _build(template, alias)
    remove(target)
    shutil.copyfile(template, target)
    os.utime(template)  # recently used: kept by the clean-up in _build
    return target


def remove(path: Path) -> None:
    """A SQLite database file with its write-ahead log and shared-memory index."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        with suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()


def digest() -> str:
    """What the migrated schema depends on: Django's and SQLite's versions, every migration
    file on disk, and the models of any app without migrations (made by run_syncdb)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    hashed = hashlib.sha256(f"{django.__version__} {sqlite3.sqlite_version}".encode())
    for key in sorted(loader.disk_migrations):
        hashed.update(".".join(key).encode())
        hashed.update(_source(loader.disk_migrations[key].__module__))
    for label in sorted(loader.unmigrated_apps):
        hashed.update(label.encode())
        hashed.update(_source(f"{apps.get_app_config(label).name}.models"))
    return hashed.hexdigest()[:32]


def _source(module: str) -> bytes:
    found = sys.modules.get(module)
    path = getattr(found, "__file__", None)
    return Path(path).read_bytes() if path else b""


def _build(template: Path, alias: str) -> None:
    """Migrate a fresh file without the post_migrate seeds, then move it into place whole
    (parallel runs may build the same template; the last rename wins, both are equal)."""
    TEMPLATES.mkdir(parents=True, exist_ok=True)
    building = template.with_name(f"{template.stem}.{os.getpid()}.building")
    remove(building)
    connection = connections[alias]
    with _pointed_at(connection, building), _without_seeds():
        call_command("migrate", verbosity=0, interactive=False, database=alias, run_syncdb=True)
        with connection.cursor() as cursor:  # everything into the file itself
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    os.replace(building, template)
    remove(building)  # the emptied log and index left beside it
    _forget_unused()


@contextmanager
def _pointed_at(connection: BaseDatabaseWrapper, path: Path) -> Iterator[None]:
    """The alias's connection opens `path` until the block ends (never the real database)."""
    saved = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = saved


@contextmanager
def _without_seeds() -> Iterator[None]:
    with post_migrate.lock:
        receivers, post_migrate.receivers = post_migrate.receivers, []
        post_migrate.sender_receivers_cache.clear()
    try:
        yield
    finally:
        with post_migrate.lock:
            post_migrate.receivers = receivers
            post_migrate.sender_receivers_cache.clear()


def _forget_unused() -> None:
    cutoff = time.time() - KEPT_DAYS * 86400
    for old in TEMPLATES.glob("*.sqlite3"):
        with suppress(FileNotFoundError):
            if old.stat().st_mtime < cutoff:
                old.unlink()
