"""`aiom audit anchor`, the anchors file, the webhook copy, the sweep's schedule, exit codes."""

import datetime as dt
import json
import logging
import stat
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from aiom.core import anchors, signed_posts
from aiom.core.audit_key import audit_key, key_id
from aiom.core.models import AuditChainHead
from aiom.notifications import services as notifications
from aiom.portfolio import services as portfolio
from tests.conftest import World
from tests.core import audit_attacks as attack
from tests.notifications.conftest import SECRET, Receiver, receiver

__all__ = ["receiver"]


@pytest.fixture
def path(tmp_path: Path, settings: Any) -> Path:
    target = tmp_path / "anchors" / "audit-anchors.jsonl"
    settings.AIOM_AUDIT_ANCHORS = str(target)
    return target


@pytest.fixture
def webhook(settings: Any, receiver: Receiver) -> Receiver:
    settings.AIOM_AUDIT_ANCHOR_WEBHOOK = receiver.url
    settings.AIOM_WEBHOOK_SECRET = SECRET
    settings.AIOM_WEBHOOK_TIMEOUT = 2.0
    settings.AIOM_WEBHOOK_RETRIES = 2
    settings.AIOM_WEBHOOK_BACKOFF_SECONDS = 0.01
    return receiver


def refused(*args: str) -> CommandError:
    with pytest.raises(CommandError) as caught:
        call_command("audit", *args)
    return caught.value


def edit(world: World, title: str) -> None:
    portfolio.update_use_case(actor=world.alice, use_case=world.alice_uc, title=title)
    world.alice_uc.refresh_from_db()


def test_anchor_appends_the_signed_head_as_one_json_line(
    world: World, path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    head = AuditChainHead.objects.get(pk=1)
    call_command("audit", "anchor", "--to", str(path))
    edit(world, "Moved on")
    call_command("audit", "anchor")  # the default file is the same one here

    lines = path.read_text().splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert set(first) == {"v", "seq", "hash", "at", "key_id", "sig"}
    assert (first["seq"], first["hash"], first["key_id"]) == (head.seq, head.last_hash, key_id())
    assert dt.datetime.fromisoformat(first["at"]) <= timezone.now()
    parsed = anchors.read(path)
    assert parsed[0].sig == parsed[0].signature(audit_key())
    assert parsed[1].seq == head.seq + 1
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert f"anchored #{head.seq} " in capsys.readouterr().out


def test_anchor_refuses_a_chain_that_does_not_verify_and_writes_nothing(
    world: World, path: Path
) -> None:
    call_command("audit", "anchor")
    for i in range(3):
        edit(world, f"After the anchor {i}")
    target = attack.end().seq - 1
    attack.rehash_from(target, attack.plain, message="quietly changed")
    error = refused("anchor")
    assert error.returncode == 1
    assert f"not anchored: event #{target} is hashed without the audit key" in str(error)
    assert len(path.read_text().splitlines()) == 1


def test_anchor_refuses_a_chain_cut_below_the_last_anchor(world: World, path: Path) -> None:
    call_command("audit", "anchor")
    attack.delete_last(1)
    error = refused("anchor")
    assert error.returncode == 1
    assert "truncated, or an older backup was restored" in str(error)
    assert f"anchored at line 1 of {path}" in str(error)


def test_anchor_checks_only_the_events_since_the_last_anchor(world: World, path: Path) -> None:
    call_command("audit", "anchor")
    attack.rehash_from(2, attack.keyed_with(audit_key()), message="before the anchor")
    error = refused("anchor")  # the anchored event itself no longer has the anchored hash
    assert "no longer has the hash it was anchored with" in str(error)


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ("not json", "not a JSON line"),
        ("[1, 2]", "expected a JSON object"),
        ('{"v": 1, "seq": 3}', "missing hash, at, key_id, sig"),
        ('{"v": 2, "seq": 3, "hash": "", "at": "", "key_id": "", "sig": ""}', "version 2"),
        ('{"v": 1, "seq": -3, "hash": "", "at": "", "key_id": "", "sig": ""}', "positive"),
        ('{"v": 1, "seq": 3, "hash": 5, "at": "", "key_id": "", "sig": ""}', "hash must be"),
        ('{"v": 1, "seq": 3, "hash": "", "at": "noon", "key_id": "", "sig": ""}', "ISO"),
        (
            '{"v": 1, "seq": 3, "hash": "", "at": "2026-01-01T12:00", "key_id": "", "sig": ""}',
            "no time zone",
        ),
    ],
)
def test_a_malformed_anchors_file_exits_2_naming_the_line(
    world: World, path: Path, line: str, why: str
) -> None:
    call_command("audit", "anchor")
    with path.open("a") as handle:
        handle.write("\n" + line + "\n")
    error = refused("verify", "--anchors", str(path))
    assert error.returncode == 2
    assert str(error).startswith(f"{path}:3: ")
    assert why in str(error)


def test_an_unreadable_anchors_file_exits_2(world: World, path: Path, tmp_path: Path) -> None:
    error = refused("verify", "--anchors", str(tmp_path / "missing.jsonl"))
    assert error.returncode == 2
    assert f"cannot read the anchors file {tmp_path / 'missing.jsonl'}" in str(error)
    path.parent.mkdir()
    path.write_bytes(b"\xff\xfe not text")
    assert refused("verify").returncode == 2


def test_plain_verify_uses_the_default_file_only_when_it_exists(
    world: World, path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("audit", "verify")
    assert "(no anchors checked)" in capsys.readouterr().out
    call_command("audit", "anchor")
    call_command("audit", "verify")
    assert f"consistent with 1 anchors in {path}" in capsys.readouterr().out
    attack.delete_last(2)
    assert "truncated" in str(refused("verify"))
    call_command("audit", "verify", "--no-anchors")  # the chain alone still links


def test_a_line_cut_short_by_a_crash_stays_its_own_line(world: World, path: Path) -> None:
    path.parent.mkdir()
    path.write_text('{"v": 1, "seq"')
    call_command("audit", "anchor")
    assert path.read_text().splitlines()[1].startswith('{"at": ')
    assert str(refused("verify")).startswith(f"{path}:1: not a JSON line")


def test_each_anchor_is_posted_signed_to_the_webhook(
    world: World, path: Path, webhook: Receiver
) -> None:
    call_command("audit", "anchor")
    [request] = webhook.requests
    assert request.json() == json.loads(path.read_text())
    assert request.headers["X-Aiom-Signature"] == "sha256=" + signed_posts.sign(
        SECRET, request.body
    )
    assert request.headers["X-Aiom-Event"] == "audit_anchor"


def test_a_failed_post_keeps_the_line_and_exits_1(
    world: World, path: Path, webhook: Receiver
) -> None:
    webhook.always = 503
    error = refused("anchor")
    assert error.returncode == 1
    assert f"written but not posted to {webhook.url}: HTTP 503" in str(error)
    assert len(webhook.requests) == 3  # the first try and two retries
    assert len(anchors.read(path)) == 1


def test_the_sweep_anchors_when_due_and_the_head_moved(
    world: World, path: Path, settings: Any
) -> None:
    settings.AIOM_AUDIT_ANCHOR_HOURS = 24
    report = notifications.sweep(actor=None)
    head = AuditChainHead.objects.get(pk=1)
    assert report.anchor == f"anchored #{head.seq} in {path}"
    assert report.as_dict()["anchor"] == report.anchor

    edit(world, "Moved within the day")
    assert notifications.sweep(actor=None).anchor == ""  # not due yet
    assert anchors.anchor_if_due(timezone.now() + dt.timedelta(hours=22)) is None
    later = timezone.now() + dt.timedelta(hours=23, minutes=59)  # tomorrow's cron, early
    done = anchors.anchor_if_due(later)
    assert done is not None
    assert done.anchor.seq == head.seq + 1
    assert anchors.anchor_if_due(later + dt.timedelta(days=2)) is None  # the head stayed
    assert len(anchors.read(path)) == 2

    settings.AIOM_AUDIT_ANCHOR_HOURS = 0
    edit(world, "Anchoring off")
    assert anchors.anchor_if_due(later + dt.timedelta(days=9)) is None


def test_a_sweep_on_a_tampered_chain_still_runs_and_says_why_it_did_not_anchor(
    world: World, path: Path, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.AIOM_AUDIT_ANCHOR_HOURS = 24
    attack.rehash_from(3, attack.plain, message="changed")
    with caplog.at_level(logging.ERROR, logger="aiom.notifications.services"):
        report = notifications.sweep(actor=None)
    assert report.anchor.startswith("not anchored: event #3 is hashed without")
    assert "audit chain not anchored" in caplog.text
    assert not path.exists()


def test_the_verify_button_checks_the_anchors_too(world: World, path: Path) -> None:
    client = Client()
    client.force_login(world.ada)
    call_command("audit", "anchor")
    page = client.post("/audit/verify/", follow=True).content.decode()
    assert "consistent with 1 anchors" in page
    attack.delete_last(2)
    page = client.post("/audit/verify/", follow=True).content.decode()
    assert "Audit chain TAMPERED: truncated: the chain ends with #" in page
    with path.open("a") as handle:
        handle.write("garbage\n")
    page = client.post("/audit/verify/", follow=True).content.decode()
    assert "Audit chain not verified:" in page
    assert ":2: not a JSON line" in page
