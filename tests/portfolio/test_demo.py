"""`aiom demo`: the demo portfolio's content, its audit trail, and the command's three cases."""

import re
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from aiom.core.audit import verify_chain
from aiom.core.errors import InvalidInput
from aiom.core.models import AuditEvent
from aiom.demo import loader as demo
from aiom.demo.data import MARKER_CODE, UNITS, build_use_cases
from aiom.demo.loader import database_is_empty, has_demo, load_demo
from aiom.demo.texts import CAPABILITIES, IDEAS, NEAR_DUPLICATES
from aiom.organisation.models import OrgUnit
from aiom.portfolio import services
from aiom.portfolio.models import Theme, UseCase
from aiom.portfolio.vocabulary import STAGE_KEYS


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


# The command


def test_the_command_loads_an_empty_database(db: Any) -> None:
    assert database_is_empty()  # the default themes are there, and do not count
    assert Theme.objects.exists()
    out = StringIO()
    call_command("demo", stdout=out)
    assert has_demo()
    assert UseCase.objects.count() >= 200
    assert "Log in at http://127.0.0.1:8000/ as admin / aiom-demo" in out.getvalue()


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
