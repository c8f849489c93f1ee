"""The `admin` scope is enforced: an administrator's `read,write` token acts as the same
person without the administrator role; only a token with `admin` does what only
administrators may.

The administrator-only operations are discovered, not listed: every API write operation
the matrix (routes.py, which test_coverage keeps complete) grants to the administrator
alone. Each is sent as Ada with a `read,write,admin` token (allowed) and with a
`read,write` token (403, nothing changed, no audit event).
"""

import json
from typing import Any

import pytest
from django.db import transaction

from aiom.core.models import AuditEvent
from aiom.core.tokens import create_token
from tests.security.authz.conftest import Setup
from tests.security.authz.matrix import WRITE_OK, Case, classified_keys, fingerprint, labels_of, url
from tests.security.authz.routes import ROUTES
from tests.security.authz.rules import ADMIN

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def admin_only() -> list[str]:
    """API write operations no one but an administrator may perform."""
    return [
        key
        for key in classified_keys()
        if key.split(" ", 1)[0] in WRITE_METHODS and ROUTES[key].write == ADMIN
    ]


ADMIN_ONLY = admin_only()


def _send(setup: Setup, key: str, scopes: tuple[str, ...]) -> tuple[int, bytes, bool, int]:
    """Send `key` as Ada with a fresh token of `scopes`, rolled back; (status, body,
    database changed, audit events recorded)."""
    ctx = setup.ctx
    label = labels_of(key)[0]
    method = key.split(" ", 1)[0]
    case = Case(key, method, "ada", label)
    route = ROUTES[key]
    body = route.body(ctx, label) if route.body else {}
    client = setup.clients["anonymous"]
    with transaction.atomic():
        _, plaintext = create_token(actor=None, user=ctx.world.ada, name="s", scopes=scopes)
        headers = {"Authorization": f"Bearer {plaintext}"}
        before, events = fingerprint(), AuditEvent.objects.count()
        if route.multipart:
            response = client.post(url(case, ctx), body, headers=headers)
        else:
            data = json.dumps(body)
            response = client.generic(
                method, url(case, ctx), data=data, content_type="application/json", headers=headers
            )
        changed = fingerprint() != before
        recorded = AuditEvent.objects.count() - events
        transaction.set_rollback(True)
    return response.status_code, response.content, changed, recorded


def test_the_administrator_only_operations_are_found() -> None:
    print(f"administrator-only API operations: {len(ADMIN_ONLY)}")
    assert len(ADMIN_ONLY) >= 15
    assert "POST /api/v1/people/{user_id}/roles" in ADMIN_ONLY
    assert "POST /api/v1/policy/activate" in ADMIN_ONLY


@pytest.mark.parametrize("key", ADMIN_ONLY)
def test_read_write_token_of_an_admin_is_refused(setup: Setup, db: Any, key: str) -> None:
    status, body, changed, recorded = _send(setup, key, ("read", "write"))
    assert status == 403, (status, body[:300])
    assert b"lacks the 'admin' scope" in body
    assert not changed and recorded == 0


@pytest.mark.parametrize("key", ADMIN_ONLY)
def test_admin_token_is_allowed(setup: Setup, db: Any, key: str) -> None:
    """The same call with `admin`: the refusal above was the scope, not the request."""
    status, body, _, _ = _send(setup, key, ("read", "write", "admin"))
    assert status in WRITE_OK and status != 403, (status, body[:300])


def test_without_admin_the_token_has_none_of_the_roles_powers(setup: Setup, db: Any) -> None:
    """Editing a use case one neither owns nor sponsors is an administrator's power too:
    refused without `admin` (Ada still sees it, as a member of the top unit), allowed with."""
    key = "PATCH /api/v1/use-cases/{use_case_id}"
    assert ROUTES[key].write is not None
    status, body, changed, recorded = _send(setup, key, ("read", "write"))
    assert status == 403 and not changed and recorded == 0, body[:300]
    status, body, changed, recorded = _send(setup, key, ("read", "write", "admin"))
    assert status == 200 and changed and recorded == 1, body[:300]
