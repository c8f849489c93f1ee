"""Setting a status and adding evidence: return value, stored row, audit event, personas."""

import hashlib
from pathlib import Path

import pytest

from aiom.core import audit
from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.core.models import AuditEvent
from aiom.obligations import services
from aiom.obligations.models import Evidence, ObligationStatus
from tests.conftest import PERSONAS, World
from tests.obligations.conftest import PDF, stored_files

KEY = "operator_literacy"  # owed by every use case


def last_event(action: str) -> AuditEvent:
    event = AuditEvent.objects.filter(action=action).order_by("-seq").first()
    assert event is not None
    return event


def test_set_status_met(world: World) -> None:
    row = services.set_status(
        actor=world.alice, use_case=world.alice_uc, obligation=KEY, status="met"
    )
    assert row.status == "met"
    stored = ObligationStatus.objects.get(use_case=world.alice_uc, obligation=KEY)
    assert (stored.status, stored.updated_by) == ("met", world.alice)
    event = last_event("obligation_status")
    assert event.object_id == str(world.alice_uc.pk)
    assert event.before == {"obligation": KEY, "status": "open", "reason": ""}
    assert event.after == {"obligation": KEY, "status": "met", "reason": ""}
    assert "Operators are trained" in event.message


def test_not_applicable_needs_a_reason_and_keeps_it(world: World) -> None:
    with pytest.raises(InvalidInput) as caught:
        services.set_status(
            actor=world.alice, use_case=world.alice_uc, obligation=KEY, status="not_applicable"
        )
    assert "reason" in caught.value.errors
    assert not ObligationStatus.objects.exists()
    row = services.set_status(
        actor=world.alice,
        use_case=world.alice_uc,
        obligation=KEY,
        status="not_applicable",
        reason="  Nobody operates it: batch job.  ",
    )
    assert row.reason == "Nobody operates it: batch job."
    again = services.set_status(
        actor=world.alice, use_case=world.alice_uc, obligation=KEY, status="open", reason="x"
    )
    assert again.pk == row.pk and again.reason == ""
    event = last_event("obligation_status")
    assert event.before is not None and event.before["status"] == "not_applicable"
    assert ObligationStatus.objects.count() == 1


@pytest.mark.parametrize(
    ("obligation", "status", "field"),
    [
        ("operator_literacy", "done", "status"),
        ("no_such_thing", "met", "obligation"),
        ("risk_management_system", "met", "obligation"),  # only owed at high tier
    ],
)
def test_invalid_status_input(world: World, obligation: str, status: str, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        services.set_status(
            actor=world.alice, use_case=world.alice_uc, obligation=obligation, status=status
        )
    assert field in caught.value.errors


MARKERS = {"alice", "ada", "rita"}  # owner, admin, global risk reviewer
ADDERS = {"alice", "ada"}  # those who may edit the use case


@pytest.mark.parametrize("name", [p for p in PERSONAS if p != "anonymous"])
def test_who_may_mark(world: World, name: str) -> None:
    actor = world.persona(name)

    def mark() -> None:
        services.set_status(actor=actor, use_case=world.alice_uc, obligation=KEY, status="met")

    if name in MARKERS:
        mark()
        assert ObligationStatus.objects.get().updated_by == actor
    else:
        with pytest.raises(PermissionDenied):
            mark()
        assert not ObligationStatus.objects.exists()


@pytest.mark.parametrize("name", [p for p in PERSONAS if p != "anonymous"])
def test_who_may_add_evidence(world: World, name: str, var_dir: Path) -> None:
    actor = world.persona(name)

    def add() -> None:
        services.add_evidence(
            actor=actor,
            use_case=world.alice_uc,
            obligation=KEY,
            chunks=[PDF],
            filename="training.pdf",
        )

    if name in ADDERS:
        add()
        assert Evidence.objects.get().added_by == actor
        assert len(stored_files(var_dir)) == 1
    else:
        with pytest.raises(PermissionDenied):
            add()
        assert not Evidence.objects.exists()
        assert stored_files(var_dir) == []  # refused before anything is written


def test_add_link_evidence(world: World) -> None:
    ev = services.add_evidence(
        actor=world.alice,
        use_case=world.alice_uc,
        obligation=KEY,
        url="https://intranet.example.com/training/ai-basics",
        note="Completion report",
    )
    stored = Evidence.objects.get()
    assert stored.pk == ev.pk and not stored.is_file
    assert (stored.url, stored.note, stored.added_by) == (ev.url, "Completion report", world.alice)
    event = last_event("obligation_evidence")
    assert event.after is not None
    assert event.after["url"] == ev.url and event.after["evidence"] == ev.pk


def test_add_file_evidence(world: World, var_dir: Path) -> None:
    ev = services.add_evidence(
        actor=world.alice,
        use_case=world.alice_uc,
        obligation=KEY,
        chunks=[PDF[:10], PDF[10:]],
        filename="C:\\Users\\alice\\Training record.PDF",
    )
    stored = Evidence.objects.get()
    assert stored.original_name == "Training record.PDF"
    assert (stored.content_type, stored.size) == ("application/pdf", len(PDF))
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest()
    [path] = stored_files(var_dir)
    assert path.name == stored.stored_name and path.read_bytes() == PDF
    assert "Training" not in path.name  # a random server-side name
    event = last_event("obligation_evidence")
    assert event.after is not None and event.after["sha256"] == stored.sha256
    assert ev.pk == stored.pk


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({}, "file"),
        ({"url": "https://example.com/x", "chunks": [PDF], "filename": "a.pdf"}, "file"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": "ftp://example.com/file"}, "url"),
        ({"url": "https://example.com/x", "note": "n" * 501}, "note"),
    ],
)
def test_invalid_evidence(world: World, fields: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        services.add_evidence(
            actor=world.alice,
            use_case=world.alice_uc,
            obligation=KEY,
            **fields,  # type: ignore[arg-type]
        )
    assert field in caught.value.errors
    assert not Evidence.objects.exists()


def test_a_failing_row_removes_the_stored_file(
    world: World, var_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: object) -> None:
        raise RuntimeError("the audit trail is down")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        services.add_evidence(
            actor=world.alice,
            use_case=world.alice_uc,
            obligation=KEY,
            chunks=[PDF],
            filename="a.pdf",
        )
    assert not Evidence.objects.exists()
    assert stored_files(var_dir) == []
