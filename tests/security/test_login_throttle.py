"""Sign-in throttling through the real login view: per account, per address, audited."""

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone

from aiom.core import throttle, tokens
from aiom.core.models import AuditEvent, SignInFailure
from tests.conftest import World

PASSWORD = "correct-horse-battery"  # tests/conftest.make_person


def attempt(client: Client, username: str, password: str, address: str = "127.0.0.1") -> Any:
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_defaults_come_from_the_brief(settings: Any) -> None:
    assert settings.AIOM_LOGIN_MAX_FAILURES == 5
    assert settings.AIOM_LOGIN_LOCKOUT_MINUTES == 15
    assert settings.AIOM_LOGIN_MAX_FAILURES_PER_ADDRESS == 20


def test_the_account_locks_after_max_failures_even_for_the_right_password(
    client: Client, world: World
) -> None:
    for _ in range(4):
        response = attempt(client, "alice", "wrong")
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.content.decode()
    fifth = attempt(client, "alice", "wrong")
    assert fifth.status_code == 429
    assert (
        "Too many failed sign-ins for this account; try again in 15 minutes."
        in fifth.content.decode()
    )
    right = attempt(client, "alice", PASSWORD)
    assert right.status_code == 429
    assert not signed_in(client)
    # refused attempts are not counted: the lockout ends on time
    assert SignInFailure.objects.filter(username="alice").count() == 5
    event = AuditEvent.objects.get(action="lockout")
    assert event.actor_id is None
    assert event.after["scope"] == "account"
    assert event.after["username"] == "alice"
    assert event.object_type == "core.signinfailure"


def test_the_lockout_ends_after_the_window_and_success_clears_the_count(
    client: Client, world: World
) -> None:
    for _ in range(5):
        attempt(client, "alice", "wrong")
    SignInFailure.objects.update(at=timezone.now() - dt.timedelta(minutes=15, seconds=1))
    response = attempt(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)
    assert not SignInFailure.objects.filter(username="alice").exists()


def test_the_message_counts_down(client: Client, world: World) -> None:
    for _ in range(5):
        attempt(client, "bob", "wrong")
    SignInFailure.objects.update(at=timezone.now() - dt.timedelta(minutes=13, seconds=30))
    body = attempt(client, "bob", PASSWORD).content.decode()
    assert "try again in 2 minutes" in body


def test_a_success_in_between_resets_the_account_count(client: Client, world: World) -> None:
    for _ in range(4):
        attempt(client, "alice", "wrong")
    assert attempt(client, "alice", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, "alice", "wrong").status_code == 200
    assert attempt(client, "alice", PASSWORD).status_code == 302


def test_usernames_differing_in_case_share_one_count(client: Client, world: World) -> None:
    for name in ["alice", "ALICE", "Alice ", "aLiCe", "alice"]:
        attempt(client, name, "wrong")
    assert attempt(client, "alice", PASSWORD).status_code == 429


def test_an_address_guessing_many_accounts_is_locked_out(
    client: Client, world: World, settings: Any
) -> None:
    settings.AIOM_LOGIN_MAX_FAILURES_PER_ADDRESS = 3
    settings.AIOM_LOGIN_ADDRESS_DELAY_SECONDS = 60  # no test outlasts the delay
    for name in ["bob", "charlie", "nobody"]:
        attempt(client, name, "wrong", address="203.0.113.9")
    locked = attempt(client, "alice", PASSWORD, address="203.0.113.9")
    assert locked.status_code == 429
    assert "from your network address" in locked.content.decode()
    assert not signed_in(client)
    # the accounts themselves are not locked: alice signs in from elsewhere
    assert attempt(client, "alice", PASSWORD, address="198.51.100.7").status_code == 302
    event = AuditEvent.objects.get(action="lockout")
    assert event.after["scope"] == "address"
    assert event.after["address"] == "203.0.113.9"


def test_a_success_does_not_clear_its_address_count(
    client: Client, world: World, settings: Any
) -> None:
    settings.AIOM_LOGIN_MAX_FAILURES_PER_ADDRESS = 3
    settings.AIOM_LOGIN_ADDRESS_DELAY_SECONDS = 60  # no test outlasts the delay
    attempt(client, "bob", "wrong")
    attempt(client, "charlie", "wrong")
    assert attempt(client, "alice", PASSWORD).status_code == 302
    client.logout()
    attempt(client, "rita", "wrong")
    assert attempt(client, "ada", PASSWORD).status_code == 429


def test_settings_change_the_limits(client: Client, world: World, settings: Any) -> None:
    settings.AIOM_LOGIN_MAX_FAILURES = 2
    settings.AIOM_LOGIN_LOCKOUT_MINUTES = 1
    attempt(client, "alice", "wrong")
    response = attempt(client, "alice", "wrong")
    assert "try again in 1 minute." in response.content.decode()


def test_bad_api_tokens_lock_out_their_address(client: Client, world: World, settings: Any) -> None:
    settings.AIOM_LOGIN_MAX_FAILURES_PER_ADDRESS = 3
    settings.AIOM_LOGIN_ADDRESS_DELAY_SECONDS = 60  # no test outlasts the delay
    bad = {"Authorization": "Bearer aiom_guess"}
    statuses = [client.get("/api/v1/use-cases", headers=bad).status_code for _ in range(4)]
    assert statuses == [401, 401, 429, 429]
    assert (
        "Too many failed sign-ins" in client.get("/api/v1/use-cases", headers=bad).json()["detail"]
    )
    assert SignInFailure.objects.filter(kind="token").count() == 3
    assert AuditEvent.objects.filter(action="lockout").count() == 1
    # a valid token costs no throttling query and still works
    _, plaintext = tokens.create_token(actor=None, user=world.alice, name="ok")
    ok = client.get("/api/v1/use-cases", headers={"Authorization": f"Bearer {plaintext}"})
    assert ok.status_code == 200


@pytest.mark.parametrize(
    ("scope", "seconds", "expected"),
    [
        ("account", 15 * 60, "for this account; try again in 15 minutes."),
        ("account", 61, "for this account; try again in 2 minutes."),
        ("account", 60, "for this account; try again in 1 minute."),
        ("address", 1, "from your network address; wait 1 second before trying again."),
        ("address", 30, "from your network address; wait 30 seconds before trying again."),
        ("address", 600, "from your network address; wait 10 minutes before trying again."),
        ("address", -5, "from your network address; wait 1 second before trying again."),
    ],
)
def test_lockout_message(scope: str, seconds: int, expected: str) -> None:
    now = timezone.now()
    lock = throttle.Lockout(scope, now + dt.timedelta(seconds=seconds))
    assert lock.message(now) == "Too many failed sign-ins " + expected


def test_old_failures_are_pruned(db: Any) -> None:
    old = timezone.now() - dt.timedelta(days=2)
    SignInFailure.objects.create(at=old, username="x", address="1.2.3.4")
    throttle.record_failure(username="y", address="1.2.3.4")
    assert list(SignInFailure.objects.values_list("username", flat=True)) == ["y"]


def test_concurrent_failures_are_all_counted_and_lock_once(transactional_db: Any) -> None:
    barrier = threading.Barrier(8)
    outcomes: list[Any] = []

    def fail() -> None:
        try:
            barrier.wait(timeout=10)
            outcomes.append(throttle.record_failure(username="alice", address="192.0.2.1"))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=fail) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(outcomes) == 8
    assert SignInFailure.objects.filter(username="alice").count() == 8
    assert AuditEvent.objects.filter(action="lockout").count() == 1
    assert sum(1 for lock in outcomes if lock is not None) == 4  # the 5th to the 8th


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "10.0.0.1"),  # no trusted proxy: the header is the client's claim
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # a spoofed entry on the left is ignored
        (2, "6.6.6.6, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (1, "", "10.0.0.1"),
    ],
)
def test_client_address_behind_trusted_proxies(
    rf: Any, settings: Any, proxies: int, forwarded: str, expected: str
) -> None:
    settings.AIOM_TRUSTED_PROXIES = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert throttle.client_address(request) == expected
