"""Planner statistics: SQLite plans well only with `ANALYZE` figures for its indexes.

PostgreSQL keeps its own (autovacuum analyzes); SQLite never analyzes by itself, so an
index added by a migration stays unused on a large table until someone does. `aiom serve`
and `aiom sweep` call `refresh()`: every table with rows and an index the statistics do
not know yet is analyzed, then `PRAGMA optimize` re-analyzes those whose size moved a lot.
Caveat: analyzing 100,000 use cases takes about a second, once.
"""

from django.db import connection


def _partial(sql: str | None) -> bool:
    """A partial index (`... WHERE ...`) that holds no rows gets no figures from ANALYZE, so
    once its table is analyzed it is known as far as the statistics can tell."""
    return sql is not None and " WHERE " in sql.upper()


def refresh() -> list[str]:
    """Analyze what needs it; returns the tables analyzed because an index lacked figures."""
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        known: set[str] = set()
        analyzed: set[str] = set()
        if cursor.fetchone():
            cursor.execute("SELECT tbl, idx FROM sqlite_stat1")
            for table, index in cursor.fetchall():
                analyzed.add(table)
                known.add(index)
        cursor.execute(
            "SELECT name, tbl_name, sql FROM sqlite_master "
            "WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex_%'"
        )
        unknown = sorted(
            {
                table
                for name, table, sql in cursor.fetchall()
                if name not in known and not (_partial(sql) and table in analyzed)
            }
        )
        tables = []
        for table in unknown:  # an empty table has no figures to give: skip it
            cursor.execute(f'SELECT 1 FROM "{table}" LIMIT 1')  # noqa: S608 - our own table
            if cursor.fetchone():
                cursor.execute(f'ANALYZE "{table}"')
                tables.append(table)
        cursor.execute("PRAGMA optimize=0x10002")
    return tables
