"""The audit key lives outside the database: from settings, or a private file made once."""

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.core.management.base import SystemCheckError

from aiom.core import audit, audit_key
from aiom.core.audit_key import AuditKeyError
from aiom.core.models import AuditEvent
from tests.conftest import World


@pytest.fixture
def key_file(settings: Any, tmp_path: Path) -> Iterator[Path]:
    """No key in settings: the file under a var directory of this test's own."""
    path = tmp_path / "var" / "audit.key"
    settings.AIOM_AUDIT_KEY = ""
    settings.AIOM_AUDIT_KEY_FILE = str(path)
    audit_key.forget()
    yield path
    audit_key.forget()


def test_the_key_file_is_made_once_private_and_then_kept_in_memory(key_file: Path) -> None:
    key = audit_key.audit_key()
    assert key_file.is_file()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(key) == 64
    assert key_file.read_bytes().strip() == key
    assert not list(key_file.parent.glob(".audit.key.*"))  # no temporary file left over

    key_file.unlink()  # read once per process: the suite does not reread it per event
    assert audit_key.audit_key() == key
    audit_key.forget()
    assert audit_key.audit_key() != key  # a fresh file, a fresh key


def test_an_existing_key_file_is_used_as_it_is(key_file: Path) -> None:
    key_file.parent.mkdir()
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(fd, b"an operator's key restored from the vault, 0123456789\n")
    os.close(fd)
    assert audit_key.audit_key() == b"an operator's key restored from the vault, 0123456789"


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o660])
def test_a_key_file_others_may_read_is_refused_saying_how_to_fix_it(
    key_file: Path, mode: int
) -> None:
    audit_key.audit_key()
    key_file.chmod(mode)
    audit_key.forget()
    with pytest.raises(AuditKeyError) as refused:
        audit_key.audit_key()
    assert str(refused.value) == (
        f"the audit key file {key_file} is readable or writable by group or others "
        f"(mode {mode:04o}); make it private with `chmod 600 {key_file}`"
    )


def test_verify_exits_2_when_the_key_cannot_be_used(world: World, key_file: Path) -> None:
    key_file.parent.mkdir()
    key_file.write_text("k" * 40)
    key_file.chmod(0o644)
    with pytest.raises(CommandError) as refused:
        call_command("audit", "verify")
    assert refused.value.returncode == 2
    assert "chmod 600" in str(refused.value)


def test_a_short_key_in_the_environment_is_refused(settings: Any) -> None:
    settings.AIOM_AUDIT_KEY = "short"
    with pytest.raises(AuditKeyError, match="AIOM_AUDIT_KEY is 5 characters long; use at least 32"):
        audit_key.audit_key()


def test_events_are_keyed_so_the_rows_alone_cannot_reproduce_them(world: World) -> None:
    event = AuditEvent.objects.order_by("seq")[2]
    assert event.hash == audit.compute_hash(event)
    assert event.hash != audit.plain_hash(event)
    assert event.hash != audit.compute_hash(event, b"another key of at least 32 chars!")


def test_the_system_check_names_an_unusable_key_and_makes_no_file(db: None, key_file: Path) -> None:
    assert audit_key.key_is_usable() == []
    assert not key_file.exists()  # made on first use, not by a check
    audit_key.audit_key()
    key_file.chmod(0o644)
    audit_key.forget()
    [error] = audit_key.key_is_usable()
    assert error.id == "aiom.audit.E001"
    assert "chmod 600" in error.msg
    with pytest.raises(SystemCheckError, match=r"aiom\.audit\.E001"):
        call_command("check")
