"""The registry's table is the list of extension points, and the apps fill them.

`aiom.core.registry`'s docstring lists each store with the typed helper apps register
through; the list must be exactly `STORES`, each helper must import by the dotted path the
table gives, and after start-up each store holds what the apps registered.
"""

import importlib
import re
from collections.abc import Callable
from typing import Any

import pytest

from aiom.core import registry

ROW = re.compile(r"^\| `(?P<store>\w+)`\s*\| `(?P<helper>[\w.]+)`\s*\|", re.MULTILINE)
TABLE = {m["store"]: m["helper"] for m in ROW.finditer(registry.__doc__ or "")}

# Stores other lanes of issue 16 fill; strict, so merging them turns these into failures
# until the entries below are deleted.
HELPER_NOT_YET: set[str] = set()
FILLED_NOT_YET = HELPER_NOT_YET


def helper(dotted: str) -> Callable[..., Any]:
    module, _, name = dotted.rpartition(".")
    found: Callable[..., Any] = getattr(importlib.import_module(f"aiom.{module}"), name)
    return found


def test_the_table_lists_exactly_the_stores() -> None:
    assert list(TABLE) == list(registry.STORES)


def pending(store: str, waiting: set[str]) -> Any:
    reason = "filled by another lane of issue 16"
    return (
        pytest.param(store, marks=pytest.mark.xfail(strict=True, reason=reason))
        if (store in waiting)
        else store
    )


@pytest.mark.parametrize("store", [pending(s, HELPER_NOT_YET) for s in registry.STORES])
def test_each_store_has_its_owners_helper(store: str) -> None:
    assert callable(helper(TABLE[store]))


@pytest.mark.parametrize("store", [pending(s, FILLED_NOT_YET) for s in registry.STORES])
def test_each_store_holds_what_the_apps_registered(store: str) -> None:
    assert registry.entries(store), f"no app registered anything in {store}"


def test_an_unknown_store_and_a_name_twice_are_refused() -> None:
    with pytest.raises(registry.RegistryError, match="no extension point named 'panles'"):
        registry.add("panles", "x", object())
    first, second = object(), object()
    registry.add("gate_facts", "twice", first)
    try:
        registry.add("gate_facts", "twice", first)  # the same entry again: harmless
        with pytest.raises(registry.RegistryError, match="gate_facts: 'twice' is registered"):
            registry.add("gate_facts", "twice", second)
    finally:
        del registry.registry["gate_facts"]["twice"]


def test_the_gate_stores() -> None:
    assert set(registry.entries("gate_checks")) == {
        # lifecycle
        "owner_assigned",
        "sponsor_assigned",
        "problem_described",
        "value_hypothesis_present",
        "expected_benefit_present",
        "risk_assessed",
        "risk_assessment_current",
        "not_prohibited",
        "pilot_plan_ready",
        "kpis_with_baseline_and_target",
        "production_environment",
        "exit_criteria_met",
        "data_ready",  # catalogue
        "change_plan_ready",  # change
        "obligations_met",  # obligations
    }
    assert set(registry.entries("gate_facts")) == {
        "exit_measurements",  # lifecycle
        "gate_overrides",  # lifecycle
        "data_products",  # catalogue
        "change_plan",  # change
        "obligations",  # obligations
    }


def test_the_sweep_finders_in_the_order_the_sweep_reports_them() -> None:
    from aiom.notifications.finders import in_order

    assert [(f.kind, f.find.__module__) for f in in_order()] == [
        ("stalled_pilot", "aiom.lifecycle.findings"),
        ("review_overdue", "aiom.notifications.findings"),
        ("stage_overdue", "aiom.lifecycle.findings"),
        ("assessment_due", "aiom.notifications.findings"),
        ("assessment_stale", "aiom.notifications.findings"),
        ("monitoring_overdue", "aiom.monitoring.findings"),
        ("kpi_out_of_bounds", "aiom.monitoring.findings"),
        ("condition_overdue", "aiom.notifications.findings"),
    ]


def test_the_review_brief_sections_in_the_order_the_review_page_shows_them() -> None:
    from aiom.governance.reviews.brief_sections import registered

    assert [(p.key, p.items.__module__) for p in registered()] == [
        ("obligations", "aiom.obligations.review_section"),
        ("incidents", "aiom.monitoring.review_section"),
    ]


def test_the_audit_stores() -> None:
    assert set(registry.entries("audit_listeners")) == {
        "aiom.governance.reviews.voiding.recheck",
        "aiom.similarity.tasks.on_audit",
        "aiom.transparency.approval.reopen_changed",
        "aiom.insights.analytics.facts.on_audit",
    }
    assert set(registry.entries("audit_guards")) == {
        "aiom.organisation.guards.external_partners_write_nothing",
    }
    assert set(registry.entries("audit_visibility")) == {
        "aiom.organisation.audit_visibility.administrators_read_everything",
        "aiom.organisation.audit_visibility.org_unit_events",
        "aiom.portfolio.audit_visibility.use_case_events",
        "aiom.portfolio.audit_visibility.theme_events",
    }
