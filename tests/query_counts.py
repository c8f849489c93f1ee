"""Query-count pins kept in one baseline file per test folder, with an update mode.

A test pins what a page or an operation costs with the `query_budget` fixture:

    with query_budget("list_page"):                  # exactly the recorded count
        client.get("/use-cases/")
    with query_budget("backlog_page", at_most=True):  # at most the recorded count
        client.get("/backlog/")

The counts live in `tests/<folder>/query_counts.json` beside the test (keys sorted, one per
line). A count is a number, or one number per database vendor where the backends differ
(`{"postgresql": 13, "sqlite": 12}`). A pin that differs fails naming the key, the file,
both counts and the queries; a key not in the file fails with the command that records it.

Update mode (`pytest --update-query-counts`, or `AIOM_UPDATE_QUERY_COUNTS=1`) writes what it
measures instead of failing: an exact pin takes the new count, an at-most pin is raised when
exceeded (never lowered: the count it bounds varies). A single number is SQLite's count and
holds for PostgreSQL too until a PostgreSQL update run measures otherwise and splits it;
per-vendor numbers that come to agree merge back. After a change that moves pins, run the
update on SQLite, then on PostgreSQL (which then only records its differences).
An exact key measured twice in one run with two counts (a "does not grow" test) fails in
update mode too: no baseline can make that pass. The end of the run lists what changed.
This follows NetBox's utilities/testing/query_counts.py.
"""

import json
import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

TESTS = Path(__file__).resolve().parent
FILE_NAME = "query_counts.json"
VENDORS = ("postgresql", "sqlite")  # the backends the suite runs on
PRIMARY = "sqlite"  # whose count a single number is
UPDATE_OPTION = "--update-query-counts"
UPDATE_VARIABLE = "AIOM_UPDATE_QUERY_COUNTS"

Count = int | dict[str, int]
Budget = Callable[..., AbstractContextManager[CaptureQueriesContext]]


def add_option(parser: pytest.Parser) -> None:
    parser.addoption(
        UPDATE_OPTION,
        action="store_true",
        help=f"write measured query counts to tests/*/{FILE_NAME} instead of failing "
        f"(also {UPDATE_VARIABLE}=1)",
    )


def updating(config: pytest.Config) -> bool:
    return bool(config.getoption("update_query_counts")) or os.environ.get(
        UPDATE_VARIABLE, ""
    ) not in ("", "0")


def baseline_file(test_path: Path) -> Path:
    """The baseline of a test module: its top folder under tests/ (tests/security/authz/x.py
    uses tests/security/query_counts.json)."""
    folder = test_path.resolve().relative_to(TESTS).parts[0]
    return TESTS / folder / FILE_NAME


def read(path: Path) -> dict[str, Count]:
    if not path.exists():
        return {}
    data: dict[str, Count] = json.loads(path.read_text(encoding="utf-8"))
    return data


def write(path: Path, counts: dict[str, Count]) -> None:
    """Sorted keys, sorted vendors, two-space indent, a final newline; written whole."""
    text = json.dumps(counts, indent=2, sort_keys=True) + "\n"
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def expected_for(count: Count | None, vendor: str) -> int | None:
    if isinstance(count, dict):
        return count.get(vendor)
    return count


def recorded(count: Count | None, vendor: str, measured: int) -> Count:
    """The stored count after `vendor` measured `measured`. A single number is SQLite's
    (the default database, the one the inner loop runs on): SQLite replaces it; another
    vendor that measures something else splits it, so no backend's update ever breaks
    another's pin. Per-vendor numbers that come to agree merge back into one."""
    if count is None:
        return measured
    if isinstance(count, int):
        if vendor == PRIMARY or measured == count:
            return measured
        return dict(sorted({PRIMARY: count, vendor: measured}.items()))
    per_vendor = {**count, vendor: measured}
    values = set(per_vendor.values())
    if len(values) == 1 and set(VENDORS) <= set(per_vendor):
        return values.pop()
    return dict(sorted(per_vendor.items()))


@dataclass
class Change:
    path: Path
    key: str
    before: Count | None
    after: Count

    def __str__(self) -> str:
        return f"{shown(self.path)} {self.key}: {self.before} -> {self.after}"


@dataclass
class Session:
    """What this run measured and changed (one per pytest session)."""

    update: bool
    measured: dict[tuple[Path, str], int] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)

    def check(self, path: Path, key: str, measured: int, at_most: bool, queries: str) -> None:
        vendor = connection.vendor
        earlier = self.measured.setdefault((path, key), measured)
        if self.update and earlier != measured and not at_most:
            pytest.fail(
                f"query count {key!r} ({vendor}) was {earlier} earlier in this run and is "
                f"{measured} now: the pin says they are equal, no baseline can pass\n{queries}",
                pytrace=False,
            )
        counts = read(path)
        stored = counts.get(key)
        expected = expected_for(stored, vendor)
        if expected is not None and (measured <= expected if at_most else measured == expected):
            return
        if self.update:
            counts[key] = recorded(stored, vendor, measured)
            write(path, counts)
            self.changes.append(Change(path, key, stored, counts[key]))
            return
        where = shown(path)
        if expected is None:
            pytest.fail(
                f"no {vendor} query count {key!r} in {where} (measured {measured}): record it "
                f"with `pytest {UPDATE_OPTION} <this test>` ({UPDATE_VARIABLE}=1)",
                pytrace=False,
            )
        claim = "at most " if at_most else ""
        pytest.fail(
            f"query count {key!r} in {where} ({vendor}): expected {claim}{expected}, got "
            f"{measured}\n{queries}\nIf the change is intended: `pytest {UPDATE_OPTION} "
            f"<this test>` ({UPDATE_VARIABLE}=1) and commit the file",
            pytrace=False,
        )


def shown(path: Path) -> Path:
    """A baseline's path from the repository root (as the developer will open it)."""
    return path.relative_to(TESTS.parent) if path.is_relative_to(TESTS.parent) else path


def listing(captured: CaptureQueriesContext) -> str:
    return "\n".join(
        f"{i}. {query['sql']}" for i, query in enumerate(captured.captured_queries, start=1)
    )


def budget(session: Session, path: Path) -> Budget:
    """The `query_budget` fixture's function, pinning against the baseline at `path`."""

    @contextmanager
    def pin(key: str, *, at_most: bool = False) -> Iterator[CaptureQueriesContext]:
        with CaptureQueriesContext(connection) as captured:
            yield captured
        session.check(path, key, len(captured), at_most, listing(captured))

    return pin
