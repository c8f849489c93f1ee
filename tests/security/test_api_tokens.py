"""API tokens against the brief: hash only, owner, name, scopes, expiry, last used, revocable,
shown once."""

import io

from django.core.management import call_command
from django.test import Client

from aiom.core import tokens
from aiom.core.models import ApiToken, AuditEvent
from tests.conftest import World


def test_a_token_is_stored_only_as_its_digest_with_its_facts(world: World) -> None:
    token, plaintext = tokens.create_token(
        actor=world.ada, user=world.bob, name="ci", scopes=["read"], expires_in_days=30
    )
    row = ApiToken.objects.get(pk=token.pk)
    stored = [str(getattr(row, f.attname)) for f in ApiToken._meta.concrete_fields]
    assert not any(plaintext in value for value in stored)
    assert row.digest == tokens.digest(plaintext)
    assert (row.user, row.name, row.scopes) == (world.bob, "ci", ["read"])
    assert row.expires_at is not None and row.last_used_at is None
    assert set(ApiToken.SCOPES) == {"read", "write", "admin"}


def test_the_cli_shows_a_token_once_then_only_its_prefix(client: Client, world: World) -> None:
    out = io.StringIO()
    call_command("token", "create", "bob", "--name", "ci", "--scopes", "read", stdout=out)
    plaintext = out.getvalue().strip()
    client.get("/api/v1/themes", headers={"Authorization": f"Bearer {plaintext}"})
    listing = io.StringIO()
    call_command("token", "list", stdout=listing)
    text = listing.getvalue()
    assert plaintext not in text
    assert plaintext[:12] in text
    assert "last used never" not in text  # the call above was recorded
    assert "expires never" in text
    events = AuditEvent.objects.filter(object_type="core.apitoken")
    assert plaintext not in str(list(events.values_list("before", "after", "message")))


def test_the_cli_revokes_and_the_token_stops_working(client: Client, world: World) -> None:
    token, plaintext = tokens.create_token(actor=None, user=world.alice, name="old")
    call_command("token", "revoke", token.prefix, stdout=io.StringIO())
    response = client.get("/api/v1/themes", headers={"Authorization": f"Bearer {plaintext}"})
    assert response.status_code == 401
    assert AuditEvent.objects.filter(action="revoke", object_id=str(token.pk)).exists()
