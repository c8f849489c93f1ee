from typing import Any

import pytest

from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.core.models import AuditEvent
from aiom.organisation import services as org
from aiom.organisation.models import Role
from aiom.transparency.models import PublicationDecision
from aiom.transparency.services import decide_publication
from tests.conftest import make_person
from tests.transparency.conftest import PUBLIC, operational, publish


def test_publishing_stores_the_decision_and_audits_it(world, cora):
    uc = operational(world, "Letter assistant")
    decision = publish(cora, uc)
    stored = PublicationDecision.objects.get()
    assert stored == decision and stored.use_case == uc and stored.publish is True
    assert stored.decided_by == cora and stored.policy_version is not None
    assert stored.public_summary == PUBLIC["public_summary"]
    assert stored.contact == "ai-register@example.org"
    assert stored.reference.startswith("AI-") and len(stored.reference) == 11
    event = AuditEvent.objects.get(action="publication.decide")
    assert event.actor == cora and event.object_id == str(decision.pk)
    assert event.before is None
    assert event.after["publish"] is True and event.after["use_case"] == uc.pk
    assert event.after["rationale"].startswith("INTERNAL-RATIONALE")


def test_a_new_decision_supersedes_keeps_history_and_reference(world, cora):
    uc = operational(world, "Letter assistant")
    first = publish(cora, uc)
    second = decide_publication(actor=world.ada, use_case=uc, publish=False, rationale="Replaced")
    assert PublicationDecision.objects.filter(use_case=uc).count() == 2
    assert PublicationDecision.objects.filter(use_case=uc).first() == second
    assert second.reference == first.reference
    # texts carry over from the previous decision when left blank
    assert second.human_oversight == first.human_oversight and second.contact == first.contact
    event = AuditEvent.objects.filter(action="publication.decide").order_by("-seq").first()
    assert event is not None
    assert event.before["publish"] is True and event.after["publish"] is False


def test_summary_defaults_to_the_purpose_and_contact_to_the_policy(world, cora):
    uc = operational(world, "Letter assistant", problem="Replies to letters take a week.")
    with pytest.raises(InvalidInput) as err:
        decide_publication(
            actor=cora,
            use_case=uc,
            publish=True,
            rationale="ok",
            human_oversight="Staff check.",
            oversight_mode="human_decides",
        )
    assert err.value.errors == {
        "contact": "required to publish (the policy names no default contact)"
    }
    d = decide_publication(
        actor=cora,
        use_case=uc,
        publish=True,
        rationale="ok",
        human_oversight="Staff check.",
        oversight_mode="human_decides",
        contact="ai@example.org",
    )
    assert d.public_summary == "Replies to letters take a week."


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"rationale": "  "}, "rationale"),
        ({"human_oversight": ""}, "human_oversight"),
        ({"contact": "not-an-email"}, "contact"),
        ({"public_summary": "x" * 2001}, "public_summary"),
    ],
)
def test_bad_values_are_refused_with_the_field(world, cora, over, field):
    uc = operational(world, "Letter assistant")
    with pytest.raises(InvalidInput) as err:
        publish(cora, uc, **over)
    assert field in err.value.errors
    assert not PublicationDecision.objects.exists()
    assert not AuditEvent.objects.filter(action="publication.decide").exists()


def test_publishing_a_confidential_use_case_is_refused_with_the_reason(world, cora):
    with pytest.raises(InvalidInput) as err:
        publish(cora, world.alice_secret)
    assert err.value.errors["publish"] == (
        "cannot be published: it is confidential, and confidential use cases are never published;"
        " its stage (intake) is not publishable under the policy (publishable: operational)"
    )
    assert not PublicationDecision.objects.exists()


@pytest.mark.parametrize("stage", ["pilot", "scaling", "retired"])
def test_publishing_outside_the_publishable_stages_is_refused(world, cora, stage):
    uc = operational(world, "Letter assistant", stage=stage)
    with pytest.raises(InvalidInput) as err:
        publish(cora, uc)
    assert "cannot be published" in err.value.errors["publish"]


def test_withdrawing_is_always_allowed(world, cora):
    d = decide_publication(
        actor=cora, use_case=world.alice_secret, publish=False, rationale="Confidential."
    )
    assert d.publish is False


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("alice", False),  # the owner
        ("bob", False),
        ("charlie", False),
        ("pat", False),
        ("rita", False),  # a risk reviewer: not a deciding role by default
        ("ada", True),
        ("cora", True),
    ],
)
def test_who_decides(world, cora, name: str, allowed: bool):
    uc = operational(world, "Letter assistant")
    actor: Any = cora if name == "cora" else getattr(world, name)
    if allowed:
        assert publish(actor, uc).decided_by == actor
    else:
        with pytest.raises(PermissionDenied):
            publish(actor, uc)
        assert not PublicationDecision.objects.exists()


def test_a_scoped_compliance_reviewer_decides_within_their_units_only(world):
    carl = make_person("carl", world.retail, (Role.COMPLIANCE_REVIEWER, world.retail))
    inside = operational(world, "Retail letters")
    outside = operational(world, "Wealth letters", org_unit=world.wealth, owner=world.charlie)
    assert publish(carl, inside).publish
    with pytest.raises(PermissionDenied):
        publish(carl, outside)
    org.assign_role(actor=None, user=world.rita, role=Role.COMPLIANCE_REVIEWER, org_unit=None)
    assert publish(world.rita, outside).publish


def test_not_publishing_copies_no_internal_text_into_public_fields(world, cora):
    uc = operational(world, "Letter assistant")
    d = decide_publication(actor=cora, use_case=uc, publish=False, rationale="Not yet.")
    assert (d.public_summary, d.human_oversight, d.contact) == ("", "", "")
