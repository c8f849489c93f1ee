"""A severe incident blocks moves only once its use case's owner or a reviewer confirms it.

Anyone inside may file one (and everyone is notified as before); a colleague's report of
a critical incident alone must not block the use case's next move. The block is the one
incidents always had: the risk assessment re-opens, and the gates that need a current
assessment fail naming the incident.
"""

from typing import Any

import pytest
from django.test import Client

from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.core.models import AuditEvent
from aiom.governance.models import RiskAssessment
from aiom.governance.policy.versions import active_policy
from aiom.lifecycle.gates import facts_for, gate_report
from aiom.monitoring import rules, services
from aiom.monitoring.models import Incident
from aiom.notifications.models import Notice
from aiom.portfolio.models import UseCase
from tests.conftest import World
from tests.monitoring.conftest import report
from tests.notifications.conftest import days_ago, make_assessment, make_use_case

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("severity", "confirmed", "threshold", "blocks"),
    [
        ("critical", False, "high", False),  # filed, not confirmed: nothing is blocked
        ("critical", True, "high", True),
        ("high", True, "high", True),
        ("high", False, "high", False),
        ("medium", True, "high", False),  # below the policy's threshold
        ("low", True, "low", True),
        ("critical", True, None, False),  # the policy re-opens for no severity
        ("bogus", True, "high", False),
    ],
)
def test_blocks_only_when_confirmed_and_severe(
    severity: str, confirmed: bool, threshold: str | None, blocks: bool
) -> None:
    assert rules.blocks(severity, confirmed, threshold) is blocks


@pytest.mark.parametrize(
    ("was", "regraded", "by_confirmer", "now"),
    [
        (False, True, True, True),  # the owner or a reviewer re-grades: confirmed
        (True, True, False, False),  # anyone else re-grades: confirmation lapses
        (False, True, False, False),
        (True, False, False, True),  # other edits keep it
        (False, False, True, False),  # editing the text is not confirming
        (True, False, True, True),
    ],
)
def test_confirmation_after_a_change(was: bool, regraded: bool, by_confirmer: bool, now: bool):
    assert (
        rules.confirmed_after_change(
            was_confirmed=was, regraded=regraded, by_confirmer=by_confirmer
        )
        is now
    )


@pytest.fixture
def scaling(world: World) -> UseCase:
    """Alice's use case in scaling, Bob sponsoring, with a current medium assessment."""
    uc = make_use_case(world, "Card fraud scoring", stage="scaling", sponsor=world.bob)
    make_assessment(uc, days_ago(10), tier="medium")
    return uc


def assessment_gate(uc: UseCase) -> tuple[bool, str]:
    """The result of the next move's `risk_assessment_current` check."""
    report = gate_report(active_policy().policy, facts_for(uc), "operational")
    [result] = [r for r in report.results if r.check == "risk_assessment_current"]
    return result.passed, result.reason


def stale(uc: UseCase) -> bool:
    return RiskAssessment.objects.get(use_case=uc, is_current=True).stale


def test_a_colleagues_critical_incident_blocks_nothing_until_the_owner_confirms(
    world: World, scaling: UseCase, django_capture_on_commit_callbacks: Any
) -> None:
    assert assessment_gate(scaling)[0]
    with django_capture_on_commit_callbacks(execute=True):
        incident = report(world, scaling, "critical", actor=world.bob, title="Fraud missed")
    assert not incident.severity_confirmed and incident.reported_by == world.bob
    assert not stale(scaling) and assessment_gate(scaling)[0]
    notice = Notice.objects.get()  # notified as today, saying it awaits confirmation
    assert "awaits confirmation" in notice.body and notice.payload["severity_confirmed"] is False

    confirmed = services.confirm_severity(actor=world.alice, incident=incident)
    assert confirmed.severity_confirmed and confirmed.severity_confirmed_by == world.alice
    stored = Incident.objects.get(pk=incident.pk)
    assert stored.severity_confirmed_at is not None and stored.severity == "critical"
    assert stale(scaling)
    passed, reason = assessment_gate(scaling)
    assert not passed and f"critical-severity incident #{incident.pk}" in reason
    event = AuditEvent.objects.get(action="confirm_severity")
    assert event.actor == world.alice and event.object_id == str(incident.pk)
    assert event.before["severity_confirmed_by"] is None
    assert event.after["severity_confirmed_by"] == world.alice.pk
    assert Notice.objects.count() == 1  # one notice per incident, as before


def test_a_reviewer_confirms_too(world: World, scaling: UseCase) -> None:
    incident = report(world, scaling, "high", actor=world.bob)
    assert not stale(scaling)
    services.confirm_severity(actor=world.rita, incident=incident)
    assert stale(scaling) and not assessment_gate(scaling)[0]


@pytest.mark.parametrize("name", ["bob", "charlie", "ada", "pat"])
def test_no_one_else_confirms(world: World, scaling: UseCase, name: str) -> None:
    """Not the colleague who filed it, nor another unit, nor an administrator as such."""
    incident = report(world, scaling, "critical", actor=world.bob)
    events = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.confirm_severity(actor=world.persona(name), incident=incident)
    assert not Incident.objects.get(pk=incident.pk).severity_confirmed
    assert not stale(scaling) and AuditEvent.objects.count() == events


def test_the_owner_may_confirm_a_lower_severity(world: World, scaling: UseCase) -> None:
    incident = report(world, scaling, "critical", actor=world.bob)
    services.confirm_severity(actor=world.alice, incident=incident, severity="low")
    stored = Incident.objects.get(pk=incident.pk)
    assert (stored.severity, stored.severity_confirmed) == ("low", True)
    assert not stale(scaling) and assessment_gate(scaling)[0]
    event = AuditEvent.objects.get(action="confirm_severity")
    assert event.message == "Incident severity confirmed: critical → low."


def test_reporting_as_owner_or_reviewer_confirms(world: World, scaling: UseCase) -> None:
    incident = report(world, scaling, "high", actor=world.rita)
    assert incident.severity_confirmed and incident.severity_confirmed_by == world.rita
    assert stale(scaling)


def test_a_regrade_by_someone_else_needs_confirming_again(world: World, scaling: UseCase) -> None:
    """Bob, as sponsor, may handle the incident: raising it is not confirming it."""
    incident = report(world, scaling, "low", actor=world.alice)
    assert incident.severity_confirmed
    services.update_incident(actor=world.bob, incident=incident, severity="critical")
    stored = Incident.objects.get(pk=incident.pk)
    assert not stored.severity_confirmed and not stale(scaling)
    services.update_incident(actor=world.alice, incident=stored, severity="high")
    assert Incident.objects.get(pk=incident.pk).severity_confirmed and stale(scaling)


def test_refusals_name_the_problem(world: World, scaling: UseCase) -> None:
    incident = report(world, scaling, "high", actor=world.bob)
    with pytest.raises(InvalidInput) as bad:
        services.confirm_severity(actor=world.alice, incident=incident, severity="dire")
    assert bad.value.errors == {"severity": "one of low, medium, high, critical"}
    services.confirm_severity(actor=world.alice, incident=incident)
    with pytest.raises(InvalidInput) as again:
        services.confirm_severity(actor=world.rita, incident=incident)
    assert again.value.errors["severity"].startswith("already confirmed as high by ")


def test_confirm_through_the_api(
    client: Client, world: World, scaling: UseCase, bearer: Any
) -> None:
    incident = report(world, scaling, "critical", actor=world.bob)
    url = f"/api/v1/incidents/{incident.pk}/severity-confirmation"

    def post(name: str, body: dict[str, str], scopes: tuple[str, ...] = ("read", "write")) -> Any:
        headers = bearer(name, scopes)
        return client.post(url, body, content_type="application/json", headers=headers)

    assert post("bob", {}).status_code == 403
    assert post("alice", {}, ("read",)).status_code == 403
    assert post("alice", {"severity": "dire"}).status_code == 422
    assert not stale(scaling)
    got = client.get(f"/api/v1/incidents/{incident.pk}", headers=bearer("bob"))
    assert got.json()["severity_confirmed"] is False
    ok = post("alice", {})
    assert ok.status_code == 200, ok.content
    body = ok.json()
    assert body["severity_confirmed"] is True
    assert body["severity_confirmed_by"]["id"] == world.alice.pk
    assert stale(scaling)


def test_confirm_on_the_incident_page(world: World, scaling: UseCase, login: Any) -> None:
    incident = report(world, scaling, "critical", actor=world.bob)
    page = f"/incidents/{incident.pk}/"
    bob = login("bob").get(page).content.decode()
    assert "severity not confirmed" in bob and "Confirm severity" not in bob
    assert ">unconfirmed</span>" in login("bob").get("/incidents/").content.decode()
    assert login("bob").post(f"{page}confirm-severity/").status_code == 403
    alice = login("alice")
    assert "Confirm severity" in alice.get(page).content.decode()
    r = alice.post(f"{page}confirm-severity/", {"severity": "critical"})
    assert r.status_code == 302 and r["Location"] == page
    html = alice.get(page).content.decode()
    assert "Severity confirmed as critical." in html and "severity confirmed</span>" in html
    assert ">unconfirmed</span>" not in alice.get("/incidents/").content.decode()
    assert stale(scaling)
