"""External partners write nothing: every discovered write route, walked as Pat.

The routes come from the URL configuration and the OpenAPI schema (`discover`), not from a
list: every API operation with POST/PUT/PATCH/DELETE, and a POST to every page route (a
page that writes for no one must change nothing when posted to). Each is requested as the
partner on every use case the path can name, and must leave the database as it was: no
audit event, no row added or removed in any table, no use case changed. Routes that do
write for someone are refused (403, or 404 where the partner cannot see the object; the
API refuses partners before it looks anything up, so always 403). The few POSTs that only
compute an answer (similarity suggestions, policy validation) may answer, and must still
change nothing.
"""

import json
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction

from aiom.core.models import AuditEvent
from tests.security.authz.conftest import Setup
from tests.security.authz.discover import api_operations, page_routes
from tests.security.authz.matrix import API_PARAM, Case, fingerprint, labels_of, url
from tests.security.authz.objects import Ctx
from tests.security.authz.routes import ROUTES

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# POSTs that compute an answer and store nothing (a partner may ask them).
COMPUTE_ONLY = {
    "POST /api/v1/use-cases/similar",
    "POST /api/v1/policy/validate",
    "POST /api/v1/policy/simulate",
    "use-cases/similar-panel/",
}
# Bookkeeping that reads may refresh (not a write by the partner).
BOOKKEEPING = {"value.usecasefacts", "value.stalefacts", "sessions.session"}


def write_routes() -> list[str]:
    """Every API write operation and every page route, minus the sign-in hand-offs.

    A page not yet classified in routes.py cannot be given its objects here (the coverage
    test fails naming it; once classified it is walked). An API operation is walked either
    way: partners are refused before anything is looked up, so any id serves.
    """
    api = [k for k in api_operations() if k.split(" ", 1)[0] in WRITE_METHODS]
    pages = [k for k in page_routes() if k in ROUTES and not ROUTES[k].exempt]
    return sorted(k for k in api + pages if k not in ROUTES or not ROUTES[k].exempt)


def counts() -> dict[str, int]:
    """Rows per table, for every model but bookkeeping."""
    out = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label not in BOOKKEEPING and model._meta.managed:
            out[label] = model._default_manager.count()
    return out


def _unclassified(setup: Setup, key: str) -> Any:
    """An API write not yet in routes.py: every path id 1, an empty body."""
    method, path = key.split(" ", 1)
    headers = {"Authorization": setup.ctx.bearer["pat"]}
    target = API_PARAM.sub("1", path)
    client = setup.clients["anonymous"]
    return client.generic(
        method, target, data="{}", content_type="application/json", headers=headers
    )


def _send(setup: Setup, key: str, label: str | None) -> Any:
    if key not in ROUTES:
        return _unclassified(setup, key)
    ctx: Ctx = setup.ctx
    is_api = " " in key
    method = key.split(" ", 1)[0] if is_api else "POST"
    case = Case(key, method, "pat", label)
    route = ROUTES[key]
    body = route.body(ctx, label) if route.body else {}
    target = url(case, ctx)
    if not is_api:
        return setup.clients["pat"].post(target, body)
    client = setup.clients["anonymous"]
    headers = {"Authorization": ctx.bearer["pat"]}
    if route.multipart:
        return client.post(target, body, headers=headers)
    data = json.dumps(body)
    return client.generic(
        method, target, data=data, content_type="application/json", headers=headers
    )


def expected_refusals(key: str, label: str | None) -> set[int] | None:
    """How the route must refuse the partner; None for a page that writes for no one (it
    may ignore the method and render: that it changes nothing is asserted for all)."""
    if " " in key:
        # 422: an unclassified operation's empty body fails validation before the view
        return {403} if key in ROUTES else {403, 422}
    route = ROUTES[key]
    if route.write is None:
        return None
    hidden = label is not None and label != "alice_uc"  # Pat sees only alice_uc
    return {404} if hidden else set(route.refused)


ROUTE_KEYS = write_routes()


def test_the_walk_covers_every_write_the_matrix_knows() -> None:
    known = [k for k, r in ROUTES.items() if r.write is not None and not r.exempt]
    missing = sorted(set(known) - set(ROUTE_KEYS))
    assert not missing, missing
    api_writes = [k for k in ROUTE_KEYS if " " in k]
    print(f"partner write walk: {len(ROUTE_KEYS)} routes ({len(api_writes)} API operations)")
    assert len(api_writes) >= 60


@pytest.mark.parametrize("key", ROUTE_KEYS)
def test_a_partner_writes_nothing(setup: Setup, db: Any, key: str) -> None:
    problems = []
    for label in labels_of(key) if key in ROUTES else (None,):
        with transaction.atomic():
            seq_before = AuditEvent.objects.count()
            before = (fingerprint(), counts())
            response = _send(setup, key, label)
            after = (fingerprint(), counts())
            events = AuditEvent.objects.count() - seq_before
            transaction.set_rollback(True)
        where = f"{key} on {label}: {response.status_code}"
        if events:
            problems.append(f"{where}: recorded {events} audit event(s)")
        if before != after:
            changed = [t for t in after[1] if after[1][t] != before[1].get(t)]
            problems.append(f"{where}: changed the database {changed or 'use cases'}")
        allowed = expected_refusals(key, label)
        if key in COMPUTE_ONLY or allowed is None:
            continue
        if response.status_code not in allowed:
            problems.append(f"{where}, expected one of {sorted(allowed)}")
    assert not problems, "\n".join(problems)
