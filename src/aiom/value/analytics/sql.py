"""Portable SQL expressions (SQLite and PostgreSQL) the figures need.

Caveat: only these two backends are supported; others get PostgreSQL's spelling.
"""

from typing import Any

from django.db.models import Func, IntegerField


class DaysBetween(Func):
    """Whole days from `earlier` to `later` (dates, or datetimes taken by their UTC date)."""

    output_field = IntegerField()

    def __init__(self, later: Any, earlier: Any) -> None:
        super().__init__(later, earlier)

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]
        later, earlier = self.get_source_expressions()
        later_sql, later_params = compiler.compile(later)
        earlier_sql, earlier_params = compiler.compile(earlier)
        if connection.vendor == "sqlite":
            sql = f"CAST(julianday(date({later_sql})) - julianday(date({earlier_sql})) AS INTEGER)"
        else:
            sql = f"(CAST({later_sql} AS date) - CAST({earlier_sql} AS date))"
        return sql, (*later_params, *earlier_params)
