"""At start-up every finder the apps registered makes a kind of notice there is."""

import datetime as dt

from aiom.core.registry import registry
from aiom.notifications.finders import STORE, Finder, in_order
from aiom.notifications.findings import Finding
from aiom.notifications.models import NoticeKind
from aiom.notifications.startup import finder_kinds_are_known


def _nothing(today: dt.date, policy: object) -> list[Finding]:
    return []


def test_every_registered_finder_makes_a_known_kind() -> None:
    assert {f.kind for f in in_order()} <= set(NoticeKind.values)
    assert finder_kinds_are_known() == []


def test_a_finder_of_an_unknown_kind_is_refused_at_start_up() -> None:
    registry[STORE]["tea_leaves"] = Finder("tea_leaves", _nothing, order=90)
    try:
        [error] = finder_kinds_are_known()
    finally:
        del registry[STORE]["tea_leaves"]
    assert error.id == "aiom.notifications.E001"
    assert error.msg.startswith("sweep finder 'tea_leaves' makes a kind of notice there is not")
    assert "assessment_due, assessment_stale, condition_overdue" in error.msg
