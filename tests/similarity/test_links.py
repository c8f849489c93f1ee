"""The link service: return, row, audit on both use cases, permissions, refusals."""

import pytest

from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.core.models import AuditEvent
from aiom.portfolio.models import UseCase
from aiom.similarity import services
from aiom.similarity.models import LinkKind, UseCaseLink
from tests.conftest import World

REASON = "Both retype supplier invoices into the ledger."


def test_link_returns_row_and_audits_both(world: World, twins: tuple[UseCase, UseCase]) -> None:
    a, b = twins
    made = services.link(
        actor=world.alice, source=a, target=b, kind=LinkKind.DUPLICATE_OF, reason=REASON
    )
    stored = UseCaseLink.objects.get()
    assert made == stored
    assert (stored.from_use_case, stored.to_use_case, stored.kind) == (a, b, "duplicate_of")
    assert stored.created_by == world.alice
    events = AuditEvent.objects.filter(action="link_use_case")
    assert sorted(e.object_id for e in events) == sorted([str(a.pk), str(b.pk)])
    assert all(e.after and e.after["reason"] == REASON for e in events)


def test_unlink_deletes_and_audits_both(world: World, twins: tuple[UseCase, UseCase]) -> None:
    a, b = twins
    made = services.link(actor=None, source=a, target=b, kind="related_to", reason=REASON)
    services.unlink(actor=world.charlie, link=made)
    assert not UseCaseLink.objects.exists()
    assert AuditEvent.objects.filter(action="unlink_use_case").count() == 2


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("alice", True),
        ("charlie", True),
        ("bob", False),
        ("pat", False),
        ("ada", True),
        ("rita", False),
    ],
)
def test_who_may_link(
    world: World, twins: tuple[UseCase, UseCase], persona: str, allowed: bool
) -> None:
    a, b = twins
    actor = world.persona(persona)
    if allowed:
        services.link(actor=actor, source=a, target=b, kind="related_to", reason=REASON)
        assert UseCaseLink.objects.count() == 1
    else:
        with pytest.raises(PermissionDenied):
            services.link(actor=actor, source=a, target=b, kind="related_to", reason=REASON)
        assert not UseCaseLink.objects.exists()


def test_no_link_to_a_confidential_use_case_one_cannot_see(
    world: World, twins: tuple[UseCase, UseCase]
) -> None:
    with pytest.raises(PermissionDenied):
        services.link(
            actor=world.charlie,
            source=twins[1],
            target=world.alice_secret,
            kind="related_to",
            reason=REASON,
        )


def test_refusals(world: World, twins: tuple[UseCase, UseCase]) -> None:
    a, b = twins
    with pytest.raises(InvalidInput) as self_link:
        services.link(actor=world.alice, source=a, target=a, kind="related_to", reason=REASON)
    assert "target" in self_link.value.errors
    with pytest.raises(InvalidInput) as short:
        services.link(actor=world.alice, source=a, target=b, kind="related_to", reason="same")
    assert "reason" in short.value.errors
    with pytest.raises(InvalidInput) as kind:
        services.link(actor=world.alice, source=a, target=b, kind="twin", reason=REASON)
    assert "kind" in kind.value.errors
    services.link(actor=world.alice, source=a, target=b, kind="related_to", reason=REASON)
    with pytest.raises(InvalidInput) as again:
        services.link(actor=world.alice, source=a, target=b, kind="related_to", reason=REASON)
    assert "already" in again.value.errors["target"]
    assert UseCaseLink.objects.count() == 1
    assert AuditEvent.objects.filter(action="link_use_case").count() == 2
