"""Incident and plan services: return value, stored row and audit event; refusals."""

from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.core.models import AuditEvent
from aiom.monitoring import services
from aiom.monitoring.models import CorrectiveAction, Incident, MonitoringCheck, MonitoringPlan
from aiom.portfolio.models import UseCase
from tests.conftest import World
from tests.monitoring.conftest import at, make_kpi, make_plan, report
from tests.notifications.conftest import days_ago

pytestmark = pytest.mark.django_db
LESSONS = "Refresh the retrieval index whenever a policy changes."


def last_event(obj: Any) -> AuditEvent:
    model = obj._meta.label_lower
    return AuditEvent.objects.filter(object_type=model, object_id=str(obj.pk)).latest("seq")


def test_report_incident_stores_and_audits(world: World, live: UseCase) -> None:
    incident = report(
        world, live, severity="medium", model_name="gpt-x 2025-06", harms=["legal", "people"]
    )
    stored = Incident.objects.get()
    assert incident == stored
    assert (stored.status, stored.severity, stored.reported_by) == ("open", "medium", world.alice)
    assert stored.harms == ["people", "legal"]  # the vocabulary's order
    assert stored.model_name == "gpt-x 2025-06"
    assert stored.detected_at >= stored.occurred_at
    event = last_event(stored)
    assert (event.action, event.actor) == ("create", world.alice)
    assert event.after["severity"] == "medium"
    assert event.after["use_case"] == live.pk


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "  "}, "title"),
        ({"severity": "catastrophic"}, "severity"),
        ({"harms": ["reputation"]}, "harms"),
        ({"people_affected": -1}, "people_affected"),
        ({"occurred_at": at(-3)}, "occurred_at"),
        ({"detected_at": at(5)}, "detected_at"),  # before it occurred (2 days ago)
        ({"occurred_at": "yesterday"}, "occurred_at"),
    ],
)
def test_report_refuses_bad_input(
    world: World, live: UseCase, fields: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInput) as exc:
        report(world, live, **fields)
    assert field in exc.value.errors
    assert not Incident.objects.exists()


def test_update_audits_the_change(world: World, live: UseCase) -> None:
    incident = report(world, live)
    updated = services.update_incident(
        actor=world.bob, incident=incident, people_affected=40, description="More than thought."
    )
    assert Incident.objects.get().people_affected == updated.people_affected == 40
    event = last_event(incident)
    assert event.action == "update"
    assert (event.before["people_affected"], event.after["people_affected"]) == (12, 40)


def test_closing_needs_lessons_and_done_actions(world: World, live: UseCase) -> None:
    incident = report(world, live)
    action = services.add_action(
        actor=world.alice,
        incident=incident,
        description="Refresh the index",
        owner=world.bob.pk,
        due_on=days_ago(-7),
    )
    assert CorrectiveAction.objects.get().owner == world.bob
    assert last_event(action).after["owner"]["id"] == world.bob.pk
    with pytest.raises(InvalidInput) as exc:
        services.change_status(actor=world.alice, incident=incident, status="closed")
    assert set(exc.value.errors) == {"lessons_learned", "actions"}
    services.complete_action(actor=world.bob, action=action)  # the action's owner may
    assert CorrectiveAction.objects.get().done_at is not None
    closed = services.change_status(
        actor=world.alice, incident=incident, status="closed", lessons_learned=LESSONS
    )
    stored = Incident.objects.get()
    assert closed.status == stored.status == "closed"
    assert stored.lessons_learned == LESSONS and stored.closed_at is not None
    event = last_event(stored)
    assert (event.action, event.before["status"], event.after["status"]) == (
        "status",
        "open",
        "closed",
    )
    with pytest.raises(InvalidInput):
        services.add_action(actor=world.alice, incident=incident, description="late")
    reopened = services.change_status(actor=world.alice, incident=incident, status="investigating")
    assert reopened.closed_at is None


def test_complete_action_twice_is_refused(world: World, live: UseCase) -> None:
    action = services.add_action(actor=world.alice, incident=report(world, live), description="x")
    services.complete_action(actor=world.alice, action=action)
    with pytest.raises(InvalidInput):
        services.complete_action(actor=world.alice, action=action)
    undone = services.complete_action(actor=world.alice, action=action, done=False)
    assert undone.done_at is None


def test_save_plan_defaults_to_the_policy_cadence(world: World, live: UseCase) -> None:
    plan = services.save_plan(actor=world.alice, use_case=live, reviewer=world.rita)
    stored = MonitoringPlan.objects.get()
    assert plan == stored and stored.review_every_days == 90
    assert stored.starts_on == timezone.localdate()
    assert last_event(stored).action == "create"
    again = services.save_plan(actor=world.alice, use_case=live, review_every_days=30)
    assert again.pk == plan.pk and MonitoringPlan.objects.get().review_every_days == 30
    event = last_event(stored)
    assert (event.action, event.before["review_every_days"], event.after["review_every_days"]) == (
        "update",
        90,
        30,
    )
    with pytest.raises(InvalidInput) as exc:
        services.save_plan(actor=world.alice, use_case=live, review_every_days=0)
    assert "review_every_days" in exc.value.errors


def test_kpi_checks_need_a_kpi_of_the_use_case_and_a_bound(world: World, live: UseCase) -> None:
    plan = make_plan(live, world)
    kpi = make_kpi(live)
    other = make_kpi(world.alice_uc, "Elsewhere")
    check = services.add_check(
        actor=world.alice,
        plan=plan,
        kind="performance_kpi",
        description="p",
        kpi=kpi.pk,
        lower="0.8",
    )
    stored = MonitoringCheck.objects.get()
    assert check == stored and stored.lower == Decimal("0.8") and stored.kpi == kpi
    event = last_event(stored)
    assert (event.action, event.after["kpi"], event.after["upper"]) == ("create", kpi.pk, None)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"kpi": other.pk, "lower": 1}, "kpi"),
        ({"kpi": kpi.pk}, "lower"),
        ({"kpi": kpi.pk, "lower": 2, "upper": 1}, "upper"),
        ({"lower": 1}, "kpi"),
        ({"kind": "vibes"}, "kind"),
    ]
    for bad, field in cases:
        fields: dict[str, Any] = {"kind": "performance_kpi", "description": "d", **bad}
        with pytest.raises(InvalidInput) as exc:
            services.add_check(actor=world.alice, plan=plan, **fields)
        assert field in exc.value.errors
    services.remove_check(actor=world.alice, check=check)
    assert not MonitoringCheck.objects.exists()
    assert AuditEvent.objects.filter(action="delete", object_id=str(check.pk)).exists()


def test_record_review_moves_the_due_date(world: World, live: UseCase) -> None:
    plan = make_plan(live, world, started=100)
    review = services.record_review(
        actor=world.rita, plan=plan, outcome="ok", reviewed_on=days_ago(1)
    )
    stored = MonitoringPlan.objects.get()
    assert stored.last_reviewed_on == days_ago(1) == review.reviewed_on
    assert review.reviewed_by == world.rita
    event = last_event(stored)
    assert (event.action, event.after["review"]["outcome"]) == ("review", "ok")
    with pytest.raises(InvalidInput) as exc:
        services.record_review(actor=world.rita, plan=plan, outcome="concerns")
    assert "note" in exc.value.errors
    with pytest.raises(InvalidInput):
        services.record_review(actor=world.rita, plan=plan, outcome="ok", reviewed_on=days_ago(-1))


@pytest.mark.parametrize(
    ("persona", "report_ok", "handle_ok", "review_ok"),
    [
        ("alice", True, True, True),  # owner
        ("bob", True, True, True),  # sponsor
        ("charlie", True, False, False),  # outsider: can see, may report
        ("pat", False, False, False),  # partner: never writes
        ("ada", True, True, True),  # admin
        ("rita", True, True, True),  # global risk reviewer, and the plan's reviewer
    ],
)
def test_who_may_write(
    world: World, live: UseCase, persona: str, report_ok: bool, handle_ok: bool, review_ok: bool
) -> None:
    user = getattr(world, persona)
    incident = report(world, live)
    plan = make_plan(live, world)

    def allowed(call: Any, **kwargs: Any) -> bool:
        try:
            call(actor=user, **kwargs)
        except PermissionDenied:
            return False
        return True

    assert (
        allowed(
            services.report_incident, use_case=live, title="t", occurred_at=at(1), severity="low"
        )
        is report_ok
    )
    assert allowed(services.update_incident, incident=incident, description="d") is handle_ok
    assert allowed(services.save_plan, use_case=live, review_every_days=60) is handle_ok
    assert allowed(services.record_review, plan=plan, outcome="ok") is review_ok


def test_nobody_outside_reports_on_a_confidential_use_case(world: World) -> None:
    with pytest.raises(PermissionDenied):
        report(world, world.alice_secret, actor=world.charlie)
