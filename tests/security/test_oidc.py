"""Sign-in through OpenID Connect, against a stub provider on loopback, with the library's flow."""

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from aiom.core import oidc
from aiom.core.models import AuditEvent
from aiom.organisation.models import Person, RoleAssignment
from tests.conftest import World
from tests.security.oidc_stub import CLIENT_ID, CLIENT_SECRET, StubProvider, _new_key

BACKENDS = ["django.contrib.auth.backends.ModelBackend", "aiom.core.oidc.OidcBackend"]


@pytest.fixture
def provider(settings: Any) -> Iterator[StubProvider]:
    stub = StubProvider(claims={"sub": "alice-at-idp", "email": "Alice@Example.com"}).start()
    settings.AIOM_OIDC_ENABLED = True
    settings.AIOM_OIDC_ISSUER = stub.issuer
    settings.AIOM_OIDC_PROVIDER_NAME = "Stub IdP"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{stub.base}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{stub.base}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{stub.base}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{stub.base}/jwks"
    settings.OIDC_CREATE_USER = False
    settings.AUTHENTICATION_BACKENDS = BACKENDS
    oidc._discovery_cache.clear()
    yield stub
    stub.stop()
    oidc._discovery_cache.clear()


def sign_in(client: Client, next_url: str = "/use-cases/") -> Any:
    """Browser steps: our redirect → the provider's authorize → back to our callback."""
    start = client.get("/oidc/authenticate/", {"next": next_url})
    assert start.status_code == 302
    assert start["Location"].startswith("http://127.0.0.1:")
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["Location"])
    assert back.path == "/oidc/callback/"
    return client.get(back.path, dict(parse_qsl(back.query)))


def signed_in_user(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None


def test_a_known_email_signs_in_as_that_person(client: Client, world: World, provider) -> None:
    response = sign_in(client)
    assert response.status_code == 302
    assert response["Location"] == "/use-cases/"
    assert signed_in_user(client) == world.alice.pk
    assert client.get("/use-cases/").status_code == 200
    # the whole flow ran against the provider, PKCE and JWKS included
    assert provider.seen == ["/authorize", "/token", "/jwks", "/userinfo"]


def test_the_login_page_offers_the_provider_only_when_configured(
    client: Client, db: Any, settings: Any
) -> None:
    page = client.get("/login/").content.decode()
    assert "Sign in with" not in page
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/", {"code": "x", "state": "y"}).status_code == 404
    settings.AIOM_OIDC_ENABLED = True
    settings.AIOM_OIDC_PROVIDER_NAME = "Contoso ID"
    page = client.get("/login/", {"next": "/audit/"}).content.decode()
    assert "Sign in with Contoso ID" in page
    assert 'href="/oidc/authenticate/?next=/audit/"' in page


def test_an_unknown_email_is_refused_unless_creation_is_on(
    client: Client, world: World, provider
) -> None:
    provider.claims = {"sub": "newcomer", "email": "nora@example.com", "given_name": "Nora"}
    response = sign_in(client)
    assert response.status_code == 302
    assert response["Location"] == "/login/?sso=failed"
    assert signed_in_user(client) is None
    assert not User.objects.filter(email="nora@example.com").exists()
    page = client.get(response["Location"]).content.decode()
    assert "Sign-in with Stub IdP did not succeed" in page


def test_creation_makes_a_person_with_no_roles_and_audits_it(
    client: Client, world: World, provider, settings: Any
) -> None:
    settings.OIDC_CREATE_USER = True
    provider.claims = {
        "sub": "newcomer",
        "email": "nora@example.com",
        "email_verified": True,
        "preferred_username": "alice",  # taken: gets a number
        "given_name": "Nora",
        "family_name": "North",
    }
    response = sign_in(client)
    assert response.status_code == 302
    user = User.objects.get(email="nora@example.com")
    assert signed_in_user(client) == user.pk
    assert (user.username, user.first_name, user.last_name) == ("alice-2", "Nora", "North")
    assert not user.has_usable_password()
    assert Person.objects.get(user=user).org_unit is None
    assert not RoleAssignment.objects.filter(user=user).exists()
    event = AuditEvent.objects.get(object_type="auth.user", object_id=str(user.pk))
    assert event.action == "create"
    assert event.actor_id is None


def test_an_email_the_provider_says_is_unverified_never_signs_in(
    client: Client, world: World, provider
) -> None:
    provider.claims = {"email": "alice@example.com", "email_verified": False}
    response = sign_in(client)
    assert response["Location"] == "/login/?sso=failed"
    assert signed_in_user(client) is None


@pytest.mark.parametrize(
    ("knob", "value"),
    [
        ("audience", "someone-else"),
        ("issuer_override", "https://evil.example"),
        ("signing_key", "foreign"),
    ],
)
def test_a_token_not_meant_for_us_or_forged_is_refused(
    client: Client, world: World, provider, knob: str, value: str
) -> None:
    setattr(provider, knob, _new_key() if value == "foreign" else value)
    response = sign_in(client)
    assert response.status_code == 400
    assert signed_in_user(client) is None


def test_a_replayed_callback_does_not_sign_in(client: Client, world: World, provider) -> None:
    start = client.get("/oidc/authenticate/")
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=5)
    back = urlsplit(at_provider.headers["Location"])
    other = Client()  # another browser: no state in its session
    response = other.get(back.path, dict(parse_qsl(back.query)))
    assert response.status_code == 302
    assert response["Location"] == "/login/?sso=failed"
    assert other.session.get("_auth_user_id") is None


def test_empty_endpoints_come_from_discovery_on_first_use_only(
    client: Client, world: World, provider, settings: Any
) -> None:
    for name in oidc.DISCOVERED:
        setattr(settings, name, "")
    # a password sign-in never reaches the provider, not even for discovery
    response = client.post("/login/", {"username": "bob", "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert provider.seen == []
    client.logout()
    assert sign_in(client).status_code == 302
    assert signed_in_user(client) == world.alice.pk
    client.logout()
    sign_in(client)
    well_known = "/.well-known/openid-configuration"
    assert provider.seen.count(well_known) == 1  # cached per process
    assert provider.seen[:2] == [well_known, "/authorize"]


def test_a_discovery_document_for_another_issuer_is_refused(
    client: Client, world: World, provider, settings: Any
) -> None:
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = ""
    provider.issuer_override = "https://elsewhere.example"
    with pytest.raises(ImproperlyConfigured, match="names the issuer"):
        client.get("/oidc/authenticate/")


def test_a_deactivated_person_stays_out_even_with_creation_on(
    client: Client, world: World, provider, settings: Any
) -> None:
    settings.OIDC_CREATE_USER = True
    User.objects.filter(pk=world.alice.pk).update(is_active=False)
    response = sign_in(client)
    assert response["Location"] == "/login/?sso=failed"
    assert signed_in_user(client) is None
    assert User.objects.filter(email__iexact="alice@example.com").count() == 1
