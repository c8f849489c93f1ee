"""Use-case hooks: subscribers run inside the service's transaction, after the apps that
subscribed before them, and roll back with it."""

from typing import Any

import pytest
from django.db import connection

from aiom.core.models import AuditEvent
from aiom.core.registry import RegistryError, registry
from aiom.lifecycle.models import StageChange
from aiom.portfolio import hooks
from aiom.portfolio import services as portfolio
from aiom.portfolio.models import UseCase
from tests.conftest import World

TITLE = "Branch queue forecaster"


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What a test subscriber saw on each event, subscribed in a copy of the store."""
    monkeypatch.setitem(registry, hooks.STORE, dict(registry[hooks.STORE]))
    found: list[dict[str, Any]] = []

    def watch(event: str) -> Any:
        def call(*, use_case: UseCase, **keywords: Any) -> None:
            found.append(
                {
                    "event": event,
                    "atomic": connection.in_atomic_block,
                    "stored": UseCase.objects.filter(pk=use_case.pk).exists(),
                    "entries": StageChange.objects.filter(use_case_id=use_case.pk).count(),
                    **keywords,
                }
            )

        return call

    for event in hooks.EVENTS:
        hooks.subscribe(event, "test", watch(event))
    return found


def test_created_is_seen_inside_the_transaction_after_lifecycle(
    world: World, seen: list[dict[str, Any]]
) -> None:
    uc = portfolio.create_use_case(
        actor=world.bob, title=TITLE, org_unit=world.retail, owner=world.bob
    )
    [created] = seen
    assert created["event"] == "created" and created["actor"] == world.bob
    assert created["atomic"] and created["stored"]
    assert created["entries"] == 1  # lifecycle subscribed first: the entry is written
    assert created["reason"] == "proposed"
    portfolio.update_use_case(actor=world.bob, use_case=uc, personal_data=True)
    changed = seen[-1]
    assert changed["event"] == "facts changed" and changed["atomic"]
    assert (changed["before"]["personal_data"], changed["after"]["personal_data"]) == (False, True)


def test_a_failing_subscriber_rolls_the_creation_back(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(registry, hooks.STORE, dict(registry[hooks.STORE]))

    def refuse(*, use_case: UseCase, **keywords: Any) -> None:
        raise RuntimeError(f"refused {use_case.title}")

    hooks.subscribe(hooks.CREATED, "test", refuse)
    events = AuditEvent.objects.count()
    with pytest.raises(RuntimeError, match=TITLE):
        portfolio.create_use_case(
            actor=world.bob, title=TITLE, org_unit=world.retail, owner=world.bob
        )
    assert not UseCase.objects.filter(title=TITLE).exists()
    assert not StageChange.objects.filter(use_case__title=TITLE).exists()
    assert AuditEvent.objects.count() == events


def test_the_shipped_subscribers_in_order() -> None:
    assert [(h.event, h.name) for h in registry[hooks.STORE].values()] == [
        ("facts changed", "governance: material change"),
        ("created", "lifecycle: first stage change"),
    ]


def test_an_unknown_event_or_a_second_subscription_is_refused() -> None:
    with pytest.raises(RegistryError, match="no event 'deleted'"):
        hooks.subscribe("deleted", "test", print)  # type: ignore[arg-type]
    with pytest.raises(RegistryError, match="registered twice"):
        hooks.subscribe(hooks.CREATED, "lifecycle: first stage change", print)
