"""What a user holds (roles, home unit, led units) is read once per request, whichever user
objects ask for it: request.user, the token's user, the same person loaded again as a use
case's owner. Outside a request nothing is kept; a role change in the request is seen."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from aiom.core.context import reset_request_id, set_request_id
from aiom.organisation import access
from aiom.organisation import services as org
from aiom.organisation.models import Role
from tests.conftest import World


def role_reads(queries: CaptureQueriesContext) -> int:
    """access_for's read of a user's role assignments."""
    return sum(
        1
        for q in queries.captured_queries
        if 'SELECT "organisation_roleassignment"."role"' in q["sql"]
    )


def created(world: World) -> dict[str, Any]:
    return {"title": "Once per request", "org_unit": world.retail.pk, "owner": world.alice.pk}


API = [
    ("get", "/api/v1/use-cases", None),
    ("get", "/api/v1/use-cases/{alice_uc}", None),
    ("post", "/api/v1/use-cases", created),
]
PAGES = [("get", "/use-cases/", None), ("get", "/use-cases/{alice_uc}/", None)]
CASES = [("session", *case) for case in PAGES + API] + [("token", *case) for case in API]


@pytest.mark.parametrize(("auth", "method", "url", "body"), CASES)
def test_roles_are_read_once_per_page_and_api_request(
    auth: str, method: str, url: str, body: Any, world: World, bearer: Any
) -> None:
    client = Client()
    headers: dict[str, str] = {}
    if auth == "session":
        client.force_login(world.alice)
    else:
        headers = bearer("alice")
    url = url.format(alice_uc=world.alice_uc.pk)
    with CaptureQueriesContext(connection) as queries:
        if body is None:
            response = client.get(url, headers=headers)
        else:
            response = client.post(
                url, body(world), content_type="application/json", headers=headers
            )
    assert response.status_code in (200, 201), response.content[:300]
    assert role_reads(queries) == 1


def test_within_a_request_a_user_is_read_once_and_a_role_change_is_seen(world: World) -> None:
    token = set_request_id("request-one")
    try:
        with CaptureQueriesContext(connection) as queries:
            access.held_by(world.bob.pk)
            access.held_by(world.bob.pk)
        assert role_reads(queries) == 1
        org.assign_role(actor=None, user=world.bob, role=Role.RISK_REVIEWER, org_unit=None)
        assert (Role.RISK_REVIEWER, None) in access.held_by(world.bob.pk).roles
    finally:
        reset_request_id(token)
    token = set_request_id("request-two")
    try:
        with CaptureQueriesContext(connection) as queries:
            access.held_by(world.bob.pk)
        assert role_reads(queries) == 1  # another request reads again
    finally:
        reset_request_id(token)


def test_outside_a_request_nothing_is_kept(world: World) -> None:
    with CaptureQueriesContext(connection) as queries:
        access.held_by(world.bob.pk)
        access.held_by(world.bob.pk)
    assert role_reads(queries) == 2
