"""Work deferred to just before the commit (core/before_commit.py) runs once, inside the
transaction, with every item collected, and vanishes with what it was collected for."""

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction

from aiom.core import before_commit

pytestmark = pytest.mark.django_db(transaction=True)  # real commits and rollbacks


class Recorder:
    def __init__(self) -> None:
        self.calls: list[set[Any]] = []
        self.in_transaction: list[bool] = []

    def __call__(self, items: set[Any]) -> None:
        self.calls.append(set(items))
        self.in_transaction.append(not connection.get_autocommit())


@transaction.atomic
def defer_then_crash(items: set[Any], run: Recorder) -> None:
    before_commit.defer("k", items, run)
    raise RuntimeError("crash before commit")


def test_work_runs_once_before_the_commit_in_the_transaction_with_every_item() -> None:
    run = Recorder()
    with transaction.atomic():
        assert before_commit.defer("k", {1}, run)
        before_commit.defer("k", {2}, run)
        with transaction.atomic():  # a savepoint that is released keeps its items
            before_commit.defer("k", {3}, run)
        assert run.calls == []
        assert before_commit.pending("k") == {1, 2, 3}
    assert run.calls == [{1, 2, 3}]
    assert run.in_transaction == [True]


def test_a_rolled_back_savepoint_drops_only_its_items() -> None:
    run = Recorder()
    with transaction.atomic():
        before_commit.defer("k", {1}, run)
        with pytest.raises(RuntimeError):
            defer_then_crash({2}, run)
    assert run.calls == [{1}]


def test_a_rollback_drops_everything() -> None:
    run = Recorder()
    with pytest.raises(RuntimeError):
        defer_then_crash({1}, run)
    with transaction.atomic():
        pass  # the next transaction commits without the dropped work
    assert run.calls == []


def test_outside_a_transaction_nothing_is_deferred() -> None:
    run = Recorder()
    assert not before_commit.defer("k", {1}, run)
    assert run.calls == [] and before_commit.pending("k") == set()


def test_failing_work_rolls_the_write_back() -> None:
    def fail(items: set[Any]) -> None:
        raise ValueError("the read model cannot be computed")

    @transaction.atomic
    def write() -> None:
        Group.objects.create(name="written")
        before_commit.defer("k", {1}, fail)

    with pytest.raises(ValueError, match="cannot be computed"):
        write()
    assert not Group.objects.filter(name="written").exists()


def test_take_hands_the_items_to_a_reader_and_nothing_runs_at_commit() -> None:
    run, other = Recorder(), Recorder()
    with transaction.atomic():
        before_commit.defer("k", {1, 2}, run)
        before_commit.defer("other", {9}, other)
        assert before_commit.take("k") == {1, 2}
        assert before_commit.pending("k") == set()
    assert run.calls == [] and other.calls == [{9}]


def test_items_taken_in_a_rolled_back_savepoint_are_pending_again() -> None:
    """A reader applied them inside a savepoint that was rolled back (so was what it
    applied): they run at the commit; items written after a take run too."""
    run = Recorder()
    with transaction.atomic():
        before_commit.defer("k", {1, 2}, run)
        with transaction.atomic():
            assert before_commit.take("k") == {1, 2}
            transaction.set_rollback(True)
        assert before_commit.pending("k") == {1, 2}
        assert before_commit.take("k") == {1, 2}
        before_commit.defer("k", {2, 3}, run)  # written again after the read
        assert before_commit.pending("k") == {2, 3}
    assert run.calls == [{2, 3}]
