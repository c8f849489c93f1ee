"""Activating a policy makes it the next version, audited; unchanged content is a no-op."""

from typing import Any

import pytest

from aiom.core.context import reset_request_id, set_request_id
from aiom.core.errors import PermissionDenied
from aiom.core.models import AuditEvent
from aiom.governance.models import PolicyVersion
from aiom.governance.policy import versions as policies
from tests.conftest import World

DEFAULT_TEXT = policies.DEFAULT_POLICY_PATH.read_text(encoding="utf-8")
STRICTER = DEFAULT_TEXT.replace("medium: 0.25, high: 0.5", "medium: 0.2, high: 0.4").replace(
    "name: aiom default operating model", "name: stricter operating model"
)


def test_activate_makes_the_next_version_and_audits_it(world: World) -> None:
    before = policies.active_policy()
    row = policies.activate(actor=world.ada, text=STRICTER, note="lower thresholds")

    assert row.version == before.version + 1
    stored = PolicyVersion.objects.get(version=row.version)
    assert stored.content == STRICTER
    assert stored.sha256 == policies.content_hash(STRICTER)
    assert (stored.name, stored.activated_by, stored.note) == (
        "stricter operating model",
        world.ada,
        "lower thresholds",
    )
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None
    assert (event.action, event.object_type, event.object_id) == (
        "activate",
        "governance.policyversion",
        str(row.pk),
    )
    assert event.actor == world.ada
    assert event.policy_version == row.version
    assert event.before == {"version": before.version, "sha256": before.sha256}
    assert event.after == {
        "version": row.version,
        "sha256": stored.sha256,
        "name": "stricter operating model",
    }
    assert event.message == "lower thresholds"


def test_active_policy_is_the_newest_version(world: World) -> None:
    first = policies.activate(actor=world.ada, text=STRICTER)
    second = policies.activate(actor=None, text=DEFAULT_TEXT, note="back to the default")

    active = policies.active_policy()
    assert second.version == first.version + 1
    assert (active.version, active.sha256) == (second.version, second.sha256)
    assert active.policy.name == "aiom default operating model"
    assert active.policy.scoring.thresholds["medium"] == 0.25


def test_same_content_again_is_a_no_op(world: World) -> None:
    row = policies.activate(actor=world.ada, text=STRICTER)
    versions, events = PolicyVersion.objects.count(), AuditEvent.objects.count()

    again = policies.activate(actor=world.ada, text=STRICTER, note="twice")

    assert again.pk == row.pk
    assert again.version == row.version
    assert PolicyVersion.objects.count() == versions
    assert AuditEvent.objects.count() == events


def test_an_invalid_document_is_refused_and_nothing_is_stored(world: World) -> None:
    versions, events = PolicyVersion.objects.count(), AuditEvent.objects.count()
    with pytest.raises(policies.PolicyError) as caught:
        policies.activate(
            actor=world.ada, text=STRICTER.replace("structure: federated", "structure: anarchic")
        )
    assert caught.value.problems == [
        "structure: Input should be 'centralized', 'federated' or 'decentralized'"
    ]
    assert PolicyVersion.objects.count() == versions
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("persona", ["alice", "bob", "charlie", "pat", "rita"])
def test_only_administrators_activate(world: World, persona: str) -> None:
    versions, events = PolicyVersion.objects.count(), AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        policies.activate(actor=world.persona(persona), text=STRICTER)
    assert PolicyVersion.objects.count() == versions
    assert AuditEvent.objects.count() == events


def test_read_once_per_request_and_again_after_an_activation(
    world: World, django_assert_num_queries: Any
) -> None:
    token = set_request_id("req-policy-once")
    try:
        before = policies.active_policy()
        with django_assert_num_queries(0):  # the same request: kept
            assert policies.active_policy() == before
        policies.activate(actor=world.ada, text=STRICTER, note="in the same request")
        assert policies.active_policy().version == before.version + 1  # not the kept one
    finally:
        reset_request_id(token)
    with django_assert_num_queries(1):  # outside a request nothing is kept
        assert policies.active_policy().version == before.version + 1
