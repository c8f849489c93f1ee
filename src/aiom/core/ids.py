"""Ids from request data: what a database id can be, checked before any query.

An id past 64 bits cannot name a row, but reaching the database it fails there (SQLite's
adapter raises OverflowError, PostgreSQL's bigint refuses it), and `str.isdigit` accepts
digits `int` refuses ("²"). Parse request ids here, or bound them with `DbId` in a schema.
"""

from typing import Annotated

from pydantic import Field

MAX_ID = 2**63 - 1  # the largest bigint; every id column fits in it
MAX_ID_DIGITS = len(str(MAX_ID))

DbId = Annotated[int, Field(ge=1, le=MAX_ID)]


def is_id_text(text: object) -> bool:
    """ASCII digits naming a possible id (1 to MAX_ID)."""
    if not isinstance(text, str):
        return False
    text = text.strip()
    return (
        0 < len(text) <= MAX_ID_DIGITS
        and text.isascii()
        and text.isdigit()
        and 1 <= int(text) <= MAX_ID
    )


def parse_id(text: object) -> int | None:
    """The id in `text`, or None when it cannot be one."""
    return int(str(text).strip()) if is_id_text(text) else None
