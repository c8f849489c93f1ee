"""Assessment services: return value, stored row, the use case's tier and the audit event.

Permissions are tested for every persona; stale-on-material-change goes through the real
`update_use_case`, since that is where the hook runs.
"""

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User

from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.core.models import AuditEvent
from aiom.governance.assessments import services as assessments
from aiom.governance.models import RiskAssessment
from aiom.governance.policy.versions import active_policy
from aiom.organisation.models import OrgUnit, Role
from aiom.portfolio import services as portfolio
from aiom.portfolio.models import UseCase
from tests.conftest import World, make_person
from tests.governance.test_scoring import CREDIT_SCORING, CUSTOMER_CHATBOT, INTERNAL_HELPER

WHY = "Reviewed the vendor contract: outputs never reach customers unreviewed."


def events(uc: UseCase, action: str) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            object_type="portfolio.usecase", object_id=str(uc.pk), action=action
        ).order_by("seq")
    )


def reviewer(role: str, unit: OrgUnit, name: str = "riley") -> User:
    return make_person(name, unit, (role, unit))


def test_assess_stores_scores_sets_the_tier_and_audits(world: World) -> None:
    uc = world.alice_uc
    row = assessments.assess(actor=world.alice, use_case=uc, answers=CUSTOMER_CHATBOT)
    stored = RiskAssessment.objects.get(pk=row.pk)
    assert (stored.tier, stored.computed_tier, stored.is_current, stored.stale) == (
        "medium",
        "medium",
        True,
        False,
    )
    assert str(stored.score) == "0.2931"
    assert [stored.impact_raw, stored.impact_max] == [Decimal(10), Decimal(29)]
    assert stored.answers["interaction"] == ["chatbot"]
    assert stored.section_scores["people"] == {"raw": "4.0", "max": "6.0"}
    assert stored.duties == [
        "transparency notice that people are talking to an AI system (EU AI Act Art. 50(1))"
    ]
    assert stored.policy_version == active_policy().version
    assert (stored.stage_at_assessment, stored.assessed_by) == ("intake", world.alice)
    assert uc.tier == "medium"
    assert UseCase.objects.get(pk=uc.pk).tier == "medium"
    assert UseCase.objects.get(pk=uc.pk).version == uc.version  # not an edit of its facts
    [event] = events(uc, "assess")
    assert (event.actor_id, event.policy_version) == (world.alice.pk, stored.policy_version)
    assert event.before == {"tier": None, "score": None, "stale": None}
    assert event.after == {
        "tier": "medium",
        "score": "0.2931",
        "stale": False,
        "computed_tier": "medium",
        "prohibited": False,
        "assessment": row.pk,
        "lowered_to": None,
    }
    assert "medium threshold" in event.message
    assert assessments.current_assessment(uc) == stored


def test_reassessing_replaces_the_current_assessment(world: World) -> None:
    uc = world.alice_uc
    first = assessments.assess(actor=world.alice, use_case=uc, answers=INTERNAL_HELPER)
    second = assessments.assess(actor=world.rita, use_case=uc, answers=CREDIT_SCORING)
    assert list(RiskAssessment.objects.filter(use_case=uc).values_list("pk", "is_current")) == [
        (second.pk, True),
        (first.pk, False),
    ]
    assert UseCase.objects.get(pk=uc.pk).tier == "high"
    assert "Annex III 5" in second.decided_by
    last = events(uc, "assess")[-1]
    assert last.before == {"tier": "low", "score": "0.0000", "stale": False}
    assert last.after["tier"] == "high"


def test_answers_are_normalised(world: World) -> None:
    given: dict[str, str | list[str]] = {**INTERNAL_HELPER, "domain": ["internal_operations"]}
    given["personal_data"] = "personal"  # a single key for a multiple question
    interaction = ("synthetic_content", "chatbot", "chatbot")  # any sequence will do
    row = assessments.assess(
        actor=world.alice, use_case=world.alice_uc, answers=given | {"interaction": interaction}
    )
    assert row.answers["domain"] == "internal_operations"
    assert row.answers["personal_data"] == ["personal"]
    assert row.answers["interaction"] == ["chatbot", "synthetic_content"]


def test_a_system_assessment_has_no_assessor(world: World) -> None:
    row = assessments.assess(actor=None, use_case=world.wealth_secret, answers=INTERNAL_HELPER)
    assert row.assessed_by is None
    assert events(world.wealth_secret, "assess")[0].actor_name == "system"


@pytest.mark.parametrize(
    ("change", "problems"),
    [
        ({"domain": None}, {"domain": "unanswered"}),
        ({"domain": "space"}, {"domain": "unknown answer space"}),
        ({"affected": ["staff", "consumers"]}, {"affected": "choose exactly one answer"}),
        ({"colour": "blue"}, {"colour": "not a question of the active policy"}),
        ({"interaction": []}, {"interaction": "unanswered"}),
    ],
)
def test_bad_answers_are_refused_by_question(
    world: World, change: dict[str, Any], problems: dict[str, str]
) -> None:
    given = {k: v for k, v in (INTERNAL_HELPER | change).items() if v is not None}
    with pytest.raises(InvalidInput) as err:
        assessments.assess(actor=world.alice, use_case=world.alice_uc, answers=given)
    assert err.value.errors == problems
    assert not RiskAssessment.objects.exists()
    assert not events(world.alice_uc, "assess")
    assert UseCase.objects.get(pk=world.alice_uc.pk).tier == ""


@pytest.mark.parametrize("stage", ["retired", "rejected", "stopped"])
def test_terminal_stages_cannot_be_assessed(world: World, stage: str) -> None:
    uc = portfolio.create_use_case(
        actor=None, require_owner=False, title="Old bot", org_unit=world.retail, stage=stage
    )
    with pytest.raises(InvalidInput) as err:
        assessments.assess(actor=world.ada, use_case=uc, answers=INTERNAL_HELPER)
    assert set(err.value.errors) == {"stage"}
    assert not RiskAssessment.objects.filter(use_case=uc).exists()


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("alice", True),  # owner
        ("bob", False),  # same unit, no role
        ("charlie", False),  # outsider
        ("pat", False),  # partner: never writes
        ("ada", True),  # administrator
        ("rita", True),  # global risk reviewer
    ],
)
def test_who_may_assess(world: World, persona: str, allowed: bool) -> None:
    actor = world.persona(persona)
    assert assessments.can_assess(actor, world.alice_uc) is allowed
    if allowed:
        assessments.assess(actor=actor, use_case=world.alice_uc, answers=INTERNAL_HELPER)
        assert UseCase.objects.get(pk=world.alice_uc.pk).tier == "low"
    else:
        with pytest.raises(PermissionDenied):
            assessments.assess(actor=actor, use_case=world.alice_uc, answers=INTERNAL_HELPER)
        assert not RiskAssessment.objects.exists()


@pytest.mark.parametrize(
    ("role", "unit", "allowed"),
    [
        (Role.COMPLIANCE_REVIEWER, "retail", True),
        (Role.RISK_REVIEWER, "group", True),  # scoped above the use case's unit
        (Role.RISK_REVIEWER, "cards", False),  # scoped below it
        (Role.RISK_REVIEWER, "wealth", False),
        (Role.DATA_STEWARD, "retail", False),
    ],
)
def test_scoped_reviewers_assess_within_their_units(
    world: World, role: str, unit: str, allowed: bool
) -> None:
    actor = reviewer(role, getattr(world, unit))
    assert assessments.can_assess(actor, world.alice_uc) is allowed


def test_override_keeps_the_computed_tier_and_audits(world: World) -> None:
    row = assessments.assess(actor=world.alice, use_case=world.alice_uc, answers=CUSTOMER_CHATBOT)
    result = assessments.override_tier(
        actor=world.rita, assessment=row, tier="high", justification=WHY
    )
    stored = RiskAssessment.objects.get(pk=row.pk)
    assert result.pk == stored.pk
    assert (stored.tier, stored.computed_tier, stored.override_by) == ("high", "medium", world.rita)
    assert stored.override_justification == WHY
    assert UseCase.objects.get(pk=world.alice_uc.pk).tier == "high"
    [event] = events(world.alice_uc, "override_tier")
    assert event.actor_id == world.rita.pk
    assert event.before == {
        "tier": "medium",
        "override_justification": "",
        "lowered_to": None,
    }
    assert event.after == {
        "tier": "high",
        "computed_tier": "medium",
        "override_justification": WHY,
        "lowered_to": None,
        "assessment": row.pk,
    }
    assert event.policy_version == row.policy_version


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("alice", False),  # owner: no override role, and segregation of duties
        ("bob", False),
        ("charlie", False),
        ("pat", False),
        ("ada", True),
        ("rita", True),
    ],
)
def test_who_may_override(world: World, persona: str, allowed: bool) -> None:
    row = assessments.assess(actor=None, use_case=world.alice_uc, answers=INTERNAL_HELPER)
    actor = world.persona(persona)
    if allowed:
        assessments.override_tier(actor=actor, assessment=row, tier="medium", justification=WHY)
        assert RiskAssessment.objects.get(pk=row.pk).tier == "medium"
    else:
        with pytest.raises(PermissionDenied):
            assessments.override_tier(actor=actor, assessment=row, tier="medium", justification=WHY)
        assert RiskAssessment.objects.get(pk=row.pk).tier == "low"


@pytest.mark.parametrize(
    ("role", "unit", "allowed"),
    [
        (Role.COMPLIANCE_REVIEWER, "retail", True),
        (Role.RISK_REVIEWER, "wealth", False),
        (Role.AI_EXPERT, None, False),  # may assess (edits every use case) but not override
    ],
)
def test_override_roles_come_from_the_policy(
    world: World, role: str, unit: str | None, allowed: bool
) -> None:
    scope = getattr(world, unit) if unit else None
    actor = make_person("riley", scope, (role, scope))
    row = assessments.assess(actor=None, use_case=world.alice_uc, answers=INTERNAL_HELPER)
    policy = active_policy().policy
    assert assessments.can_override(actor, world.alice_uc, policy) is allowed
    if allowed:
        assessments.override_tier(actor=actor, assessment=row, tier="high", justification=WHY)
    else:
        with pytest.raises(PermissionDenied):
            assessments.override_tier(actor=actor, assessment=row, tier="high", justification=WHY)
    assert RiskAssessment.objects.get(pk=row.pk).tier == ("high" if allowed else "low")


def test_the_owner_cannot_override_even_as_a_reviewer(world: World) -> None:
    from aiom.organisation import services as org

    org.assign_role(actor=None, user=world.alice, role=Role.RISK_REVIEWER, org_unit=world.retail)
    row = assessments.assess(actor=world.alice, use_case=world.alice_uc, answers=INTERNAL_HELPER)
    with pytest.raises(PermissionDenied, match="owner or sponsor"):
        assessments.override_tier(actor=world.alice, assessment=row, tier="high", justification=WHY)


@pytest.mark.parametrize(
    ("tier", "justification", "bad"),
    [
        ("high", "too short", {"justification"}),
        ("high", "   " + "x" * 19 + "   ", {"justification"}),
        ("low", WHY, {"tier"}),  # already low
        ("extreme", WHY, {"tier"}),
        ("extreme", "", {"tier", "justification"}),
    ],
)
def test_override_needs_a_new_tier_and_a_justification(
    world: World, tier: str, justification: str, bad: set[str]
) -> None:
    row = assessments.assess(actor=None, use_case=world.alice_uc, answers=INTERNAL_HELPER)
    with pytest.raises(InvalidInput) as err:
        assessments.override_tier(
            actor=world.rita, assessment=row, tier=tier, justification=justification
        )
    assert set(err.value.errors) == bad
    assert not events(world.alice_uc, "override_tier")


def test_justification_of_exactly_twenty_characters_is_enough(world: World) -> None:
    row = assessments.assess(actor=None, use_case=world.alice_uc, answers=INTERNAL_HELPER)
    done = assessments.override_tier(
        actor=world.rita, assessment=row, tier="high", justification=" " + "x" * 20 + " "
    )
    assert done.override_justification == "x" * 20


def test_a_prohibited_assessment_stays_blocked(world: World) -> None:
    given = INTERNAL_HELPER | {"prohibited_practices": ["social_scoring"]}
    row = assessments.assess(actor=world.alice, use_case=world.alice_uc, answers=given)
    assert (row.prohibited, row.tier) == (True, "high")
    assert row.prohibited_reasons == ["social scoring (EU AI Act Art. 5(1)(c))"]
    for tier in ("low", "medium"):
        with pytest.raises(InvalidInput) as err:
            assessments.override_tier(actor=world.ada, assessment=row, tier=tier, justification=WHY)
        assert "cannot lift it" in err.value.errors["tier"]
    stored = RiskAssessment.objects.get(pk=row.pk)
    assert (stored.prohibited, stored.tier, stored.override_by) == (True, "high", None)


def test_only_the_current_assessment_can_be_overridden(world: World) -> None:
    old = assessments.assess(actor=None, use_case=world.alice_uc, answers=INTERNAL_HELPER)
    assessments.assess(actor=None, use_case=world.alice_uc, answers=INTERNAL_HELPER)
    with pytest.raises(InvalidInput) as err:
        assessments.override_tier(actor=world.rita, assessment=old, tier="high", justification=WHY)
    assert set(err.value.errors) == {"assessment"}


def test_material_change_marks_the_assessment_stale(world: World) -> None:
    uc = world.alice_uc
    row = assessments.assess(actor=world.alice, use_case=uc, answers=INTERNAL_HELPER)
    portfolio.update_use_case(actor=world.alice, use_case=uc, personal_data=True)
    stored = RiskAssessment.objects.get(pk=row.pk)
    assert (stored.stale, stored.stale_reason, stored.is_current) == (
        True,
        "it now uses personal data",
        True,
    )
    assert stored.stale_since is not None
    assert UseCase.objects.get(pk=uc.pk).tier == "low"  # still the best knowledge
    [event] = events(uc, "assessment_stale")
    assert (event.actor_id, event.policy_version) == (world.alice.pk, row.policy_version)
    assert event.after == {
        "stale": True,
        "stale_reason": "it now uses personal data",
        "assessment": row.pk,
    }
    update = events(uc, "update")[-1]
    assert update.seq == event.seq - 1  # same transaction, right after the edit


def test_several_material_changes_are_joined_in_policy_order(world: World) -> None:
    uc = world.alice_uc
    assessments.assess(actor=world.alice, use_case=uc, answers=INTERNAL_HELPER)
    portfolio.update_use_case(
        actor=world.alice,
        use_case=uc,
        environment="production",
        customer_facing=True,
        personal_data=True,
    )
    assert assessments.current_assessment(uc).stale_reason == (  # type: ignore[union-attr]
        "it now uses personal data; it became customer-facing; "
        "it moved from the sandbox to production"
    )


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Mortgage summariser v2"},
        {"ai_type": "generative"},
        {"personal_data": False},  # unchanged
    ],
)
def test_a_non_material_change_does_not(world: World, change: dict[str, Any]) -> None:
    uc = world.alice_uc
    assessments.assess(actor=world.alice, use_case=uc, answers=INTERNAL_HELPER)
    portfolio.update_use_case(actor=world.alice, use_case=uc, **change)
    assert not assessments.current_assessment(uc).stale  # type: ignore[union-attr]
    assert not events(uc, "assessment_stale")


def test_becoming_false_is_not_material(world: World) -> None:
    uc = portfolio.create_use_case(
        actor=world.alice, title="CRM", org_unit=world.retail, owner=world.alice, personal_data=True
    )
    assessments.assess(
        actor=world.alice, use_case=uc, answers=INTERNAL_HELPER | {"personal_data": ["personal"]}
    )
    portfolio.update_use_case(actor=world.alice, use_case=uc, personal_data=False)
    assert not assessments.current_assessment(uc).stale  # type: ignore[union-attr]


def test_reassessing_clears_staleness(world: World) -> None:
    uc = world.alice_uc
    old = assessments.assess(actor=world.alice, use_case=uc, answers=INTERNAL_HELPER)
    portfolio.update_use_case(actor=world.alice, use_case=uc, personal_data=True)
    new = assessments.assess(
        actor=world.alice, use_case=uc, answers=INTERNAL_HELPER | {"personal_data": ["personal"]}
    )
    assert not new.stale
    assert assessments.current_assessment(uc) == new
    assert RiskAssessment.objects.get(pk=old.pk).stale  # history keeps what happened
    assert events(uc, "assess")[-1].before["stale"] is True
    assert events(uc, "assess")[-1].after["stale"] is False


def test_an_unassessed_or_already_stale_use_case_gets_no_event(world: World) -> None:
    uc = world.alice_uc
    portfolio.update_use_case(actor=world.alice, use_case=uc, personal_data=True)
    assert not events(uc, "assessment_stale")
    assessments.assess(
        actor=world.alice, use_case=uc, answers=INTERNAL_HELPER | {"personal_data": ["personal"]}
    )
    portfolio.update_use_case(actor=world.alice, use_case=uc, customer_facing=True)
    portfolio.update_use_case(actor=world.alice, use_case=uc, automated_decisions=True)
    [event] = events(uc, "assessment_stale")
    assert event.after["stale_reason"] == "it became customer-facing"


def test_a_stale_assessment_cannot_be_overridden(world: World) -> None:
    uc = world.alice_uc
    row = assessments.assess(actor=world.alice, use_case=uc, answers=INTERNAL_HELPER)
    portfolio.update_use_case(actor=world.alice, use_case=uc, personal_data=True)
    with pytest.raises(InvalidInput) as err:
        assessments.override_tier(actor=world.rita, assessment=row, tier="high", justification=WHY)
    assert "re-assess first" in err.value.errors["assessment"]


def test_the_facts_hook_costs_no_query_when_no_risk_fact_changed(
    world: World, django_assert_num_queries: Any
) -> None:
    before = {"personal_data": False, "environment": "sandbox", "title": "a"}
    with django_assert_num_queries(0):
        got = assessments.on_facts_changed(
            actor=None, use_case=world.alice_uc, before=before, after=before | {"title": "b"}
        )
    assert got is None
