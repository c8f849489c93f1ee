"""API tokens: shown once, stored as a digest, scoped, revocable, expiring."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from aiom.core import tokens
from aiom.core.errors import InvalidInput
from aiom.core.models import ApiToken, AuditEvent
from tests.conftest import World


def test_create_token_stores_only_a_digest_and_audits(world: World) -> None:
    token, plaintext = tokens.create_token(actor=world.ada, user=world.alice, name="ci")
    assert plaintext.startswith("aiom_")
    row = ApiToken.objects.get(pk=token.pk)
    assert row.digest == tokens.digest(plaintext)
    assert plaintext not in (row.digest, row.prefix, row.name)
    event = AuditEvent.objects.get(object_type="core.apitoken", object_id=str(token.pk))
    assert event.action == "create"
    assert event.actor_id == world.ada.pk
    assert plaintext not in str(event.after)


def test_token_creation_rejects_bad_input(world: World) -> None:
    with pytest.raises(InvalidInput) as err:
        tokens.create_token(
            actor=None, user=world.alice, name=" ", scopes=["root"], expires_in_days=0
        )
    assert set(err.value.errors) == {"name", "scopes", "expires_in_days"}


def test_bearer_token_authenticates_the_api(client: Client, world: World, bearer) -> None:
    headers = bearer("alice")
    ok = client.get("/api/v1/use-cases", headers=headers)
    assert ok.status_code == 200
    assert client.get("/api/v1/use-cases").status_code == 401
    bad = client.get("/api/v1/use-cases", headers={"Authorization": "Bearer aiom_wrong"})
    assert bad.status_code == 401


def test_revoked_and_expired_tokens_stop_working(client: Client, world: World) -> None:
    token, plaintext = tokens.create_token(actor=None, user=world.alice, name="a")
    headers = {"Authorization": f"Bearer {plaintext}"}
    assert client.get("/api/v1/use-cases", headers=headers).status_code == 200
    tokens.revoke_token(actor=world.ada, token=token)
    assert client.get("/api/v1/use-cases", headers=headers).status_code == 401
    assert AuditEvent.objects.filter(object_type="core.apitoken", action="revoke").exists()

    expiring, plain2 = tokens.create_token(
        actor=None, user=world.alice, name="b", expires_in_days=1
    )
    ApiToken.objects.filter(pk=expiring.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert (
        client.get("/api/v1/use-cases", headers={"Authorization": f"Bearer {plain2}"}).status_code
        == 401
    )


def test_read_scope_cannot_write(client: Client, world: World, bearer) -> None:
    headers = bearer("alice", scopes=("read",))
    response = client.patch(
        f"/api/v1/use-cases/{world.alice_uc.pk}",
        {"title": "New"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 403
    assert "write" in response.json()["detail"]


def test_last_used_is_recorded(client: Client, world: World) -> None:
    token, plaintext = tokens.create_token(actor=None, user=world.bob, name="x")
    client.get("/api/v1/themes", headers={"Authorization": f"Bearer {plaintext}"})
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_cli_token_create_prints_a_working_token(client: Client, world: World) -> None:
    out = io.StringIO()
    call_command("token", "create", "bob", "--name", "laptop", stdout=out)
    plaintext = out.getvalue().strip()
    assert plaintext.startswith("aiom_")
    response = client.get("/api/v1/use-cases", headers={"Authorization": f"Bearer {plaintext}"})
    assert response.status_code == 200
    listing = io.StringIO()
    call_command("token", "list", "bob", stdout=listing)
    assert "laptop" in listing.getvalue()
    assert plaintext not in listing.getvalue()
