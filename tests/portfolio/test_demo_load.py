"""What one demo load puts in the database, checked on a single shared load.

Loading takes seconds, so the read-only checks share one load per module: the fixture
opens a transaction around it and rolls it back at the end of the module.
"""

import datetime as dt
import re
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import Client, override_settings
from django.utils import timezone

from aiom.core.audit import verify_chain
from aiom.core.models import AuditEvent
from aiom.demo.data import MARKER_CODE, PEOPLE, UNITS
from aiom.demo.loader import DemoSummary, load_demo
from aiom.governance.models import Decision, ReviewRequest
from aiom.insights.analytics import facts
from aiom.lifecycle.models import PilotPlan
from aiom.maturity.models import SelfAssessment
from aiom.organisation.models import OrgUnit, Role, RoleAssignment
from aiom.portfolio.models import UseCase
from aiom.portfolio.vocabulary import DEFAULT_THEMES, STAGE_KEYS, AIType, Sourcing
from aiom.value.models import KPI, Adoption, Feedback, Measurement, PriorityScore, UseCaseFacts

FAST = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TODAY = timezone.localdate() - dt.timedelta(days=10)  # dates count back from the given day


@pytest.fixture(scope="module")
def loaded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[DemoSummary]:
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST),
        transaction.atomic(),
    ):
        yield load_demo(today=TODAY)
        transaction.set_rollback(True)


def counts() -> tuple[int, int, int, int]:
    return (
        OrgUnit.objects.count(),
        User.objects.count(),
        UseCase.objects.count(),
        AuditEvent.objects.count(),
    )


def test_the_load_meets_the_minimums(loaded: DemoSummary, db: Any) -> None:
    assert loaded.org_units == OrgUnit.objects.count() == len(UNITS) >= 8
    assert loaded.people == User.objects.count() == len(PEOPLE) >= 40
    assert loaded.use_cases == UseCase.objects.count() >= 200
    assert loaded.audit_events >= loaded.org_units + loaded.people + loaded.use_cases
    group = OrgUnit.objects.get(code=MARKER_CODE)
    assert group.name == "Group" and group.parent is None
    assert not OrgUnit.objects.filter(lead=None).exists()


def test_every_write_of_the_demo_kept_the_figures_facts_true(loaded: DemoSummary, db: Any) -> None:
    assert facts.verify() == []  # nothing the demo wrote was left unmarked
    assert UseCaseFacts.objects.count() == UseCase.objects.count()


def test_the_portfolio_covers_every_stage_theme_type_and_sourcing(
    loaded: DemoSummary, db: Any
) -> None:
    cases = UseCase.objects.all()
    assert set(cases.values_list("stage", flat=True)) == set(STAGE_KEYS)
    assert set(cases.values_list("theme__key", flat=True)) == {k for k, _, _ in DEFAULT_THEMES}
    assert set(cases.values_list("ai_type", flat=True)) == set(AIType.values)
    assert set(cases.values_list("sourcing", flat=True)) == set(Sourcing.values)
    assert set(cases.values_list("environment", flat=True)) == {"sandbox", "production"}
    assert not cases.filter(sourcing=Sourcing.BUY, vendor="").exists()
    funnel = dict(cases.values_list("stage").annotate(n=Count("id")).values_list("stage", "n"))
    assert funnel["intake"] > funnel["pilot"] > funnel["operational"] > funnel["retired"]
    n = cases.count()
    assert 0.04 * n <= cases.filter(owner=None).count() <= 0.08 * n
    assert 0.06 * n <= cases.filter(confidential=True).count() <= 0.10 * n
    assert cases.exclude(sponsor=None).count() > 0.7 * n
    assert cases.filter(expected_benefit_currency="EUR").count() > 0.7 * n
    assert set(cases.values_list("external_id", flat=True)) == {
        f"DEMO-{i:04d}" for i in range(1, n + 1)
    }


def test_people_hold_every_role_and_can_log_in(
    loaded: DemoSummary, db: Any, client: Client
) -> None:
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values)
    assert RoleAssignment.objects.filter(role=Role.ADMINISTRATOR, user__username="admin").exists()
    partner = RoleAssignment.objects.get(role=Role.PARTNER)
    assert partner.org_unit is not None
    for role in (Role.AI_EXPERT, Role.RISK_REVIEWER, Role.COMPLIANCE_REVIEWER):
        assert RoleAssignment.objects.filter(role=role, org_unit=None).exists()
    for role in (Role.RISK_REVIEWER, Role.COMPLIANCE_REVIEWER):
        assert RoleAssignment.objects.filter(role=role, org_unit__isnull=False).exists()
    emails = User.objects.values_list("email", flat=True)
    assert all(re.fullmatch(r"[a-z]+(\.[a-z]+)?@example\.com", e) for e in emails)
    assert client.login(username="admin", password="aiom-demo")


def test_every_use_case_has_its_create_event_and_the_chain_holds(
    loaded: DemoSummary, db: Any
) -> None:
    ids = {str(pk) for pk in UseCase.objects.values_list("pk", flat=True)}
    created = set(
        AuditEvent.objects.filter(
            object_type="portfolio.usecase", action="create", actor=None
        ).values_list("object_id", flat=True)
    )
    assert ids <= created
    assert verify_chain().ok


def test_loading_twice_changes_nothing(loaded: DemoSummary, db: Any) -> None:
    before = counts()
    assert load_demo() == DemoSummary()
    assert counts() == before


def test_the_command_leaves_a_loaded_demo_alone(loaded: DemoSummary, db: Any) -> None:
    before = counts()
    for flags in ((), ("--if-empty",), ("--force",)):
        out = StringIO()
        call_command("demo", *flags, stdout=out)
        assert out.getvalue().strip() == "demo portfolio already loaded"
    assert counts() == before


def test_dates_are_real_dates_relative_to_the_given_day(loaded: DemoSummary, db: Any) -> None:
    for proposed, entered in UseCase.objects.values_list("proposed_on", "stage_entered_on"):
        assert proposed is not None and entered is not None  # the demo knows its dates
        assert TODAY - dt.timedelta(days=31 * 30) <= proposed <= entered <= TODAY


def test_the_value_history_is_plausible(loaded: DemoSummary, db: Any) -> None:
    assert KPI.objects.count() > 50
    assert Measurement.objects.count() > 300
    assert Adoption.objects.count() > 100
    assert PriorityScore.objects.count() > 30
    operational = UseCase.objects.filter(stage="operational")
    realised = operational.filter(value_realised_on__isnull=False).count()
    assert realised > operational.count() / 2  # most operational ones reach their target
    never = UseCase.objects.filter(stage__in=("pilot", "scaling"), value_realised_on=None)
    assert never.exists()
    assert set(PriorityScore.objects.values_list("stage", flat=True)) <= {"intake", "feasibility"}
    assert {1, 2, 4, 5} <= set(Feedback.objects.values_list("rating", flat=True))
    for proposed, realised_on in UseCase.objects.exclude(value_realised_on=None).values_list(
        "proposed_on", "value_realised_on"
    ):
        assert realised_on is not None and proposed is not None
        assert realised_on >= proposed


def test_the_lifecycle_history_follows_the_default_policy(loaded: DemoSummary, db: Any) -> None:
    past_intake = UseCase.objects.exclude(stage="intake")
    assert not past_intake.filter(assessments__isnull=True).exists()
    for stage in ("pilot", "scaling", "operational"):
        for uc in UseCase.objects.filter(stage=stage):
            moves = list(uc.stage_changes.order_by("at", "id").values_list("to_stage", flat=True))
            assert moves[0] == "intake"
            assert moves[-1] == stage
    assert ReviewRequest.objects.filter(status="open").exists()
    assert Decision.objects.filter(outcome="approve").count() > 50
    assert PilotPlan.objects.filter(use_case__stage="pilot").count() == (
        UseCase.objects.filter(stage="pilot").count()
    )
    assert SelfAssessment.objects.count() >= 10


def test_the_demo_passed_the_stricter_gates_as_an_organisation_would(
    loaded: DemoSummary, db: Any
) -> None:
    """Every scale-up met its exit criteria when it moved, or a named reviewer overrode them
    with a reason; every move into pilot, scaling or operational had its obligations met;
    some approvals carry tracked conditions, mostly met, some still open."""
    from aiom.governance.models import ReviewCondition
    from aiom.lifecycle.models import GateOverride, StageChange

    scaled = StageChange.objects.filter(from_stage="pilot", to_stage="scaling")
    assert scaled.count() > 10
    for change in scaled:
        exit_check = next(c for c in change.checks if c["check"] == "exit_criteria_met")
        assert exit_check["passed"] or exit_check.get("overridden"), change.use_case_id
    overrides = GateOverride.objects.all()
    assert 0 < overrides.count() < scaled.count()
    assert all(
        len(o.reason) >= 20 and o.role in ("risk_reviewer", "compliance_reviewer")
        for o in overrides
    )
    entered = StageChange.objects.filter(to_stage__in=["pilot", "scaling", "operational"])
    for change in entered.exclude(from_stage=""):
        obligations = next(c for c in change.checks if c["check"] == "obligations_met")
        assert obligations["passed"], (change.use_case_id, obligations["reason"])
    statuses = set(ReviewCondition.objects.values_list("status", flat=True))
    assert {"met", "open"} <= statuses


def test_the_catalogue_makes_data_readiness_measurable(loaded: DemoSummary, db: Any) -> None:
    from aiom.catalogue.models import DataProduct, UseCaseDataProduct
    from aiom.insights.analytics import Scope, coverage

    assert DataProduct.objects.count() >= 10
    assert DataProduct.objects.filter(upstream__isnull=False).exists()
    assert UseCaseDataProduct.objects.count() > 50
    ready = coverage(Scope(), today=TODAY).data_ready
    assert ready is not None
    assert 0 < ready.count < ready.of  # some ready, some not: a real figure
