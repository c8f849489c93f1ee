"""Fixtures for the reliability tests; the lifecycle's reviewers are reused as they are."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.lifecycle.conftest import reviewers
from tests.reliability import procs

__all__ = ["reviewers"]


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
