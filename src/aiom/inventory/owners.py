"""Who owns an imported use case, and the source's contact when that is nobody in aiom.

A row names its owner in the mapping's `owner_email` column and its contact in the
`contact` column(s) (a shared mailbox, a URL, a person's name). Each such value is looked
up, in this order, in the mapping's owners table (`owners: {"<value in the file>": "<user
e-mail or username>"}` and/or `owners_file:`, a CSV of two columns with a header row),
then among active users by e-mail (an address two users share matches nobody). The
first value that finds a user makes that user the owner, unless the user is an external
partner (partners are never owners: a warning). A contact that found no owner is kept
on the use case's `contact` field. A table entry naming nobody in aiom (or an address
two users share) is a file-level problem of the mapping: the import is refused.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User

from aiom.core import tabular
from aiom.inventory.readers import normalise_header

MAX_TABLE = 10_000


def _key(text: object) -> str:
    return normalise_header(text).casefold()


def parse(data: dict[str, Any], base: Path | None, problems: list[str]) -> dict[str, str]:
    """The owners table ({file value key: user reference}) a mapping gives, checked in form."""
    table: dict[str, str] = {}
    inline = data.get("owners")
    if inline is not None:
        if not isinstance(inline, dict):
            problems.append('owners: an object of "<name or mailbox in the file>": "<user>"')
        else:
            _add(table, inline.items(), "owners", problems)
    name = data.get("owners_file")
    if name is not None:
        if not isinstance(name, str) or not name.strip():
            problems.append("owners_file: the path of a CSV file of two columns")
        elif base is None:
            problems.append(
                "owners_file: only a mapping read from a file may name another file; "
                "give the table inline as owners: {..}"
            )
        else:
            _add(table, _read(base / name, problems), f"owners_file {name}", problems)
    if len(table) > MAX_TABLE:
        problems.append(f"owners: at most {MAX_TABLE} entries")
    return table


def _read(path: Path, problems: list[str]) -> list[tuple[Any, Any]]:
    """The owners file's pairs below its header (read by `core.tabular`'s one rule)."""
    try:
        rows = tabular.records(tabular.decode(path.read_bytes(), path.name).text, path.name)[1:]
    except OSError as exc:
        problems.append(f"owners_file: cannot read {path.name} ({exc.__class__.__name__})")
        return []
    except tabular.TableError as exc:
        problems.append(f"owners_file {exc}")
        return []
    bad = [line for line, r in rows if len(r) != 2]
    if bad:
        problems.append(f"owners_file {path.name}: lines {bad[:5]} do not have two columns")
    return [(r[0], r[1]) for _, r in rows if len(r) == 2]


def _add(table: dict[str, str], pairs: Any, where: str, problems: list[str]) -> None:
    for name, user in pairs:
        if not isinstance(name, str | int) or not _key(name):
            problems.append(f"{where}: {name!r} is not a name or mailbox")
        elif not isinstance(user, str) or not user.strip():
            problems.append(f"{where}.{name}: the e-mail address or username of a user")
        else:
            table[_key(name)] = user.strip()


@dataclass
class Directory:
    """The users an import can match, looked up once; `problems` are the table's unknowns."""

    emails: dict[str, User]
    table: dict[str, User]
    problems: list[str]

    def find(self, value: str) -> User | None:
        return self.table.get(_key(value)) or self.emails.get(value.strip().casefold())


def directory(table: dict[str, str]) -> Directory:
    users = list(User.objects.filter(is_active=True))
    emails: dict[str, User] = {}
    shared: set[str] = set()
    for user in users:
        email = user.email.strip().casefold()
        if email:
            if email in emails:
                shared.add(email)
            emails[email] = user
    for email in shared:
        del emails[email]
    names = {u.get_username().casefold(): u for u in users}
    resolved: dict[str, User] = {}
    problems: list[str] = []
    for name, ref in table.items():
        found = names.get(ref.casefold()) or emails.get(ref.casefold())
        if found is None:
            why = "an address two users share" if ref.casefold() in shared else "no active user"
            problems.append(f"owners: '{ref}' (for '{name}') is {why} in aiom")
        else:
            resolved[name] = found
    return Directory(emails, resolved, problems)


def match(
    found: Directory, owner_value: str, contact: str, may_own: Callable[[User], bool]
) -> tuple[User | None, list[str], str]:
    """(owner, the file values naming users who may not own, the contact to keep)."""
    parts = [p.strip() for p in contact.split("; ") if p.strip()]
    owner: User | None = None
    refused: list[str] = []
    for value in dict.fromkeys(v for v in (owner_value, *parts) if v):
        user = found.find(value)
        if user is not None and not may_own(user):
            refused.append(value)
        elif user is not None and owner is None:
            owner = user
    kept = [p for p in parts if owner is None or found.find(p) != owner]
    return owner, refused, "; ".join(kept)
