"""Rewriting the audit trail in the database: each attack, and what catches it.

Each scenario first shows (where it applies) that aiom's previous verify passed after the
attack on an unkeyed chain, then that the keyed chain and its anchors catch it, naming
the first event that differs. The attacker writes raw SQL and tidies the chain head.
"""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from aiom.core import anchors, audit
from aiom.core.audit_key import audit_key
from aiom.core.audit_rekey import RekeyRefusedError, rekey
from aiom.core.models import AuditEvent
from aiom.portfolio import services as portfolio
from tests.conftest import World
from tests.core import audit_attacks as attack


@pytest.fixture
def anchors_file(tmp_path: Path, settings: object) -> Path:
    path = tmp_path / "audit-anchors.jsonl"
    settings.AIOM_AUDIT_ANCHORS = str(path)  # type: ignore[attr-defined]
    return path


def verify_cli(*args: str) -> str:
    """`aiom audit verify ...`: the message of the refusal (exit code 1), asserted."""
    with pytest.raises(CommandError) as refused:
        call_command("audit", "verify", *args)
    assert refused.value.returncode == 1
    return str(refused.value)


def edit_titles(world: World, n: int) -> None:
    for i in range(n):
        portfolio.update_use_case(
            actor=world.alice, use_case=world.alice_uc, title=f"Chatbot, take {i}"
        )
        world.alice_uc.refresh_from_db()


def test_deleting_the_last_events_is_caught_by_an_anchor(world: World, anchors_file: Path) -> None:
    with attack.on_a_legacy_chain():
        attack.delete_last(3)
        assert attack.old_verify(), "the previous verify passed a cut tail"

    anchored = anchors.anchor(anchors_file, post=False).anchor
    cut = attack.delete_last(3)
    last = attack.end()

    assert audit.verify_chain().ok  # the chain alone cannot see a tidy cut: anchors can
    verdict = anchors.verify(anchors_file)
    assert not verdict.ok
    [problem] = verdict.problems
    assert problem.startswith(f"truncated: the chain ends with {audit.describe(last)}, but ")
    assert last.seq == cut
    assert f"{anchors_file}:1 anchored #{anchored.seq} at " in problem
    assert f"events #{cut + 1} to #{anchored.seq} were deleted" in problem
    assert "truncated" in verify_cli()  # plain verify reads the default anchors file


def test_rewriting_an_old_event_and_rehashing_with_plain_sha256_is_caught(world: World) -> None:
    target = AuditEvent.objects.get(
        object_type="portfolio.usecase", action="create", object_id=str(world.alice_secret.pk)
    )
    with attack.on_a_legacy_chain():
        attack.rehash_from(target.seq, attack.plain, message="nothing to see here")
        assert attack.old_verify(), "the previous verify passed a re-hashed rewrite"

    attack.rehash_from(target.seq, attack.plain, message="nothing to see here")

    report = audit.verify_chain()
    assert report.broken_seq == target.seq
    assert "hashed without the audit key" in report.reason
    assert report.event.startswith(f"#{target.seq} (id {target.pk}) at ")
    assert f"create portfolio.usecase:{world.alice_secret.pk}" in report.event
    message = verify_cli()
    assert f"BROKEN at event #{target.seq}" in message
    assert f"first event that differs: #{target.seq} (id {target.pk})" in message


def test_rewriting_and_rehashing_with_a_wrong_key_is_caught(world: World) -> None:
    target = AuditEvent.objects.order_by("seq")[5]
    attack.rehash_from(target.seq, attack.keyed_with(attack.WRONG_KEY), message="rewritten")

    report = audit.verify_chain()
    assert report.broken_seq == target.seq
    assert "altered after it was written" in report.reason
    assert report.event.startswith(f"#{target.seq} (id {target.pk})")
    assert f"BROKEN at event #{target.seq}" in verify_cli()


def test_truncating_then_appending_forged_events_is_caught(world: World) -> None:
    with attack.on_a_legacy_chain():
        attack.delete_last(4)
        attack.append_forged(6, attack.plain)
        assert attack.old_verify(), "the previous verify passed a forged tail"

    attack.delete_last(4)
    first_forged = attack.append_forged(6, attack.plain)

    report = audit.verify_chain()
    assert report.broken_seq == first_forged
    assert report.event.startswith(f"#{first_forged} ")
    assert f"BROKEN at event #{first_forged}" in verify_cli()


def test_a_rollback_that_grows_again_is_caught_naming_the_first_new_event(
    world: World, anchors_file: Path
) -> None:
    # An older state comes back (a restored backup, or a tidy cut) and aiom writes on:
    # every event is keyed and links, so only the anchor can tell.
    anchored = anchors.anchor(anchors_file, post=False).anchor
    cut = attack.delete_last(5)
    edit_titles(world, 8)
    first_new = AuditEvent.objects.get(seq=cut + 1)

    assert audit.verify_chain().ok
    verdict = anchors.verify(anchors_file)
    [problem] = verdict.problems
    assert problem.startswith(f"rewritten: {anchors_file}:1 anchored #{anchored.seq}")
    assert f"first event that differs: {audit.describe(first_new)}" in problem
    assert "update portfolio.usecase" in problem
    assert "rewritten" in verify_cli("--anchors", str(anchors_file))


def test_a_rewrite_by_someone_holding_the_key_is_caught_by_a_later_anchor(
    world: World, anchors_file: Path
) -> None:
    anchored = anchors.anchor(anchors_file, post=False).anchor
    target = AuditEvent.objects.order_by("seq")[3]
    attack.rehash_from(target.seq, attack.keyed_with(audit_key()), message="history, revised")

    assert audit.verify_chain().ok  # with the key the chain is consistent again
    [problem] = anchors.verify(anchors_file).problems
    assert f"anchored #{anchored.seq} with hash {anchored.hash[:16]}" in problem
    assert f"first event that differs: #{anchored.seq} " in problem


def test_a_forged_anchor_line_is_reported_and_not_trusted(world: World, anchors_file: Path) -> None:
    real = anchors.anchor(anchors_file, post=False).anchor
    lying = anchors.Anchor(real.seq + 50, "f" * 64, real.at, real.key_id, real.sig)
    anchors.append(anchors_file, lying)  # claims later events that never were: unsigned
    other_key = anchors.Anchor(real.seq, real.hash, real.at, "0" * 16)
    anchors.append(anchors_file, anchors.Anchor(**{**other_key.__dict__, "sig": "ab" * 32}))
    anchors.append(anchors_file, anchors.Anchor(**{**real.__dict__, "sig": "\u00e9" * 64}))

    verdict = anchors.verify(anchors_file)
    assert len(verdict.problems) == 3
    assert verdict.problems[0].startswith(f"{anchors_file}:2: the anchor of #{real.seq + 50}")
    assert "bad signature" in verdict.problems[0]
    assert verdict.problems[1].startswith(f"{anchors_file}:3: the anchor of #{real.seq}")
    assert "key id 0000000000000000" in verdict.problems[1]
    assert verdict.problems[2].startswith(f"{anchors_file}:4: the anchor of #{real.seq}")
    assert not any("truncated" in p for p in verdict.problems)  # a forged line proves nothing
    assert "bad signature" in verify_cli()


def test_cutting_the_anchor_files_last_line_is_the_limit_an_off_host_copy_closes(
    world: World, anchors_file: Path, tmp_path: Path
) -> None:
    # The attacker holds the database and the anchors file, not the webhook's receiver.
    anchors.anchor(anchors_file, post=False)
    first_lines = anchors_file.read_text()
    edit_titles(world, 4)
    anchors.anchor(anchors_file, post=False)
    off_host = tmp_path / "receiver-copy.jsonl"
    off_host.write_text(anchors_file.read_text())  # what the webhook delivered

    attack.delete_last(3)
    anchors_file.write_text(first_lines)  # the local file is append-only only by convention

    assert anchors.verify(anchors_file).ok  # the documented limit
    [problem] = anchors.verify(off_host).problems
    assert problem.startswith("truncated:")


def test_rewriting_every_event_unkeyed_is_caught_and_rekey_will_not_bless_it(
    world: World, anchors_file: Path
) -> None:
    anchors.anchor(anchors_file, post=False)
    attack.make_legacy()  # a downgrade: the whole chain as if written before keyed hashing

    report = audit.verify_chain()
    assert report.broken_seq == 1
    assert "aiom audit rekey" in report.reason
    with pytest.raises(RekeyRefusedError, match="holds anchors"):
        rekey()


def test_a_clean_chain_passes_with_its_anchors(world: World, anchors_file: Path) -> None:
    anchors.anchor(anchors_file, post=False)
    verdict = anchors.verify(anchors_file)
    assert verdict.ok, verdict.problems
    assert verdict.anchors == 1
    call_command("audit", "verify")  # exit 0: no CommandError


def test_a_chain_grown_after_its_anchors_passes(world: World, anchors_file: Path) -> None:
    anchors.anchor(anchors_file, post=False)
    edit_titles(world, 3)
    anchors.anchor(anchors_file, post=False)
    with transaction.atomic():
        edit_titles(world, 2)
    verdict = anchors.verify(anchors_file)
    assert verdict.ok, verdict.problems
    assert verdict.anchors == 2
    assert verdict.chain.checked == AuditEvent.objects.count()
