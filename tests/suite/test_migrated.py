"""The migrated template the test database starts from (tests/migrated.py): it holds every
migration and none of the post_migrate seeds, which the run adds itself."""

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

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="a file on SQLite")


@sqlite_only
def test_the_template_holds_every_migration_and_no_seed(db: Any) -> None:
    template = migrated.TEMPLATES / f"{migrated.digest('sqlite')}.sqlite3"
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
    if connection.vendor == "sqlite":
        assert migrated.database_path() == Path(connection.settings_dict["NAME"])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a database on PostgreSQL")
def test_postgresql_creates_the_test_database_from_the_template(db: Any) -> None:
    template = connection.settings_dict["TEST"]["TEMPLATE"]
    assert template == migrated.PG_PREFIX + migrated.digest("postgresql")
    with connection.cursor() as cursor:
        sql = "SELECT datname FROM pg_database WHERE datname LIKE %s"
        cursor.execute(sql, [migrated.PG_PREFIX + "%"])
        assert template in {row[0] for row in cursor.fetchall()}


def test_the_digest_is_stable_and_differs_by_vendor() -> None:
    assert migrated.digest("sqlite") == migrated.digest("sqlite") != migrated.digest("pg")
