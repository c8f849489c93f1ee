"""Fixtures for the reliability tests; the lifecycle's reviewers are reused as they are.

Schemathesis's pytest plugin is loaded here, not for the whole suite: its import (with
Hypothesis's engine) cost every run about a second and a half of start-up, and only the
API fuzz test here uses it (pyproject's addopts turn plugin auto-loading off and name the
plugins the whole suite uses). A conftest's `pytest_configure` runs when the conftest is loaded,
before the modules beside it are collected, and pytest replays the plugin's own
`pytest_configure`, so `@schema.parametrize()` collects as it did.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.lifecycle.conftest import reviewers
from tests.reliability import procs

__all__ = ["reviewers"]


def pytest_configure(config: pytest.Config) -> None:
    from schemathesis.pytest import plugin

    if not config.pluginmanager.is_registered(plugin):
        config.pluginmanager.register(plugin, "schemathesis")


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database for child processes, made once per session."""
    with procs.template_database(tmp_path_factory.mktemp("template")) as template:
        yield template


@pytest.fixture
def child(template_db: str, tmp_path: Path) -> Iterator[procs.Child]:
    """A database of its own, migrated, for real `aiom` processes in this test."""
    with procs.fresh_database(template_db, tmp_path) as handle:
        yield handle
