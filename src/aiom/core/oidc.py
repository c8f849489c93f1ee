"""Sign-in through OpenID Connect: mozilla-django-oidc's code flow (with PKCE), mapped to people.

The library checks the id_token's signature (the provider's JWKS), its algorithm and the
nonce; this backend also insists on the issuer, the audience and an expiry. Claims map
to a person by email (case-insensitive; a deactivated person stays out): an email claimed
as unverified (`email_verified: false`) never signs in, two people with one email never
do, and an unknown email makes a new person with no roles only when
AIOM_OIDC_CREATE_USERS is on (settings.OIDC_PERSON_FROM_CLAIMS names who makes it:
organisation.sign_in, so core imports no app).
The views answer 404 while OIDC is not configured.

Endpoints come from AIOM_OIDC_*_ENDPOINT; any left empty are read from the issuer's
discovery document on first use (never while settings load, never for a password
sign-in), once per process.
"""

import re
from typing import Any

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from django.utils.module_loading import import_string
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

_USERNAME_UNSAFE = re.compile(r"[^\w.@+-]")
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
_discovery_cache: dict[str, dict[str, str]] = {}


def discovery(issuer: str) -> dict[str, str]:
    """The issuer's endpoints from /.well-known/openid-configuration (cached per process)."""
    if issuer not in _discovery_cache:
        url = issuer.rstrip("/") + "/.well-known/openid-configuration"
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
        if document.get("issuer") != issuer:
            raise ImproperlyConfigured(f"{url} names the issuer {document.get('issuer')!r}")
        _discovery_cache[issuer] = {k: str(document.get(v) or "") for k, v in DISCOVERED.items()}
    return _discovery_cache[issuer]


def setting(attr: str, *default: Any) -> Any:
    """The library's settings, with empty endpoints filled in from discovery."""
    value = import_from_settings(attr, *default)
    if attr in DISCOVERED and not value and settings.AIOM_OIDC_ENABLED:
        return discovery(settings.AIOM_OIDC_ISSUER)[attr]
    return value


def _require_enabled() -> None:
    if not settings.AIOM_OIDC_ENABLED:
        raise Http404("single sign-on is not configured")


class OidcBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    get_settings = staticmethod(setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Django makes a backend for every sign-in, passwords included: read the provider's
        # settings (and maybe its discovery document) only for a provider's callback.
        self.UserModel = get_user_model()

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if not settings.AIOM_OIDC_ENABLED or request is None or "code" not in request.GET:
            return None
        super().__init__()
        user: User | None = super().authenticate(request, **kwargs)
        return user

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if payload.get("iss") != settings.AIOM_OIDC_ISSUER:
            raise SuspiciousOperation("the id_token was not issued by the configured issuer")
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("the id_token is not meant for this client")
        if "exp" not in payload:
            raise SuspiciousOperation("the id_token has no expiry")
        return payload

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        email = str(claims.get("email") or "")
        return "@" in email and claims.get("email_verified") is not False

    def filter_users_by_claims(self, claims: dict[str, Any]) -> "QuerySet[User]":
        email = str(claims.get("email") or "").strip()
        if not email:
            return User.objects.none()
        # Inactive people match too, so that the callback refuses them (rather than a
        # second account being made for a deactivated person's email).
        return User.objects.filter(email__iexact=email)

    def create_user(self, claims: dict[str, Any]) -> User:
        """A new person, made by the function settings.OIDC_PERSON_FROM_CLAIMS names."""
        person_from_claims = import_string(settings.OIDC_PERSON_FROM_CLAIMS)
        user: User = person_from_claims(self.get_username(claims), claims)
        return user

    def get_username(self, claims: dict[str, Any]) -> str:
        """preferred_username, else the email's local part; made unique with a number."""
        wanted = str(claims.get("preferred_username") or str(claims["email"]).split("@")[0])
        base = _USERNAME_UNSAFE.sub("", wanted)[:140] or "person"
        candidate, n = base, 1
        while User.objects.filter(username__iexact=candidate).exists():
            n += 1
            candidate = f"{base}-{n}"
        return candidate


class AuthenticateView(OIDCAuthenticationRequestView):  # type: ignore[misc]
    """Redirects to the provider's authorisation endpoint (state, nonce, PKCE in session)."""

    get_settings = staticmethod(setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if settings.AIOM_OIDC_ENABLED:  # else dispatch answers 404 without any discovery
            super().__init__(*args, **kwargs)
        else:
            super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        _require_enabled()
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)
        return response


class CallbackView(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """The provider sends the browser back here with a code; the backend redeems it."""

    get_settings = staticmethod(setting)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        _require_enabled()
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)
        return response
