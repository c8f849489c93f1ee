"""Personas shared by the whole suite.

Alice owns use cases in Retail Banking; Bob shares her org unit; Charlie is an outsider
(Wealth Management); Pat is an external partner granted Retail Banking; Ada administers;
Rita reviews risk for the whole organisation. Everything is made through services.
"""

import signal
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from aiom.core import tokens
from aiom.organisation import services as org
from aiom.organisation.models import OrgUnit, Role
from aiom.portfolio import services as portfolio
from aiom.portfolio.models import Theme, UseCase
from tests import migrated, query_counts

_QUERY_COUNTS = pytest.StashKey[query_counts.Session]()


def pytest_addoption(parser: pytest.Parser) -> None:
    query_counts.add_option(parser)


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_QUERY_COUNTS] = query_counts.Session(update=query_counts.updating(config))


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    changes = config.stash[_QUERY_COUNTS].changes
    if changes:
        terminalreporter.section("query counts written")
        for change in changes:
            terminalreporter.write_line(str(change))


@pytest.fixture
def query_budget(request: pytest.FixtureRequest) -> query_counts.Budget:
    """with query_budget("list_page"): ... pins the block's queries to the count recorded
    in this test folder's query_counts.json (at_most=True: a ceiling); see
    tests/query_counts.py for the update mode."""
    baseline = query_counts.baseline_file(request.path)
    return query_counts.budget(request.config.stash[_QUERY_COUNTS], baseline)


@pytest.fixture(scope="session")
def django_db_keepdb(
    request: pytest.FixtureRequest, django_db_modify_db_settings: None, django_db_blocker: Any
) -> Iterator[bool]:
    """pytest-django's switch for keeping the test database, turned on when a migrated
    template was copied into place (tests/migrated.py: the run starts without migrating);
    the copy is removed at the end of the session as Django would remove its own."""
    option = request.config.getvalue
    if option("reuse_db") or option("create_db") or option("nomigrations"):
        yield bool(option("reuse_db") and not option("create_db"))
        return
    with django_db_blocker.unblock():
        kept = migrated.prepare()
    yield kept
    copy = migrated.database_path()
    if kept and copy is not None:
        from django.db import connections

        with django_db_blocker.unblock():
            connections.close_all()
        migrated.remove(copy)


@dataclass
class World:
    group: OrgUnit
    retail: OrgUnit
    cards: OrgUnit
    wealth: OrgUnit
    alice: User
    bob: User
    charlie: User
    pat: User
    ada: User
    rita: User
    theme: Theme
    alice_uc: UseCase
    alice_secret: UseCase
    wealth_secret: UseCase

    def persona(self, name: str) -> User | None:
        return None if name == "anonymous" else getattr(self, name)


def make_person(username: str, unit: OrgUnit | None, *roles: tuple[str, OrgUnit | None]) -> User:
    first, _, last = username.partition("_")
    user = org.create_person(
        actor=None,
        username=username,
        first_name=first.capitalize(),
        last_name=(last or "Example").capitalize(),
        email=f"{username}@example.com",
        org_unit=unit,
        password="correct-horse-battery",
    )
    for role, scope in roles:
        org.assign_role(actor=None, user=user, role=role, org_unit=scope)
    return user


@pytest.fixture(scope="session", autouse=True)
def _audit_key_outside_var(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The audit chain's key from settings (never var/audit.key), for module fixtures too;
    no anchors file and no scheduled anchoring unless a test asks (tests/core/test_audit_*)."""
    from django.test import override_settings

    nowhere = tmp_path_factory.mktemp("anchors") / "audit-anchors.jsonl"
    with override_settings(
        AIOM_AUDIT_KEY="tests-audit-key-" + "k" * 32,
        AIOM_AUDIT_ANCHORS=str(nowhere),
        AIOM_AUDIT_ANCHOR_HOURS=0,
    ):
        yield


_STOP_SIGNALS = tuple(
    getattr(signal, name)
    for name in ("SIGTERM", "SIGINT", "SIGQUIT", "SIGHUP")
    if hasattr(signal, name)
)


@pytest.fixture(autouse=True)
def _signal_handlers_left_alone() -> Iterator[None]:
    """A test that installs a stop-signal handler in the test process (a task worker run
    in-process without --batch, django-tasks-db's `db_worker`) fails, and the handlers are
    put back: left installed, one turned the next forked pool's SIGTERM into a clean exit
    of a half-started child, and the suite hung for 75 minutes in CI."""
    before = {sig: signal.getsignal(sig) for sig in _STOP_SIGNALS}
    yield
    changed = [sig for sig in _STOP_SIGNALS if signal.getsignal(sig) != before[sig]]
    for sig in changed:
        signal.signal(sig, before[sig])
    assert not changed, "the test left stop-signal handlers installed: " + ", ".join(
        signal.Signals(sig).name for sig in changed
    )


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_where_enqueued(settings: Any) -> None:
    """A task runs in the process that enqueues it; the tests of the task workers
    themselves (tests/reliability/, tests/core/test_tasks*.py) put the database queue back."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
            "QUEUES": settings.TASK_QUEUES,
        }
    }


@pytest.fixture(autouse=True)
def _similarity_rebuilds_before_answering(settings: Any) -> None:
    """Tests read their own writes; the background rebuild has its own test."""
    settings.AIOM_SIMILARITY_SYNC_REBUILD = True


@pytest.fixture(autouse=True)
def _fresh_figures() -> None:
    """Kept portfolio figures are keyed by the audit head; a rolled-back test can repeat
    a head another test reached with other rows (built without audit), so start clean;
    the same for "no facts were stale at this head" (insights/analytics/facts.py)."""
    from aiom.core import memo
    from aiom.insights.analytics import facts

    memo.forget()
    facts.forget()


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


def build_world() -> World:
    """The personas and their use cases (a plain function so module fixtures can reuse it)."""
    group = org.create_org_unit(actor=None, name="Group", code="group")
    retail = org.create_org_unit(actor=None, name="Retail Banking", parent=group)
    cards = org.create_org_unit(actor=None, name="Cards", parent=retail)
    wealth = org.create_org_unit(actor=None, name="Wealth Management", parent=group)
    alice = make_person("alice", retail, (Role.BUSINESS_OWNER, retail))
    bob = make_person("bob", retail)
    charlie = make_person("charlie", wealth)
    pat = make_person("pat", None, (Role.PARTNER, retail))
    ada = make_person("ada", group, (Role.ADMINISTRATOR, None))
    rita = make_person("rita", group, (Role.RISK_REVIEWER, None))
    theme = Theme.objects.get(key="customer-experience")
    common: dict[str, Any] = {"actor": alice, "org_unit": retail, "owner": alice, "theme": theme}
    alice_uc = portfolio.create_use_case(
        title="Mortgage document summariser",
        description="Summarise applicant documents.",
        **common,
    )
    alice_secret = portfolio.create_use_case(
        title="Branch closure predictor", confidential=True, **common
    )
    wealth_secret = portfolio.create_use_case(
        actor=charlie,
        title="Client churn early warning",
        org_unit=wealth,
        owner=charlie,
        confidential=True,
    )
    return World(
        group,
        retail,
        cards,
        wealth,
        alice,
        bob,
        charlie,
        pat,
        ada,
        rita,
        theme,
        alice_uc,
        alice_secret,
        wealth_secret,
    )


PERSONAS = ["alice", "bob", "charlie", "pat", "ada", "rita", "anonymous"]


@pytest.fixture
def login(client: Client, world: World) -> Any:
    """login("bob") logs the test client in as that persona (or out, for 'anonymous')."""

    def _login(name: str) -> Client:
        client.logout()
        user = world.persona(name)
        if user is not None:
            client.force_login(user)
        return client

    return _login


@pytest.fixture
def bearer(world: World) -> Any:
    """bearer("alice", scopes=("read",)) -> headers for an API call with a fresh token."""

    def _bearer(name: str, scopes: tuple[str, ...] = ("read", "write")) -> dict[str, str]:
        _, plaintext = tokens.create_token(
            actor=None, user=getattr(world, name), name="test", scopes=scopes
        )
        return {"Authorization": f"Bearer {plaintext}"}

    return _bearer
