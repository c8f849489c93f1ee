"""A write is one write transaction with its facts: a create, an edit and a lifecycle move
each BEGIN and COMMIT once (the facts of the use case computed inside, before the
commit), and a create runs a fixed number of statements whatever the portfolio's size."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aiom.insights.analytics import facts
from aiom.lifecycle import services as lifecycle
from aiom.portfolio import services as portfolio
from aiom.portfolio.models import UseCase
from aiom.value.models import StaleFacts, UseCaseFacts
from tests.conftest import World

pytestmark = pytest.mark.django_db(transaction=True)  # real BEGIN and COMMIT

# the org unit and the owner (2; the owner's access is the caller's, known for the
# request); the use case; the audit append (head, event, head) and its listeners
# (approvals, publications); the policy version and the first stage change; the facts
# (7 reads, 1 upsert). Nothing after the COMMIT but the answer's one read.
CREATE_WRITE_STATEMENTS = 18


def transactions(sql: list[str]) -> tuple[int, int]:
    return (
        sum(1 for s in sql if s.upper().startswith("BEGIN")),
        sum(1 for s in sql if s.upper() == "COMMIT"),
    )


def inside(sql: list[str]) -> list[str]:
    """The statements between the (one) BEGIN and its COMMIT."""
    begin = next(i for i, s in enumerate(sql) if s.upper().startswith("BEGIN"))
    commit = next(i for i, s in enumerate(sql) if s.upper() == "COMMIT")
    return sql[begin + 1 : commit]


def create_over_api(client: Any, headers: dict[str, str], world: World) -> tuple[int, list[str]]:
    body = {"title": "Invoice matcher", "org_unit": world.retail.pk, "owner": world.alice.pk}
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(
            "/api/v1/use-cases", body, content_type="application/json", headers=headers
        )
    assert response.status_code == 201, response.content
    return int(response.json()["id"]), [q["sql"] for q in ctx.captured_queries]


def test_a_create_is_one_write_transaction_with_its_facts(
    world: World, client: Any, bearer: Any
) -> None:
    pk, sql = create_over_api(client, bearer("alice"), world)
    assert transactions(sql) == (1, 1)
    assert any("value_usecasefacts" in s for s in inside(sql))  # the facts, before COMMIT
    assert UseCaseFacts.objects.get(use_case_id=pk).stage == "intake"
    assert not StaleFacts.objects.exists()
    assert facts.verify() == []


def test_a_creates_statements_do_not_grow_with_the_portfolio(
    world: World, client: Any, bearer: Any
) -> None:
    headers = bearer("alice")
    create_over_api(client, headers, world)  # the token's first use is noted once a minute
    _, small = create_over_api(client, headers, world)
    for i in range(25):
        portfolio.create_use_case(
            actor=world.alice, title=f"Filler {i}", org_unit=world.retail, owner=world.alice
        )
    _, large = create_over_api(client, headers, world)
    assert len(inside(small)) == len(inside(large)) == CREATE_WRITE_STATEMENTS
    assert len(small) == len(large)  # the request's reads do not grow either


def test_an_edit_and_a_lifecycle_move_are_one_write_transaction_each(
    world: World, client: Any, bearer: Any
) -> None:
    uc, headers = world.alice_uc, bearer("alice")
    with CaptureQueriesContext(connection) as ctx:
        response = client.patch(
            f"/api/v1/use-cases/{uc.pk}",
            {"title": "Mortgage document summariser v2"},
            content_type="application/json",
            headers=headers,
        )
    assert response.status_code == 200, response.content
    assert transactions([q["sql"] for q in ctx.captured_queries]) == (1, 1)
    with CaptureQueriesContext(connection) as ctx:
        lifecycle.transition(
            actor=world.alice, use_case=uc, to_stage="rejected", reason="Not worth a build."
        )
    assert transactions([q["sql"] for q in ctx.captured_queries]) == (1, 1)
    assert UseCaseFacts.objects.get(use_case=uc).stage == "rejected"
    assert UseCase.objects.get(pk=uc.pk).stage == "rejected"
    assert not StaleFacts.objects.exists() and facts.verify() == []
