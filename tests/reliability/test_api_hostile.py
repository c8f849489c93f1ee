"""Every API operation with the hostile input that once answered 5xx, as explicit cases.

Schemathesis (test_api_fuzz.py) generates from the schema; this sends, to every operation
of the authorization matrix on real objects as the administrator: integer path parameters
past 64 bits, integer query parameters past 64 bits, control characters in every text query
parameter, a valid body with one field at a time made hostile (control characters or an
unpaired surrogate in text, numbers past 64 bits, the billion laughs and deep nesting in a
policy), and each creation twice (duplicate names). Nothing may answer 5xx; refused text
answers 4xx.
"""

from typing import Any

import pytest

from aiom.api import api
from tests.reliability.hostile import (
    BAD_TEXT,
    BAD_YAML_VALUE,
    DEEP_YAML,
    HUGE_IDS,
    HUGE_NUMBERS,
    NUMBER_TEXT,
    QUERY_TEXT,
    billion_laughs,
    call,
    int_path_names,
    label_of,
    mutations,
    target,
)
from tests.security.authz.conftest import Setup, setup
from tests.security.authz.matrix import classified_keys
from tests.security.authz.routes import ROUTES

__all__ = ["setup"]

KEYS = [k for k in classified_keys() if " " in k]


def _query_params(key: str) -> list[tuple[str, str]]:
    """(name, type) of the operation's query parameters, from the OpenAPI document."""
    method, path = key.split(" ", 1)
    operation = api.get_openapi_schema()["paths"][path][method.lower()]
    found = []
    for param in operation.get("parameters", []):
        if param["in"] != "query":
            continue
        schema = param["schema"]
        types = {schema.get("type")} | {s.get("type") for s in schema.get("anyOf", [])}
        found.append((param["name"], "integer" if "integer" in types else "string"))
    return found


def _body(key: str, setup: Setup) -> dict[str, Any] | None:
    route = ROUTES[key]
    if route.body is None or route.multipart:
        return None
    body: dict[str, Any] = route.body(setup.ctx, label_of(key))
    return body


@pytest.mark.parametrize("key", KEYS)
def test_no_operation_answers_5xx_to_hostile_input(setup: Setup, db: Any, key: str) -> None:
    method = key.split(" ", 1)[0]
    client = setup.clients["anonymous"]
    bearer = setup.ctx.bearer["ada"]
    body = _body(key, setup)
    where = target(key, setup.ctx)
    problems: list[str] = []

    def expect(responses: list[Any], what: str, refused: bool = False) -> None:
        for response in responses:
            status = response.status_code
            if status >= 500 or (refused and not 400 <= status < 500):
                problems.append(f"{what}: {status} {response.content[:300]!r}")

    if int_path_names(key):
        for huge in HUGE_IDS:
            hostile = target(key, setup.ctx, huge)
            expect(call(client, method, hostile, body, bearer), f"path {hostile}")
    for name, kind in _query_params(key):
        values = HUGE_IDS if kind == "integer" else QUERY_TEXT
        for value in values:
            sep = "&" if "?" in where else "?"
            expect(
                call(client, method, f"{where}{sep}{name}={value}", body, bearer),
                f"query {name}={value!r}",
                refused=kind == "string",
            )
    if body is not None:
        for hostile_body in mutations(body, BAD_TEXT, []):
            expect(call(client, method, where, hostile_body, bearer), repr(hostile_body), True)
        for hostile_body in mutations(body, NUMBER_TEXT, HUGE_NUMBERS):
            expect(call(client, method, where, hostile_body, bearer), repr(hostile_body))
        if "content" in body:  # a policy document: refused, or reported invalid
            for document in (billion_laughs(), DEEP_YAML, BAD_YAML_VALUE):
                (response,) = call(client, method, where, body | {"content": document}, bearer)
                judged = response.status_code == 200 and response.json().get("valid") is False
                expect([] if judged else [response], f"policy {document[:30]!r}", refused=True)
        if method == "POST":
            expect(call(client, method, where, body, bearer, times=2), "the same body twice")
    assert not problems, "\n".join(problems)
