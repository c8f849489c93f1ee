"""The page fuzzer: every page route with hostile input answers without a 5xx.

Every page of the authorization matrix, on real objects, as the administrator (who reaches
the most code): integer path parameters past 64 bits; every query parameter any page reads
(found in the source) at once with ids past 64 bits, digits `int` refuses, control
characters and very long text; every form posted with one field at a time made hostile
(control characters, numbers past 64 bits) and each valid form posted twice (duplicates).
A hypothesis test then throws generated filters at the portfolio list.
"""

from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiom.portfolio.filters import UseCaseFilter
from tests.reliability.hostile import (
    BAD_TEXT,
    HUGE_IDS,
    HUGE_NUMBERS,
    NUMBER_TEXT,
    QUERY_TEXT,
    call,
    discovered_query_names,
    int_path_names,
    label_of,
    mutations,
    target,
)
from tests.security.authz.conftest import Setup, setup
from tests.security.authz.matrix import classified_keys, methods_of
from tests.security.authz.routes import ROUTES

__all__ = ["setup"]

KEYS = [k for k in classified_keys() if " " not in k]
QUERY_NAMES = discovered_query_names()
QUERY_VALUES = [*HUGE_IDS, "-1", "x" * 3_000, *QUERY_TEXT]


def test_the_query_names_are_discovered() -> None:
    assert {"q", "owner", "org_unit", "theme", "stage"} <= set(QUERY_NAMES)
    assert len(QUERY_NAMES) > 10


@pytest.mark.parametrize("key", KEYS)
def test_no_page_answers_5xx_to_hostile_input(setup: Setup, db: Any, key: str) -> None:
    client = setup.clients["ada"]
    route = ROUTES[key]
    where = target(key, setup.ctx)
    problems: list[str] = []

    def expect(responses: list[Any], what: str, refused: bool = False) -> None:
        for response in responses:
            status = response.status_code
            if status >= 500 or (refused and not 400 <= status < 500):
                problems.append(f"{what}: {status}")

    for method in methods_of(key):
        body: dict[str, Any] | None = None
        if method == "POST" and route.body is not None:
            body = route.body(setup.ctx, label_of(key))
        if int_path_names(key):
            for huge in HUGE_IDS:
                hostile = target(key, setup.ctx, huge)
                expect(call(client, method, hostile, body), f"{method} {hostile}")
        if method == "GET":
            for value in QUERY_VALUES:
                query = urlencode(dict.fromkeys(QUERY_NAMES, value))
                expect(
                    call(client, "GET", f"{where}?{query}"),
                    f"GET {where} with every parameter {value[:20]!r}",
                    refused=value in QUERY_TEXT,
                )
            continue
        if body is None:
            continue
        for hostile_body in mutations(body, BAD_TEXT[:3] + NUMBER_TEXT, HUGE_NUMBERS):
            expect(call(client, "POST", where, hostile_body), f"POST {where} {hostile_body!r}")
        if not route.multipart:
            expect(call(client, "POST", where, body, times=2), f"POST {where} twice")
    assert not problems, "\n".join(problems)


FILTER_VALUES = st.one_of(
    st.text(max_size=30),
    st.integers().map(str),
    st.sampled_from(["none", "me", "", "²", "٣", str(2**63), "1e3", "\x00", "\ud800"]),
)


@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(st.dictionaries(st.sampled_from(sorted(UseCaseFilter.model_fields)), FILTER_VALUES))
def test_generated_portfolio_filters_never_answer_5xx(
    setup: Setup, db: Any, filters: dict[str, str]
) -> None:
    client: Client = setup.clients["alice"]
    query = urlencode({k: v.encode("utf-8", "surrogatepass") for k, v in filters.items()})
    for where in ("/use-cases/", "/api/v1/use-cases"):
        headers = {"Authorization": setup.ctx.bearer["alice"]} if "api" in where else {}
        response = client.get(f"{where}?{query}", headers=headers)
        assert response.status_code < 500, (where, filters, response.status_code)
