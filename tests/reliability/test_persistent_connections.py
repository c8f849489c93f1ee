"""A web worker keeps its database connection across requests (SQLite too: its PRAGMAs run
once per connection, not per request), and a connection that broke is replaced at the next
request instead of failing it (PostgreSQL: SQLite's connections are never unusable)."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper


@pytest.fixture
def worker_connection(db: Any) -> Iterator[BaseDatabaseWrapper]:
    """A connection of its own, with the settings a web worker's has, in autocommit as
    between requests (the test's own connection is inside the test transaction)."""
    conn = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        yield conn
    finally:
        conn.close()


def test_the_connection_outlives_the_request(worker_connection: BaseDatabaseWrapper) -> None:
    conn = worker_connection
    assert conn.settings_dict["CONN_MAX_AGE"] > 0
    assert conn.settings_dict["CONN_HEALTH_CHECKS"] is True
    conn.ensure_connection()
    raw = conn.connection
    # What Django does at the start and end of every request (close_old_connections).
    conn.close_if_unusable_or_obsolete()
    conn.close_if_unusable_or_obsolete()
    assert conn.connection is raw
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_the_pragmas_hold_on_the_kept_connection(worker_connection: BaseDatabaseWrapper) -> None:
    if worker_connection.vendor != "sqlite":
        pytest.skip("SQLite's PRAGMAs")
    worker_connection.close_if_unusable_or_obsolete()
    with worker_connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone() == ("wal",)
        cursor.execute("PRAGMA mmap_size")
        assert cursor.fetchone()[0] > 0


def test_a_broken_connection_is_replaced_at_the_next_request(
    worker_connection: BaseDatabaseWrapper,
) -> None:
    conn = worker_connection
    if conn.vendor != "postgresql":
        pytest.skip("health checks matter where the server can drop a connection")
    conn.ensure_connection()
    with conn.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()
    conn.close_if_unusable_or_obsolete()  # a request ended: the next use checks health
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
