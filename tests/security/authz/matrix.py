"""The cases of the matrix and what each must answer.

A case is (route, method, persona, use case label or None). The expectation comes from the
tables in `rules.py` via `routes.py`, never from the app's permission functions.
"""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.test import Client

from aiom.core.models import AuditEvent
from aiom.portfolio.models import UseCase
from tests.security.authz.discover import api_operations, page_routes
from tests.security.authz.objects import LABELS, SECRETS, TOKEN, Ctx
from tests.security.authz.routes import PARAMS, PER_USE_CASE, ROUTES, Route
from tests.security.authz.rules import PARTNERS, PERSONAS, SEE, Who

PAGE_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")
API_PARAM = re.compile(r"\{(\w+)\}")
WRITE_OK = frozenset({200, 201, 202, 204, 302, 303, 400, 409, 422})


@dataclass(frozen=True)
class Case:
    key: str  # ROUTES key
    method: str
    persona: str
    label: str | None

    @property
    def is_api(self) -> bool:
        return self.key.split(" ", 1)[0] in {"GET", "POST", "PUT", "PATCH", "DELETE"}

    @property
    def route(self) -> Route:
        return ROUTES[self.key]

    @property
    def is_write(self) -> bool:
        return self.method != "GET"


def _params(key: str) -> list[str]:
    return (API_PARAM if " " in key else PAGE_PARAM).findall(key)


def _object(route: Route, name: str) -> str:
    if name in route.params:
        return route.params[name]
    return route.pk if name == "pk" else PARAMS[name]


def labels_of(key: str) -> tuple[str | None, ...]:
    route = ROUTES[key]
    if any(_object(route, n) in PER_USE_CASE for n in _params(key)):
        return LABELS
    return (None,)


def methods_of(key: str) -> list[str]:
    route = ROUTES[key]
    if " " in key:
        return [key.split(" ", 1)[0]]
    return [m for m, who in (("GET", route.get), ("POST", route.write)) if who is not None]


def classified_keys() -> list[str]:
    """Routes and operations that exist now and are in the matrix (not exempt)."""
    existing = set(page_routes()) | set(api_operations())
    return sorted(k for k, r in ROUTES.items() if k in existing and not r.exempt)


def cases_for(key: str, persona: str) -> Iterator[Case]:
    labels = labels_of(key)
    if persona == "anonymous" and not ROUTES[key].public and len(labels) > 1:
        labels = ("alice_secret",)  # the login wall does not depend on the object
    for method in methods_of(key):
        for label in labels:
            yield Case(key, method, persona, label)


def all_cases() -> list[Case]:
    return [c for k in classified_keys() for p in PERSONAS for c in cases_for(k, p)]


def url(case: Case, ctx: Ctx) -> str:
    route = case.route

    def value(name: str) -> str:
        obj = _object(route, name)
        if obj in PER_USE_CASE:
            assert case.label is not None
            return str(ctx.per_label[case.label][obj])
        return str(ctx.shared[obj])

    if case.is_api:
        path = case.key.split(" ", 1)[1]
        return API_PARAM.sub(lambda m: value(m.group(1)), path)
    return "/" + PAGE_PARAM.sub(lambda m: value(m.group(1)), case.key)


def allowed(who: Who, persona: str, label: str | None) -> bool:
    if label is None:
        assert not isinstance(who, dict), "a per-use-case rule on a route without a use case"
        return persona in who
    if isinstance(who, frozenset):
        return persona in who and persona in SEE[label]
    return persona in who[label]


def fingerprint() -> tuple[Any, ...]:
    """What a refused write must leave untouched: the audit trail and every use case."""
    ucs = tuple(UseCase.objects.order_by("pk").values_list("pk", "version", "stage", "tier"))
    return AuditEvent.objects.count(), ucs


def hidden_words(persona: str) -> list[str]:
    """Words of the confidential use cases this persona may not see."""
    words: list[str] = []
    for label in SECRETS:
        if persona not in SEE[label]:
            words.append(TOKEN[label])
    return words


def request(case: Case, ctx: Ctx, clients: dict[str, Client]) -> Any:
    route = case.route
    client = clients["anonymous"] if case.is_api else clients[case.persona]
    headers: dict[str, str] = {}
    if case.is_api and case.persona != "anonymous":
        headers["Authorization"] = ctx.bearer[case.persona]
    target = url(case, ctx)
    if case.method == "GET":
        return client.get(target, headers=headers)
    body = route.body(ctx, case.label) if route.body else {}
    if not case.is_api or route.multipart:
        return client.post(target, body, headers=headers)
    return client.generic(
        case.method, target, data=json.dumps(body), content_type="application/json", headers=headers
    )


def check(case: Case, ctx: Ctx, clients: dict[str, Client], titles: dict[str, str]) -> list[str]:
    """Run one case in a savepoint that is rolled back; the problems found, if any."""
    problems: list[str] = []
    with transaction.atomic():
        before = fingerprint() if case.is_write else None
        response = request(case, ctx, clients)
        after = fingerprint() if case.is_write else None
        transaction.set_rollback(True)
    status = response.status_code
    body = b"" if getattr(response, "streaming", False) else response.content
    text = body.decode("utf-8", "replace").lower()
    where = f"{case.method} {url(case, ctx)} [{case.key}] as {case.persona} on {case.label}"
    who = case.route.write if case.is_write else case.route.get
    assert who is not None
    if case.persona == "anonymous" and not case.route.public:
        if case.is_api:
            ok = status == 401
        else:
            ok = status == 302 and response["Location"].startswith("/login/")
        if not ok:
            problems.append(f"{where}: anonymous got {status}")
    elif allowed(who, case.persona, case.label):
        if case.is_write:
            if status not in WRITE_OK or (
                status == 302 and response["Location"].startswith("/login/")
            ):
                problems.append(f"{where}: allowed write got {status} {text[:200]!r}")
        elif status not in case.route.read_ok:
            problems.append(f"{where}: allowed read got {status} {text[:200]!r}")
    else:
        hidden = case.label is not None and case.persona not in SEE[case.label]
        expected = {404} if hidden else set(case.route.refused)
        if case.is_api and case.is_write and case.persona in PARTNERS:
            # Refused before any object is looked up, the same for every object: no leak.
            expected = {403}
        if status not in expected:
            problems.append(f"{where}: expected {sorted(expected)}, got {status} {text[:200]!r}")
        if before != after:
            problems.append(f"{where}: a refused write changed the database")
    for word in hidden_words(case.persona):
        if word in text:
            problems.append(f"{where}: response contains hidden token {word}")
    for label, title in titles.items():
        if case.persona not in SEE[label] and title.lower() in text:
            problems.append(f"{where}: response contains hidden title {title!r}")
    return problems
