"""External ids: the id a use case has in an outside inventory, and which source gave it.

Policy (one place; the importer, the services and the migration all use it):
- Shown form (`normalise`): Unicode NFKC (full-width and compatibility characters become
  their plain forms), leading and trailing whitespace removed, every inner run of
  whitespace one space. Control characters are refused (`ControlCharacterError`); invisible
  format characters (zero-width space, bidi marks, ...) are dropped. Case is kept.
- Comparison key (`key_of`): the shown form casefolded, so `OMB-1`, ` omb-1 ` and
  the same in full-width letters are one id.
- A use case's `external_source` names the import that created it (the mapping's name,
  e.g. `omb-2025`); blank means the id was set by hand (an administrator or the system).
  Within one source an id is unique (a database constraint on source + key); ids set by
  hand are references only and never unique or matched by an import.
- Who sets them: imports and administrators (and the system: demo, CLI). Everybody else
  is refused with a message on the `external_id` field.
"""

import re
import unicodedata
from typing import Any

from aiom.organisation.access import access_for

LIMIT = 120
SOURCE_LIMIT = 60
ONLY_ADMINS = "only imports and administrators set an external id"
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_LINE_OR_TAB = re.compile("[\t\n\r\x0b\x0c\x1c-\x1f\x85]")


class ControlCharacterError(ValueError):
    """The id holds control characters (a tab, a newline, NUL, ...)."""


def normalise(text: object) -> str:
    """The id as stored and shown; raises ControlCharacterError for control characters."""
    value = "" if text is None else str(text)
    if not value.isascii():  # ASCII has no compatibility or format characters
        value = unicodedata.normalize("NFKC", value)
        value = "".join(ch for ch in value if unicodedata.category(ch) != "Cf")
    if _CONTROL.search(value):
        if _LINE_OR_TAB.search(value):
            raise ControlCharacterError("an external id is one line (no tabs or line breaks)")
        raise ControlCharacterError("control characters are not allowed in an external id")
    return " ".join(value.split())


def key_of(text: object) -> str:
    """How two ids compare: the shown form, casefolded (blank for a blank id)."""
    try:
        return normalise(text).casefold()
    except ControlCharacterError:
        return ""


def may_set(actor: Any) -> bool:
    """Imports run as the system or an administrator; only they set external ids."""
    return actor is None or access_for(actor).is_admin


def describe_source(source: str) -> str:
    return f"source {source}" if source else "set by hand"
