"""Sign-in throttling per address: growing delays, never a lockout of everyone behind it.

A shared address (an office NAT, a proxy) must not let one person lock out all the others:
past its limit the address waits a delay that doubles with each further failure (429 with
Retry-After), and a colleague with the right password signs in once the current delay has
passed. The per-account lockout still holds, and a valid API token is never throttled.
"""

import datetime as dt
from typing import Any

import pytest
from django.db.models import F
from django.test import Client

from aiom.core import throttle, tokens
from aiom.core.models import AuditEvent, SignInFailure
from tests.conftest import World

PASSWORD = "correct-horse-battery"  # tests/conftest.make_person
OFFICE = "203.0.113.50"  # everyone's address behind the office NAT


def attempt(client: Client, username: str, password: str, address: str = OFFICE) -> Any:
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def wait(seconds: int) -> None:
    """Let `seconds` pass for the throttle: every failure happened that much earlier."""
    SignInFailure.objects.update(at=F("at") - dt.timedelta(seconds=seconds))


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def long_window(settings: Any) -> None:
    """A window long enough that waiting out the delays keeps every failure counted."""
    settings.AIOM_LOGIN_LOCKOUT_MINUTES = 24 * 60 - 1
    settings.AIOM_LOGIN_ADDRESS_DELAY_SECONDS = 1
    settings.AIOM_LOGIN_ADDRESS_MAX_DELAY_SECONDS = 3600


@pytest.mark.parametrize(
    ("failures", "seconds"),
    [(0, 0), (19, 0), (20, 1), (21, 2), (22, 4), (30, 1024), (31, 2048), (32, 3600), (10**6, 3600)],
)
def test_the_address_delay_doubles_from_the_limit_up_to_the_cap(
    settings: Any, failures: int, seconds: int
) -> None:
    settings.AIOM_LOGIN_MAX_FAILURES_PER_ADDRESS = 20
    settings.AIOM_LOGIN_ADDRESS_DELAY_SECONDS = 1
    settings.AIOM_LOGIN_ADDRESS_MAX_DELAY_SECONDS = 3600
    assert throttle.address_delay(failures) == dt.timedelta(seconds=seconds)


def test_thirty_failures_against_one_account_leave_a_colleague_free(
    client: Client, world: World
) -> None:
    """The brief's case with the shipped settings: the attacked account locks, nobody else."""
    statuses = [attempt(client, "alice", "wrong").status_code for _ in range(30)]
    assert statuses == [200] * 4 + [429] * 26
    colleague = Client()
    assert attempt(colleague, "bob", PASSWORD).status_code == 302
    assert signed_in(colleague)


@pytest.mark.parametrize("spray", [True, False], ids=["many accounts", "one account"])
def test_thirty_counted_failures_only_slow_the_address_down(
    client: Client, world: World, long_window: None, settings: Any, spray: bool
) -> None:
    """30 counted failures from one address (waiting out each delay, as a patient guesser
    would), against many accounts or against one whose own lockout is set high enough to
    count them all: the delays grow, and a colleague signs in after the current one."""
    settings.AIOM_LOGIN_MAX_FAILURES = 1000
    retry_afters: list[int] = []
    for n in range(30):
        response = attempt(client, f"nobody{n}" if spray else "alice", "wrong")
        assert SignInFailure.objects.filter(address=OFFICE).count() == n + 1
        if n < 19:
            assert response.status_code == 200
            continue
        # the failure that reaches the limit, and each after it, answers with the delay
        assert response.status_code == 429
        assert "from your network address" in response.content.decode()
        retry_afters.append(int(response["Retry-After"]))
        if n < 29:
            wait(retry_afters[-1])
    assert retry_afters == [2**k for k in range(11)]

    colleague = Client()
    refused = attempt(colleague, "bob", PASSWORD)
    assert refused.status_code == 429
    current = int(refused["Retry-After"])
    assert current == 2**10
    assert "wait 18 minutes before trying again" in refused.content.decode()
    assert not signed_in(colleague)
    assert SignInFailure.objects.count() == 30  # a refused attempt is not counted
    wait(current)
    assert attempt(colleague, "bob", PASSWORD).status_code == 302
    assert signed_in(colleague)
    # one audit event when the address reached its limit, not one per failure
    events = AuditEvent.objects.filter(action="lockout")
    assert [e.after["scope"] for e in events] == ["address"]
    assert events[0].after["delay_seconds"] == 1


def test_the_per_account_lockout_still_holds_after_the_address_delay(
    client: Client, world: World, settings: Any
) -> None:
    settings.AIOM_LOGIN_MAX_FAILURES_PER_ADDRESS = 3
    settings.AIOM_LOGIN_ADDRESS_DELAY_SECONDS = 5
    while SignInFailure.objects.filter(username="alice").count() < 5:
        response = attempt(client, "alice", "wrong")
        if "network address" in response.content.decode():  # wait out the address delay
            assert response.status_code == 429
            wait(int(response["Retry-After"]))
    assert "for this account" in response.content.decode()
    wait(600)  # any address delay is over; the account's 15 minutes are not
    for address in (OFFICE, "198.51.100.7"):
        locked = attempt(Client(), "alice", PASSWORD, address=address)
        assert locked.status_code == 429
        assert "for this account" in locked.content.decode()
        assert 0 < int(locked["Retry-After"]) <= 5 * 60
    assert attempt(Client(), "bob", PASSWORD).status_code == 302


def test_a_delayed_address_gets_no_password_oracle(
    client: Client, world: World, settings: Any
) -> None:
    """During the delay the right password is refused just like a wrong one."""
    settings.AIOM_LOGIN_MAX_FAILURES_PER_ADDRESS = 2
    settings.AIOM_LOGIN_ADDRESS_DELAY_SECONDS = 60
    attempt(client, "nobody", "wrong")
    attempt(client, "someone", "wrong")
    right, wrong = attempt(client, "bob", PASSWORD), attempt(client, "bob", "wrong")
    assert right.status_code == wrong.status_code == 429
    assert right.content.decode().count("wait 60 seconds before trying again") == 1
    assert not signed_in(client)


def test_the_api_token_path_is_slowed_not_locked_and_a_valid_token_is_untouched(
    client: Client, world: World, settings: Any
) -> None:
    settings.AIOM_LOGIN_MAX_FAILURES_PER_ADDRESS = 3
    settings.AIOM_LOGIN_ADDRESS_DELAY_SECONDS = 30
    bad = {"Authorization": "Bearer aiom_guess"}
    first = [client.get("/api/v1/use-cases", headers=bad, REMOTE_ADDR=OFFICE) for _ in range(4)]
    assert [r.status_code for r in first] == [401, 401, 429, 429]
    assert first[-1]["Retry-After"] in {"29", "30"}
    assert "wait 30 seconds" in first[-1].json()["detail"]
    assert SignInFailure.objects.filter(kind="token").count() == 3
    # a colleague's valid token from the same address works during the delay
    _, plaintext = tokens.create_token(actor=None, user=world.bob, name="ok")
    good = {"Authorization": f"Bearer {plaintext}"}
    assert client.get("/api/v1/use-cases", headers=good, REMOTE_ADDR=OFFICE).status_code == 200
    # after the delay a bad token is counted again, and the delay doubles
    wait(30)
    again = client.get("/api/v1/use-cases", headers=bad, REMOTE_ADDR=OFFICE)
    assert again.status_code == 429
    assert again["Retry-After"] in {"59", "60"}
    assert SignInFailure.objects.filter(kind="token").count() == 4


def test_control_characters_in_a_username_or_address_are_not_stored(db: Any) -> None:
    throttle.record_failure(username="al\x00ice\x1b", address="10.0.0.1\x00")
    row = SignInFailure.objects.get()
    assert (row.username, row.address) == ("alice", "10.0.0.1")
