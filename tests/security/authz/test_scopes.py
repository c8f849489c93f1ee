"""A read-only token writes nothing: every API write operation, as the administrator (who
may do everything), with a token holding only the `read` scope."""

import json
from typing import Any

import pytest

from aiom.core.tokens import create_token
from tests.security.authz.conftest import Setup
from tests.security.authz.matrix import Case, classified_keys, fingerprint, labels_of, url

# POSTs that compute an answer and store nothing: no scope needed beyond reading.
COMPUTE_ONLY = {
    "POST /api/v1/use-cases/similar",
    "POST /api/v1/policy/validate",
    "POST /api/v1/policy/simulate",
}
WRITES = [k for k in classified_keys() if k.split(" ", 1)[0] in {"POST", "PUT", "PATCH", "DELETE"}]


@pytest.mark.parametrize("key", WRITES)
def test_a_read_only_token_cannot_write(setup: Setup, db: Any, key: str) -> None:
    _, plaintext = create_token(actor=None, user=setup.ctx.world.ada, name="ro", scopes=("read",))
    ctx = setup.ctx
    label = labels_of(key)[0]
    case = Case(key, key.split(" ", 1)[0], "ada", label)
    spec = case.route
    body = spec.body(ctx, label) if spec.body else {}
    headers = {"Authorization": f"Bearer {plaintext}"}
    client = setup.clients["anonymous"]
    before = fingerprint()
    if spec.multipart:
        response = client.post(url(case, ctx), body, headers=headers)
    else:
        response = client.generic(
            case.method,
            url(case, ctx),
            data=json.dumps(body),
            content_type="application/json",
            headers=headers,
        )
    assert fingerprint() == before
    if key not in COMPUTE_ONLY:
        assert response.status_code == 403, (response.status_code, response.content[:200])
