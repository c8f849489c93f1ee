"""A migrated test database kept between runs, so a run starts without migrating.

Creating the test database by running every migration took 4 to 7 s of each run's start,
more than everything else together. The first run after a migration changes builds a
template (the migrated schema and the data migrations' rows); every run then starts from a
copy. On SQLite the template is a file under the system's temporary directory, copied to
the run's own test database in a few milliseconds and kept (pytest-django's keep-db path).
On PostgreSQL it is a database of the cluster (`aiom_tpl_<digest>`) that Django creates the
test database from (the documented `TEST["TEMPLATE"]` setting) and drops as usual.

What the apps seed after migrating (content types, permissions, the default policy, the
default themes: post_migrate receivers) is left out of the template: Django runs `migrate`
on the copy, which applies nothing and sends post_migrate, so the seeds always come from
the current code. The template's name is a digest of every migration file with Django's
version and the vendor: a changed or new migration builds a new one.
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
from django.db.utils import DatabaseError, ProgrammingError

TEMPLATES = Path(tempfile.gettempdir()) / "aiom-test-templates"
KEPT_DAYS = 7  # SQLite templates unused this long are removed when another is built
PG_PREFIX = "aiom_tpl_"


def prepare(alias: str = "default") -> bool:
    """Make sure a template matching the migrations exists and the test database will start
    from it; True when the database is already in place (SQLite: pytest-django keeps it),
    False when Django creates it (PostgreSQL from the template; another vendor by migrating).
    """
    connection = connections[alias]
    if connection.vendor == "postgresql":
        connection.settings_dict["TEST"]["TEMPLATE"] = _pg_template(connection, alias)
        return False
    target = database_path(alias)
    if target is None:
        return False
    template = TEMPLATES / f"{digest(connection.vendor)}.sqlite3"
    if not template.exists():
        _build_sqlite(template, alias)
    remove(target)
    shutil.copyfile(template, target)
    os.utime(template)  # recently used: kept by the clean-up in _build_sqlite
    return True


def database_path(alias: str = "default") -> Path | None:
    """The test database file of a SQLite alias (settings give each process its own);
    None when the alias is not a SQLite file, which is then created the ordinary way."""
    connection = connections[alias]
    name = connection.settings_dict.get("TEST", {}).get("NAME")
    if connection.vendor != "sqlite" or not name or "memory" in str(name):
        return None
    return Path(name)


def remove(path: Path) -> None:
    """A SQLite database file with its write-ahead log and shared-memory index."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        with suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()


def digest(vendor: str) -> str:
    """What the migrated schema depends on: the vendor, Django's version (and SQLite's),
    every migration file on disk, and the models of any app without migrations (made by
    run_syncdb)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    hashed = hashlib.sha256(f"{vendor} {django.__version__} {sqlite3.sqlite_version}".encode())
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


def _build_sqlite(template: Path, alias: str) -> None:
    """Migrate a fresh file without the post_migrate seeds, then move it into place whole
    (parallel runs may build the same template; the last rename wins, both are equal)."""
    TEMPLATES.mkdir(parents=True, exist_ok=True)
    building = template.with_name(f"{template.stem}.{os.getpid()}.building")
    remove(building)
    connection = connections[alias]
    with _pointed_at(connection, str(building)):
        _migrate_without_seeds(alias)
        with connection.cursor() as cursor:  # everything into the file itself
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    os.replace(building, template)
    remove(building)  # the emptied log and index left beside it
    cutoff = time.time() - KEPT_DAYS * 86400
    for old in TEMPLATES.glob("*.sqlite3"):
        with suppress(FileNotFoundError):
            if old.stat().st_mtime < cutoff:
                old.unlink()


def _pg_template(connection: BaseDatabaseWrapper, alias: str) -> str:
    """The cluster's template database for these migrations, built when missing (as a
    database of its own name, renamed when complete); older aiom templates are dropped."""
    name = f"{PG_PREFIX}{digest(connection.vendor)}"
    with connection._nodb_cursor() as cursor:  # Django's own way to reach the cluster
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [PG_PREFIX + "%"])
        existing = {row[0] for row in cursor.fetchall()}
        if name in existing:
            return name
        building = f"{name}_{os.getpid()}"
        cursor.execute(f'CREATE DATABASE "{building}"')
    with _pointed_at(connection, building):
        _migrate_without_seeds(alias)
    with connection._nodb_cursor() as cursor:
        try:
            cursor.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
        except ProgrammingError:  # another run built it meanwhile: theirs is the same
            cursor.execute(f'DROP DATABASE "{building}"')
        for old in existing:
            with suppress(DatabaseError):  # in use by a run still creating from it
                cursor.execute(f'DROP DATABASE IF EXISTS "{old}"')
    return name


def _migrate_without_seeds(alias: str) -> None:
    with post_migrate.lock:
        receivers, post_migrate.receivers = post_migrate.receivers, []
        post_migrate.sender_receivers_cache.clear()
    try:
        call_command("migrate", verbosity=0, interactive=False, database=alias, run_syncdb=True)
    finally:
        with post_migrate.lock:
            post_migrate.receivers = receivers
            post_migrate.sender_receivers_cache.clear()


@contextmanager
def _pointed_at(connection: BaseDatabaseWrapper, name: str) -> Iterator[None]:
    """The alias's connection opens database `name` until the block ends (never the real
    database)."""
    saved = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = saved
