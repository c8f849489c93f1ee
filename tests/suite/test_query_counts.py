"""The query-count baseline (tests/query_counts.py): a wrong pin fails saying what and how to
fix it, update mode writes the file sorted, per-vendor counts split and merge."""

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection

from tests import query_counts
from tests.query_counts import PRIMARY, Count, Session, budget, recorded

VENDOR = connection.vendor
OTHER = next(v for v in query_counts.VENDORS if v != VENDOR)


def after_update(shared: int, measured: int) -> Count:
    """A single number after this vendor measured otherwise: SQLite's replaces it, another
    vendor's is kept beside it."""
    return measured if VENDOR == PRIMARY else {PRIMARY: shared, VENDOR: measured}


@pytest.fixture
def baseline(tmp_path: Path) -> Path:
    return tmp_path / "query_counts.json"


def two_queries() -> None:
    User.objects.count()
    list(User.objects.filter(username="alice"))


def test_a_wrong_count_fails_naming_the_key_both_counts_and_the_queries(
    db: Any, baseline: Path
) -> None:
    baseline.write_text('{"two": 3}\n')
    with pytest.raises(pytest.fail.Exception) as failed, budget(Session(False), baseline)("two"):
        two_queries()
    message = str(failed.value)
    assert f"query count 'two' in {baseline} ({VENDOR}): expected 3, got 2" in message
    assert "1. SELECT COUNT(*)" in message and '2. SELECT "auth_user"' in message
    assert "--update-query-counts" in message


def test_a_right_count_passes_and_an_at_most_pin_is_a_ceiling(db: Any, baseline: Path) -> None:
    baseline.write_text('{"ceiling": 5, "two": 2}\n')
    pin = budget(Session(update=False), baseline)
    with pin("two") as captured:
        two_queries()
    assert len(captured) == 2
    with pin("ceiling", at_most=True):
        two_queries()
    baseline.write_text('{"ceiling": 1}\n')
    with (
        pytest.raises(pytest.fail.Exception, match="expected at most 1, got 2"),
        pin("ceiling", at_most=True),
    ):
        two_queries()


def test_a_missing_key_fails_with_the_command_that_records_it(db: Any, baseline: Path) -> None:
    with pytest.raises(pytest.fail.Exception) as failed, budget(Session(False), baseline)("new"):
        two_queries()
    assert f"no {VENDOR} query count 'new'" in str(failed.value)
    assert "pytest --update-query-counts" in str(failed.value)
    assert "AIOM_UPDATE_QUERY_COUNTS=1" in str(failed.value)
    assert not baseline.exists()


def test_update_mode_writes_the_counts_sorted_and_lists_the_change(db: Any, baseline: Path) -> None:
    baseline.write_text(json.dumps({"zeta": 1, "two": {VENDOR: 7, OTHER: 2}}))
    session = Session(update=True)
    pin = budget(session, baseline)
    with pin("two"):  # now 2 on both vendors: one number again
        two_queries()
    with pin("alpha"):
        User.objects.count()
    assert baseline.read_text() == '{\n  "alpha": 1,\n  "two": 2,\n  "zeta": 1\n}\n'
    assert [(c.key, c.before, c.after) for c in session.changes] == [
        ("two", {VENDOR: 7, OTHER: 2}, 2),
        ("alpha", None, 1),
    ]
    with budget(Session(update=False), baseline)("two"):  # and it now passes as it is
        two_queries()


def test_a_new_count_on_one_vendor_keeps_the_other_vendors_count(db: Any, baseline: Path) -> None:
    baseline.write_text('{"two": 5}\n')
    with budget(Session(update=True), baseline)("two"):
        two_queries()
    assert json.loads(baseline.read_text()) == {"two": after_update(5, 2)}


def test_update_mode_raises_a_ceiling_but_never_lowers_it(db: Any, baseline: Path) -> None:
    baseline.write_text('{"high": 9, "low": 1}\n')
    pin = budget(Session(update=True), baseline)
    for key in ("low", "high"):
        with pin(key, at_most=True):
            two_queries()
    assert json.loads(baseline.read_text()) == {"high": 9, "low": after_update(1, 2)}


def test_a_count_that_grows_within_the_run_fails_even_in_update_mode(
    db: Any, baseline: Path
) -> None:
    pin = budget(Session(update=True), baseline)
    with pin("constant"):
        User.objects.count()
    with (
        pytest.raises(pytest.fail.Exception, match="was 1 earlier in this run and is 2 now"),
        pin("constant"),
    ):
        two_queries()


def test_a_count_per_vendor_is_read_for_this_vendor(db: Any, baseline: Path) -> None:
    baseline.write_text(json.dumps({"two": {VENDOR: 2, OTHER: 3}}))
    with budget(Session(update=False), baseline)("two"):
        two_queries()
    baseline.write_text(json.dumps({"two": {OTHER: 2}}))
    with (
        pytest.raises(pytest.fail.Exception, match=f"no {VENDOR} query count 'two'"),
        budget(Session(update=False), baseline)("two"),
    ):
        two_queries()


def test_vendors_split_where_they_differ_and_merge_where_they_agree() -> None:
    assert recorded(None, "postgresql", 4) == 4
    assert recorded(4, "sqlite", 5) == 5  # a change on SQLite moves the shared number
    assert recorded(5, "postgresql", 5) == 5  # PostgreSQL agrees: nothing to split
    assert recorded(5, "postgresql", 6) == {"postgresql": 6, "sqlite": 5}
    assert recorded({"postgresql": 6, "sqlite": 5}, "sqlite", 6) == 6
    assert recorded({"postgresql": 6, "sqlite": 5}, "sqlite", 7) == {"postgresql": 6, "sqlite": 7}
    assert recorded({"postgresql": 6, "sqlite": 5}, "postgresql", 5) == 5
    assert recorded({"sqlite": 4}, "postgresql", 6) == {"postgresql": 6, "sqlite": 4}


def test_every_baseline_file_is_sorted_and_names_only_known_vendors() -> None:
    files = sorted(query_counts.TESTS.glob(f"*/{query_counts.FILE_NAME}"))
    assert files, "no baseline files found"
    for path in files:
        text = path.read_text(encoding="utf-8")
        counts = json.loads(text)
        assert text == json.dumps(counts, indent=2, sort_keys=True) + "\n", path
        for key, count in counts.items():
            per_vendor = count if isinstance(count, dict) else {"any": count}
            assert set(per_vendor) <= {"any", *query_counts.VENDORS}, (path, key)
            assert all(isinstance(n, int) and n >= 0 for n in per_vendor.values()), (path, key)


def test_the_fixture_reads_the_file_of_the_test_folder() -> None:
    here = Path(__file__)
    assert query_counts.baseline_file(here) == query_counts.TESTS / "suite" / "query_counts.json"
    nested = query_counts.TESTS / "security" / "authz" / "test_x.py"
    assert query_counts.baseline_file(nested).parent.name == "security"


LITERAL_PIN = re.compile(r"(?:django_assert_(?:max_)?num_queries|assertNumQueries)\((\w*)")


def test_hand_written_counts_are_only_facts_not_budgets() -> None:
    """A literal pin states a fact (0: nothing is read; 1: read once, or only the audit
    head); any other count is a budget that moves with the code and goes through
    query_budget, so the update mode can rewrite it."""
    budgets = []
    for path in sorted(query_counts.TESTS.rglob("test_*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for argument in LITERAL_PIN.findall(line):
                if argument not in ("0", "1"):
                    budgets.append(f"{path.relative_to(query_counts.TESTS)}:{number}: {line}")
    assert not budgets, "use query_budget(key) for:\n" + "\n".join(budgets)
