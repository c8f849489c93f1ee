"""`aiom demo`: the demo portfolio's content, its audit trail, and the command's three cases."""

import datetime as dt
import re
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from aiom.core.audit import verify_chain
from aiom.core.errors import InvalidInput
from aiom.core.models import AuditEvent
from aiom.organisation.models import OrgUnit, Role, RoleAssignment
from aiom.portfolio import demo, services
from aiom.portfolio.demo import DemoSummary, database_is_empty, has_demo, load_demo
from aiom.portfolio.demo_data import MARKER_CODE, PEOPLE, UNITS, build_use_cases
from aiom.portfolio.demo_texts import CAPABILITIES, IDEAS, NEAR_DUPLICATES
from aiom.portfolio.models import Theme, UseCase
from aiom.portfolio.vocabulary import DEFAULT_THEMES, STAGE_KEYS, AIType, Sourcing


@pytest.fixture
def loaded(db: Any) -> DemoSummary:
    return load_demo()


def counts() -> tuple[int, int, int, int]:
    return (
        OrgUnit.objects.count(),
        User.objects.count(),
        UseCase.objects.count(),
        AuditEvent.objects.count(),
    )


# The pure builder


def test_the_builder_gives_the_same_portfolio_every_time() -> None:
    assert build_use_cases() == build_use_cases()
    first = [(s.external_id, s.title, s.unit, s.owner) for s in build_use_cases()[:3]]
    assert first == [
        ("DEMO-0001", "Reconciliation break detection", "demo-operations", None),
        ("DEMO-0002", "ESG report drafting", "demo-group", "victoria.ashworth"),
        ("DEMO-0003", "Mail room document classification", "demo-operations", None),
    ]


def test_every_idea_reads_as_finished_text() -> None:
    specs = build_use_cases()
    assert len({s.title for s in specs}) == len(specs)
    assert {i.capability for i in IDEAS} <= set(CAPABILITIES)
    for spec in specs:
        for text in (spec.problem, spec.description, spec.value_hypothesis):
            assert not re.search(r"[{}]", text), text
            assert text[0].isupper() and text.endswith("."), text


def test_near_duplicates_sit_in_different_org_units() -> None:
    unit_of = {i.title: i.unit for i in IDEAS}
    assert len(NEAR_DUPLICATES) >= 10
    for group in NEAR_DUPLICATES:
        assert len({unit_of[title] for title in group}) == len(group), group


def test_dates_are_in_the_past_and_later_stages_are_further_along() -> None:
    specs = build_use_cases()
    for spec in specs:
        assert 0 <= spec.stage_days_ago <= spec.proposed_days_ago <= 31 * 30
    mean_age = {
        stage: sum(s.proposed_days_ago for s in specs if s.stage == stage)
        / sum(1 for s in specs if s.stage == stage)
        for stage in STAGE_KEYS
    }
    assert mean_age["intake"] < mean_age["feasibility"] < mean_age["pilot"]
    assert mean_age["pilot"] < mean_age["operational"] < mean_age["retired"]


# What a load puts in the database


def test_the_load_meets_the_minimums(loaded: DemoSummary) -> None:
    assert loaded.org_units == OrgUnit.objects.count() == len(UNITS) >= 8
    assert loaded.people == User.objects.count() == len(PEOPLE) >= 40
    assert loaded.use_cases == UseCase.objects.count() >= 200
    assert loaded.audit_events >= loaded.org_units + loaded.people + loaded.use_cases
    group = OrgUnit.objects.get(code=MARKER_CODE)
    assert group.name == "Group" and group.parent is None
    assert not OrgUnit.objects.filter(lead=None).exists()


def test_the_portfolio_covers_every_stage_theme_type_and_sourcing(loaded: DemoSummary) -> None:
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


def test_dates_are_real_dates_relative_to_today(db: Any) -> None:
    today = timezone.localdate() - dt.timedelta(days=10)
    load_demo(today=today)
    for proposed, entered in UseCase.objects.values_list("proposed_on", "stage_entered_on"):
        assert today - dt.timedelta(days=31 * 30) <= proposed <= entered <= today


def test_people_hold_every_role_and_can_log_in(loaded: DemoSummary, client: Client) -> None:
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


def test_every_use_case_has_its_create_event_and_the_chain_holds(loaded: DemoSummary) -> None:
    ids = {str(pk) for pk in UseCase.objects.values_list("pk", flat=True)}
    created = set(
        AuditEvent.objects.filter(
            object_type="portfolio.usecase", action="create", actor=None
        ).values_list("object_id", flat=True)
    )
    assert ids <= created
    assert verify_chain().ok


def test_a_failed_load_leaves_nothing_behind(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    before = counts()
    made: list[UseCase] = []

    def failing(**kwargs: Any) -> UseCase:
        if len(made) == 5:
            raise InvalidInput({"title": "simulated failure"})
        made.append(services.create_use_case(**kwargs))
        return made[-1]

    monkeypatch.setattr(demo, "create_use_case", failing)
    with pytest.raises(InvalidInput):
        load_demo()
    assert counts() == before
    assert not has_demo()


def test_loading_twice_changes_nothing(loaded: DemoSummary) -> None:
    before = counts()
    assert load_demo() == DemoSummary()
    assert counts() == before


# The command


def test_the_command_loads_an_empty_database(db: Any) -> None:
    assert database_is_empty()  # the default themes are there, and do not count
    assert Theme.objects.exists()
    out = StringIO()
    call_command("demo", stdout=out)
    assert has_demo()
    assert UseCase.objects.count() >= 200
    assert "Log in at http://127.0.0.1:8000/ as admin / aiom-demo" in out.getvalue()


def test_the_command_leaves_a_loaded_demo_alone(loaded: DemoSummary) -> None:
    before = counts()
    for flags in ((), ("--if-empty",), ("--force",)):
        out = StringIO()
        call_command("demo", *flags, stdout=out)
        assert out.getvalue().strip() == "demo portfolio already loaded"
    assert counts() == before


def test_the_command_refuses_other_data_unless_forced(world: Any) -> None:
    before = counts()
    with pytest.raises(CommandError, match="will not touch a non-demo database"):
        call_command("demo", stdout=StringIO())
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert "skipped" in out.getvalue()
    assert counts() == before

    call_command("demo", "--force", stdout=StringIO())
    assert has_demo()
    assert OrgUnit.objects.count() == before[0] + len(UNITS)
    assert OrgUnit.objects.get(code=MARKER_CODE).name == "Group (demo)"  # "Group" was taken
    assert UseCase.objects.count() == before[2] + len(IDEAS)
    assert verify_chain().ok
