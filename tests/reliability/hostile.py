"""Hostile input for the fuzz tests: the cases that once answered 5xx, as explicit values.

- ids and numbers past 64 bits (SQLite's adapter overflows, PostgreSQL's bigint refuses),
  and digits `int` refuses ("²");
- control characters and unpaired surrogates in any text;
- policy YAML that nests too deep or expands too far (the billion laughs);
- the same creation twice (a duplicate name on a unique column).

Requests are built from the authorization matrix (tests/security/authz): every page route
and API operation, with real objects in their paths and a valid body, then made hostile.
"""

import functools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db import transaction
from django.test import Client

from aiom.api import api
from tests.security.authz.matrix import API_PARAM, PAGE_PARAM, labels_of
from tests.security.authz.matrix import _object as matrix_object
from tests.security.authz.objects import Ctx
from tests.security.authz.routes import PER_USE_CASE, ROUTES

HUGE_IDS = ["99999999999999999999", str(2**63), "²"]
HUGE_NUMBERS: list[int] = [10**20, 2**63]
BAD_TEXT = ["nul \x00 inside", "escape \x1b[2J", "bell\x07", "lone \ud800 surrogate"]
NUMBER_TEXT = ["99999999999999999999", "1e999999", "NaN", "-Infinity"]  # for any text field
QUERY_TEXT = ["nul \x00 inside", "escape \x1b[2J"]  # a URL cannot carry a lone surrogate
DEEP_YAML = "[" * 5_000 + "]" * 5_000
BAD_YAML_VALUE = "name: " + "9" * 5_000  # an int past Python's int-from-text limit


def billion_laughs() -> str:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 9):
        name, prev = chr(97 + i), chr(96 + i)
        lines.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    return "\n".join(lines) + "\n"


def discovered_query_names() -> list[str]:
    """Every query parameter a page reads, found in the source (request.GET[...] and
    request.GET.get(...)), plus the use-case filter's fields."""
    from aiom.portfolio.filters import UseCaseFilter

    source = Path(__file__).resolve().parents[2] / "src" / "aiom"
    pattern = re.compile(r"""GET(?:\.get|\.getlist)?[\(\[]\s*["'](\w+)["']""")
    names = set(UseCaseFilter.model_fields)
    for path in source.rglob("*.py"):
        names.update(pattern.findall(path.read_text(encoding="utf-8")))
    return sorted(names)


def label_of(key: str) -> str | None:
    """The use case a route is requested on: Alice's ordinary one, when it names one."""
    return "alice_uc" if len(labels_of(key)) > 1 else None


@functools.cache
def _api_int_params() -> dict[str, frozenset[str]]:
    schema = api.get_openapi_schema()
    found: dict[str, frozenset[str]] = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            names = {
                p["name"]
                for p in operation.get("parameters", [])
                if p["in"] == "path" and p["schema"].get("type") == "integer"
            }
            found[f"{method.upper()} {path}"] = frozenset(names)
    return found


def int_path_names(key: str) -> frozenset[str]:
    if " " in key:
        return _api_int_params().get(key, frozenset())
    return frozenset(re.findall(r"<int:(\w+)>", key))


def target(key: str, ctx: Ctx, huge: str | None = None) -> str:
    """The URL of `key` on real objects; with `huge`, every integer path parameter is it."""
    route, label, ints = ROUTES[key], label_of(key), int_path_names(key)

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if huge is not None and name in ints:
            return huge
        obj = matrix_object(route, name)
        return str(ctx.per_label[label][obj] if obj in PER_USE_CASE else ctx.shared[obj])

    if " " in key:
        return API_PARAM.sub(value, key.split(" ", 1)[1])
    return "/" + PAGE_PARAM.sub(value, key)


def mutations(body: dict[str, Any], bad: list[Any], numbers: list[int]) -> Iterator[dict[str, Any]]:
    """The body with one field at a time made hostile: text fields get each bad text,
    integer fields each huge number."""
    for field, value in body.items():
        if isinstance(value, bool):
            continue
        if isinstance(value, str):
            for text in bad:
                yield body | {field: text}
        elif isinstance(value, int):
            for number in numbers:
                yield body | {field: number}
        elif isinstance(value, list) and value and isinstance(value[0], str):
            for text in bad:
                yield body | {field: [text]}


def call(
    client: Client,
    method: str,
    where: str,
    body: Any = None,
    bearer: str = "",
    times: int = 1,
) -> list[Any]:
    """Send a request `times` times in one savepoint that is rolled back afterwards.

    With `bearer`, a JSON API call; without, a page: GET, or POST of a form."""
    responses = []
    with transaction.atomic():
        for _ in range(times):
            if method == "GET":
                headers = {"Authorization": bearer} if bearer else {}
                responses.append(client.get(where, headers=headers))
            elif bearer:
                responses.append(
                    client.generic(
                        method,
                        where,
                        data=json.dumps(body if body is not None else {}),
                        content_type="application/json",
                        headers={"Authorization": bearer},
                    )
                )
            else:
                responses.append(client.post(where, body or {}))
        transaction.set_rollback(True)
    return responses
