"""`aiom audit rekey`: a chain from before keyed hashing is converted once, and only then."""

from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from aiom.core import anchors, audit
from aiom.core.audit_key import key_id
from aiom.core.models import AuditEvent
from aiom.portfolio import services as portfolio
from tests.conftest import World
from tests.core import audit_attacks as attack


def rekey_refused() -> str:
    with pytest.raises(CommandError) as refused:
        call_command("audit", "rekey")
    assert refused.value.returncode == 1
    return str(refused.value)


def test_an_unkeyed_chain_is_named_then_converted_and_verifies(world: World) -> None:
    attack.make_legacy()
    events = AuditEvent.objects.count()
    report = audit.verify_chain()
    assert report.broken_seq == 1
    assert "convert it once with `aiom audit rekey`" in report.reason

    call_command("audit", "rekey")

    report = audit.verify_chain()
    assert report.ok, report.reason
    assert report.checked == events + 1
    last = AuditEvent.objects.order_by("-seq").first()
    assert last is not None
    assert last.action == "audit_rekey"
    assert last.after == {"events": events, "plain": events, "key_id": key_id()}
    assert "keyed already" in rekey_refused()


def test_events_written_after_the_upgrade_are_kept_as_they_are(world: World) -> None:
    attack.make_legacy()
    portfolio.update_use_case(actor=world.alice, use_case=world.alice_uc, title="After upgrade")
    newest = AuditEvent.objects.order_by("-seq").first()
    assert newest is not None
    assert newest.hash == audit.compute_hash(newest)  # keyed, on an unkeyed prefix

    call_command("audit", "rekey")
    assert audit.verify_chain().ok


def test_a_broken_unkeyed_chain_is_not_converted(world: World) -> None:
    attack.make_legacy()
    target = AuditEvent.objects.order_by("seq")[4]
    attack.sql(f"UPDATE {attack.TABLE} SET message = %s WHERE seq = %s", ["tampered", target.seq])
    hashes = list(AuditEvent.objects.order_by("seq").values_list("hash", flat=True))

    message = rekey_refused()
    assert f"event #{target.seq} (id {target.pk})" in message
    assert "altered after it was written" in message
    assert list(AuditEvent.objects.order_by("seq").values_list("hash", flat=True)) == hashes


def test_rekey_refuses_once_anchors_exist(world: World, settings: Any, tmp_path: Path) -> None:
    path = tmp_path / "audit-anchors.jsonl"
    settings.AIOM_AUDIT_ANCHORS = str(path)
    anchors.anchor(path, post=False)
    attack.make_legacy()
    assert "holds anchors" in rekey_refused()
    assert not audit.verify_chain().ok
