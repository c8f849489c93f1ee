"""SQLite gets planner figures for indexes a migration added; PostgreSQL needs nothing."""

from django.core.management import call_command
from django.db import connection

from aiom.core import dbstats
from tests.conftest import World


def test_indexes_without_figures_are_analyzed_once(world: World) -> None:
    if connection.vendor != "sqlite":
        assert dbstats.refresh() == []
        return
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")  # a database never analyzed
    assert "portfolio_usecase" in dbstats.refresh()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE idx = 'usecase_recent'")
        assert cursor.fetchone()[0] == 1
    assert dbstats.refresh() == []  # nothing left without figures


def test_the_daily_sweep_refreshes_them(world: World) -> None:
    call_command("sweep", "--no-send")
    assert dbstats.refresh() == []
