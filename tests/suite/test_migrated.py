"""The migrated template the SQLite test database is copied from (tests/migrated.py): it
holds every migration and none of the post_migrate seeds, which the run adds itself."""

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from aiom.governance.models import PolicyVersion
from aiom.portfolio.models import Theme
from tests import migrated

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL creates its test database by migrating"
)


def test_the_template_holds_every_migration_and_no_seed(db: Any) -> None:
    template = migrated.TEMPLATES / f"{migrated.digest()}.sqlite3"
    assert template.exists()
    with closing(sqlite3.connect(template)) as raw:
        applied = raw.execute("SELECT COUNT(*) FROM django_migrations").fetchone()[0]
        seeded = {
            table: raw.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
            for table in ("portfolio_theme", PolicyVersion._meta.db_table, "django_content_type")
        }
    assert applied == len(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    assert seeded == dict.fromkeys(seeded, 0)


def test_the_run_seeded_its_copy_with_the_current_code(db: Any) -> None:
    assert Theme.objects.count() == 5
    assert PolicyVersion.objects.exists()
    assert migrated.database_path() == Path(connection.settings_dict["NAME"])


def test_the_digest_is_stable() -> None:
    assert migrated.digest() == migrated.digest()
