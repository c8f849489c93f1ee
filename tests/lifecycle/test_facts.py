"""The use cases' facts (insights/analytics/facts.py) stay true through every kind of write.

Each test writes the way the application does, then compares the stored facts with a
recomputation from the rows (`facts.verify`), and checks the fields a figure reads.
"""

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from aiom.core import before_commit
from aiom.governance.reviews import services as reviews
from aiom.insights.analytics import facts
from aiom.lifecycle import services as lifecycle
from aiom.portfolio.models import UseCase
from aiom.value import services as value
from aiom.value.models import StaleFacts, UseCaseFacts
from tests.conftest import World
from tests.lifecycle.conftest import CRITERIA, advance, approve_fully, today

RATIONALE = "Risks are understood and the mitigations are proportionate."


def stored(uc: UseCase) -> UseCaseFacts:
    facts.current()
    return UseCaseFacts.objects.get(use_case=uc)


@pytest.fixture
def in_pilot(world: World, ready: UseCase, reviewers: dict[str, Any]) -> UseCase:
    uc = advance(ready, world.alice, "feasibility", "risk_review")
    lifecycle.plan_pilot(
        actor=world.alice,
        use_case=uc,
        exit_criteria=CRITERIA,
        ends_on=today() + dt.timedelta(days=60),
    )
    review = reviews.request_review(actor=world.alice, use_case=uc, to_stage="pilot")
    approve_fully(review, list(reviewers.values()))
    return advance(uc, world.alice, "pilot")


def test_a_pilot_and_its_stop_through_the_services(world: World, in_pilot: UseCase) -> None:
    f = stored(in_pilot)
    assert (f.stage, f.pilot_started_on, f.pilot_outcome) == ("pilot", today(), "")
    assert f.pilot_ends_on == today() + dt.timedelta(days=60)
    assert f.has_owner and f.has_sponsor and f.first_assessed_on == today()
    assert f.review_overdue_from is None  # the pilot review was decided
    lifecycle.transition(
        actor=world.alice, use_case=in_pilot, to_stage="stopped", reason="Did not move."
    )
    f = stored(in_pilot)
    assert (f.stage, f.pilot_outcome) == ("stopped", "stopped")
    assert facts.verify() == []


def test_an_open_review_and_kpi_measurements(world: World, ready: UseCase) -> None:
    uc = advance(ready, world.alice, "feasibility", "risk_review")
    kpi = value.define_kpi(
        actor=world.alice, use_case=uc, name="Hours saved", baseline=0, target=10, cadence_days=30
    )
    assert stored(uc).kpi_measured_until is None  # defined, never measured
    lifecycle.plan_pilot(
        actor=world.alice, use_case=uc, exit_criteria=CRITERIA, ends_on=today() + dt.timedelta(9)
    )
    assert stored(uc).pilot_ends_on == today() + dt.timedelta(9)
    review = reviews.request_review(actor=world.alice, use_case=uc, to_stage="pilot")
    assert stored(uc).review_overdue_from == review.due_on
    value.record_measurement(
        actor=world.alice, kpi=kpi, value=4, measured_on=today() - dt.timedelta(days=5)
    )
    assert stored(uc).kpi_measured_until == today() + dt.timedelta(days=25)
    value.update_kpi(actor=world.alice, kpi=kpi, target=None)  # no target: not measured
    assert stored(uc).kpi_measured_until is None
    assert facts.verify() == []


def test_orm_writes_mark_through_signals_and_update_needs_touch(world: World) -> None:
    uc = world.alice_uc
    uc.owner = None
    uc.save()
    assert not stored(uc).has_owner
    UseCase.objects.filter(pk=uc.pk).update(owner=world.alice)  # no signal, no audit
    assert facts.verify() == [uc.pk]
    facts.touch([uc.pk])
    assert stored(uc).has_owner and facts.verify() == []


def test_a_rolled_back_write_leaves_neither_change_nor_pending_refresh(world: World) -> None:
    facts.current()

    @transaction.atomic
    def write_then_crash() -> None:
        uc = UseCase.objects.get(pk=world.alice_uc.pk)
        uc.stage_entered_on = today() - dt.timedelta(days=400)
        uc.save()
        # collected for the refresh before commit, in the write's transaction; no mark row
        assert before_commit.pending(facts.TOUCHED) == {uc.pk}
        assert not StaleFacts.objects.exists()
        raise RuntimeError("crash before commit")

    with pytest.raises(RuntimeError):
        write_then_crash()
    assert not before_commit.pending(facts.TOUCHED)
    assert not StaleFacts.objects.exists() and facts.verify() == []


@pytest.mark.django_db(transaction=True)  # real commits
def test_a_read_in_a_rolled_back_savepoint_does_not_use_up_the_refresh(world: World) -> None:
    """A write, then a figure read inside a savepoint that is rolled back (the refresh it
    made vanishes with it): the commit still refreshes the written use case."""
    facts.current()
    with transaction.atomic():
        uc = UseCase.objects.get(pk=world.alice_uc.pk)
        uc.stage_entered_on = today() - dt.timedelta(days=400)
        uc.save()
        with transaction.atomic():
            facts.current()  # the transaction's own write, seen by its own read
            assert stored(uc).stage_entered_on == uc.stage_entered_on
            transaction.set_rollback(True)
    assert stored(uc).stage_entered_on == uc.stage_entered_on
    assert facts.verify() == []


def mark(*ids: int) -> None:
    """Stale marks as a write in autocommit (or in another process) leaves them."""
    StaleFacts.objects.bulk_create([StaleFacts(use_case_id=pk) for pk in ids])


def test_refresh_keeps_a_mark_written_while_it_ran(world: World, monkeypatch: Any) -> None:
    facts.current()
    mark(world.alice_uc.pk, world.alice_secret.pk)
    facts.forget()
    real_compute = facts.compute

    def compute_then_mark(ids: Any = None) -> Any:
        result = real_compute(ids)
        mark(world.alice_uc.pk)  # a write committed while the refresh computed
        monkeypatch.setattr(facts, "compute", real_compute)
        return result

    monkeypatch.setattr(facts, "compute", compute_then_mark)
    assert facts.current() == 3  # two, then the one marked meanwhile, in a second round
    assert not StaleFacts.objects.exists()


def test_rebuild_recomputes_every_row(world: World) -> None:
    facts.current()
    UseCaseFacts.objects.all().delete()
    assert set(facts.verify()) == set(UseCase.objects.values_list("pk", flat=True))
    assert facts.rebuild() == UseCase.objects.count()
    assert facts.verify() == []


def test_repair_and_the_command_name_and_mend_differences(world: World) -> None:
    facts.current()
    UseCase.objects.filter(pk=world.alice_uc.pk).update(owner=None)  # around the services
    with pytest.raises(CommandError, match=rf"^1 use cases have facts .*: {world.alice_uc.pk};"):
        call_command("facts", "--verify")
    assert facts.repair() == [world.alice_uc.pk] and facts.repair() == []
    assert not stored(world.alice_uc).has_owner
    UseCase.objects.filter(pk=world.alice_uc.pk).update(owner=world.alice)
    out = StringIO()
    call_command("facts", "--rebuild", stdout=out)
    assert out.getvalue().startswith(f"rebuilt the facts of {UseCase.objects.count()} use cases")
    call_command("facts", "--verify", stdout=out)
    assert "every use case's facts match its rows" in out.getvalue()
