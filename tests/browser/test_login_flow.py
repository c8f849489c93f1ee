"""The sign-in page in real Chromium: a lockout with its message, then single sign-on."""

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import World
from tests.security.oidc_stub import CLIENT_ID, CLIENT_SECRET, StubProvider

pytestmark = pytest.mark.browser


def test_lockout_message_then_sign_in_through_the_provider(
    transactional_db: Any, live_server: Any, world: World, page: Any, shot: Any, settings: Any
) -> None:
    stub = StubProvider(claims={"sub": "bob-at-idp", "email": "bob@example.com"}).start()
    try:
        settings.AIOM_OIDC_ENABLED = True
        settings.AIOM_OIDC_ISSUER = stub.issuer
        settings.AIOM_OIDC_PROVIDER_NAME = "Stub IdP"
        settings.OIDC_RP_CLIENT_ID = CLIENT_ID
        settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
        settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{stub.base}/authorize"
        settings.OIDC_OP_TOKEN_ENDPOINT = f"{stub.base}/token"
        settings.OIDC_OP_USER_ENDPOINT = f"{stub.base}/userinfo"
        settings.OIDC_OP_JWKS_ENDPOINT = f"{stub.base}/jwks"
        settings.AUTHENTICATION_BACKENDS = [
            "django.contrib.auth.backends.ModelBackend",
            "aiom.core.oidc.OidcBackend",
        ]
        settings.AIOM_LOGIN_MAX_FAILURES = 3

        page.goto(f"{live_server.url}/use-cases/")
        for _ in range(3):
            page.fill("#id_username", "bob")
            page.fill("#id_password", "not-his-password")
            page.click("button[type=submit]")
        alert = page.locator(".form-errors")
        expect(alert).to_contain_text(
            "Too many failed sign-ins for this account; try again in 15 minutes."
        )
        sso = page.get_by_role("link", name="Sign in with Stub IdP")
        expect(sso).to_be_visible()
        shot(page, "login-locked-with-sso")

        sso.click()
        expect(page.locator("h1")).to_have_text("AI use-case portfolio")
        expect(page.locator(".whoami")).to_contain_text("Bob")
        assert stub.seen == ["/authorize", "/token", "/jwks", "/userinfo"]
    finally:
        stub.stop()
