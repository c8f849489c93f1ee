"""A person made from an identity provider's claims, on a first single sign-on.

core.oidc checks the provider's answer and finds people by email; when no one matches and
AIOM_OIDC_CREATE_USERS is on it asks the function named by settings.OIDC_PERSON_FROM_CLAIMS
(this one) for a new person, so core never reaches into the organisation.
"""

from typing import Any

from django.contrib.auth.models import User

from aiom.organisation import services


def person_from_claims(username: str, claims: dict[str, Any]) -> User:
    """A person with no roles and no unit, made by the system (the audit trail says so)."""
    return services.create_person(
        actor=None,
        username=username,
        first_name=str(claims.get("given_name") or "")[:150],
        last_name=str(claims.get("family_name") or "")[:150],
        email=str(claims["email"]).strip(),
    )
