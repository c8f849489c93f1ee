"""API tokens: made once, shown once, stored as a digest, checked on every API call."""

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from aiom.core import audit
from aiom.core.errors import InvalidInput
from aiom.core.models import ApiToken

TOKEN_PREFIX = "aiom_"  # noqa: S105 - a marker, not a secret
# Touching last_used_at on every call would turn every read into a write.
LAST_USED_GRANULARITY = dt.timedelta(minutes=1)
# Set on a user object by the API's token authentication: the scopes of the token used
# (organisation.access reads it: without `admin` the person acts without that role).
TOKEN_SCOPES_ATTR = "_aiom_token_scopes"  # noqa: S105 - an attribute name, not a secret


def digest(token: str) -> str:
    # Tokens carry 256 bits of randomness, so a fast hash is enough: nothing to brute-force.
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _snapshot(token: ApiToken) -> dict[str, object]:
    return {
        "user": token.user_id,
        "name": token.name,
        "prefix": token.prefix,
        "scopes": token.scopes,
        "expires_at": token.expires_at,
        "revoked_at": token.revoked_at,
    }


@transaction.atomic
def create_token(
    *,
    actor: audit.Actor,
    user: User,
    name: str,
    scopes: Sequence[str] = ("read", "write"),
    expires_in_days: int | None = None,
) -> tuple[ApiToken, str]:
    """Make a token for `user`; returns the row and the plaintext, which is never stored."""
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "a token needs a name"
    unknown = sorted(set(scopes) - set(ApiToken.SCOPES))
    if unknown or not scopes:
        errors["scopes"] = f"scopes must be among {', '.join(ApiToken.SCOPES)}; got {scopes}"
    if expires_in_days is not None and expires_in_days <= 0:
        errors["expires_in_days"] = "must be a positive number of days"
    if not user.is_active:
        errors["user"] = f"{user.get_username()} is not active"
    if errors:
        raise InvalidInput(errors)
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        prefix=plaintext[:12],
        digest=digest(plaintext),
        scopes=list(dict.fromkeys(scopes)),
        expires_at=(
            timezone.now() + dt.timedelta(days=expires_in_days) if expires_in_days else None
        ),
    )
    audit.record(
        actor=actor,
        action="create",
        obj=token,
        after=_snapshot(token),
        message=f"API token '{token.name}' for {user.get_username()}",
    )
    return token, plaintext


@transaction.atomic
def revoke_token(*, actor: audit.Actor, token: ApiToken) -> ApiToken:
    if token.revoked_at is not None:
        return token
    before = _snapshot(token)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(actor=actor, action="revoke", obj=token, before=before, after=_snapshot(token))
    return token


def authenticate(plaintext: str) -> ApiToken | None:
    """The usable token behind `plaintext`, with its user loaded, or None."""
    if not plaintext.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(digest=digest(plaintext)).first()
    if token is None or not token.is_usable() or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_GRANULARITY:
        # Bookkeeping, not a domain change: no audit event, and no extra query per call.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
