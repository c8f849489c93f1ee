"""The audit chain's HMAC key: kept outside the database, so rows alone cannot be re-hashed.

From `AIOM_AUDIT_KEY` (at least 32 characters) or else the file `AIOM_AUDIT_KEY_FILE`
(default var/audit.key), created on first use with mode 0600 and refused when its group or
others may read it. The key is read once per process (per setting) and kept in memory.
Whoever holds it can forge the chain: back it up apart from the database backups.
"""

import contextlib
import functools
import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

MIN_KEY_CHARS = 32


class AuditKeyError(ImproperlyConfigured):
    """No usable audit key: the message says what is wrong and how to fix it."""


def audit_key() -> bytes:
    """The key the chain's hashes and the anchors' signatures are made with."""
    return _load(settings.AIOM_AUDIT_KEY, settings.AIOM_AUDIT_KEY_FILE)


def key_id(key: bytes | None = None) -> str:
    """A short fingerprint of the key (not the key): tells which key signed an anchor."""
    key = audit_key() if key is None else key
    return hmac.new(key, b"aiom audit key id", hashlib.sha256).hexdigest()[:16]


@checks.register(checks.Tags.security)
def key_is_usable(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """`aiom serve`, `migrate`, `sweep` and `check` say at once when the key is unusable
    (else every audited write would fail). A key file not made yet is made on first use."""
    if not settings.AIOM_AUDIT_KEY and not Path(settings.AIOM_AUDIT_KEY_FILE).exists():
        return []
    try:
        audit_key()
    except (AuditKeyError, OSError) as exc:
        return [checks.Error(str(exc), id="aiom.audit.E001")]
    return []


def forget() -> None:
    """Drop the cached key (tests that change the key file or its mode)."""
    _load.cache_clear()


@functools.cache
def _load(from_env: str, file: str) -> bytes:
    if from_env:
        if len(from_env) < MIN_KEY_CHARS:
            raise AuditKeyError(
                f"AIOM_AUDIT_KEY is {len(from_env)} characters long; use at least "
                f"{MIN_KEY_CHARS} random characters (e.g. `openssl rand -hex 32`)"
            )
        return from_env.encode("utf-8")
    return _from_file(Path(file))


def _from_file(path: Path) -> bytes:
    try:
        return _read(path)
    except FileNotFoundError:
        _create(path)
        return _read(path)


def _read(path: Path) -> bytes:
    fd = os.open(path, os.O_RDONLY)
    try:
        mode = stat.S_IMODE(os.fstat(fd).st_mode)
        if mode & 0o077:
            raise AuditKeyError(
                f"the audit key file {path} is readable or writable by group or others "
                f"(mode {mode:04o}); make it private with `chmod 600 {path}`"
            )
        with os.fdopen(os.dup(fd), "rb") as handle:
            key = handle.read().strip()
    finally:
        os.close(fd)
    if len(key) < MIN_KEY_CHARS:
        raise AuditKeyError(
            f"the audit key file {path} holds {len(key)} characters; at least "
            f"{MIN_KEY_CHARS} are needed (delete it only if the chain is empty)"
        )
    return key


def _create(path: Path) -> None:
    """Write a new random key; a process that loses the race reads the winner's key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)  # atomic, and never replaces a key another process wrote
    finally:
        tmp.unlink(missing_ok=True)
