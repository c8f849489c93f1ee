"""Every edit form, opened on a fully filled object and saved unchanged in Chromium, leaves
the object and the audit trail exactly as they were.

A browser discards what it cannot show (a `01/12/2026` in a date input, a select whose
options lack the stored value, …), so saving an untouched form can destroy data; and a
save that changes nothing must not write history either (no event, and no event with an
empty diff). The edit routes are discovered from the URL configuration (round_trip.py).
"""

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from tests.browser.filled import build
from tests.browser.round_trip import (
    AGAIN,
    EDITS,
    NOT_EDITS,
    Again,
    Edit,
    audit_head,
    differences,
    events_since,
    post_routes,
    state,
)
from tests.browser.test_lifecycle_flow import log_in
from tests.conftest import World
from tests.security.authz.matrix import Case, allowed, classified_keys, labels_of, url
from tests.security.authz.objects import build_ctx
from tests.security.authz.routes import ROUTES

pytestmark = pytest.mark.browser

EDITOR = "ada"  # an administrator may open every edit form


CLASSIFIED = set(EDITS) | set(AGAIN) | set(NOT_EDITS)


def test_every_post_route_is_an_edit_covered_or_listed_with_its_reason() -> None:
    routes = post_routes()
    missing = [r for r in routes if r not in CLASSIFIED]
    where = "add to EDITS, AGAIN or NOT_EDITS in tests/browser/round_trip.py:\n"
    assert not missing, where + "\n".join(missing)
    stale = sorted(CLASSIFIED - set(routes))
    assert not stale, "no longer a POST route, remove:\n" + "\n".join(stale)
    assert len(CLASSIFIED) == len(EDITS) + len(AGAIN) + len(NOT_EDITS)  # no route twice
    assert all(reason.strip() for reason in NOT_EDITS.values())


def _route_of(action: str) -> str:
    try:
        return str(resolve(urlsplit(action).path).route)
    except Resolver404:
        return f"unrouted {action}"


def _unclassified_forms(page: Any) -> list[str]:
    """POST forms on the page whose target route is neither covered nor listed."""
    here = urlsplit(page.url).path
    actions = page.eval_on_selector_all(
        "form", "fs => fs.filter(f => f.method === 'post').map(f => f.getAttribute('action'))"
    )
    routes = {_route_of(a or here) for a in actions}
    return sorted(r for r in routes if r not in CLASSIFIED)


def _submit(page: Any, form: Any, name: str) -> list[str]:
    """Submit `form` as the browser would (its validation included); a refusal, if any."""
    with page.expect_request_finished(lambda r: r.method == "POST", timeout=10_000) as sent:
        form.evaluate("f => f.requestSubmit()")
    response = sent.value.response()
    page.wait_for_load_state("networkidle")
    if response is None or response.status >= 400:
        status = response.status if response else "no answer"
        return [f"{name}: saving it unchanged was refused ({status})"]
    return []


def _again(page: Any, base: str, again: Again, filled: Any) -> list[str]:
    """Open a prefilled record form, submit it untouched: a new record repeating the latest."""
    was, content = again.latest(filled)
    page.goto(base + again.page(filled))
    problems = [
        f"{again.name}: a POST form to {r} is not classified" for r in _unclassified_forms(page)
    ]
    form = page.locator("form[method=post]:not([action])").filter(has=page.locator("[type=submit]"))
    if form.count() != 1:
        return [*problems, f"{again.name}: {form.count()} prefilled forms on {again.page(filled)}"]
    problems += _submit(page, form, again.name)
    now, repeated = again.latest(filled)
    if now == was:
        problems.append(f"{again.name}: no new record")
    elif repeated != content:
        problems.append(
            f"{again.name}: the new record has {repeated!r}, the latest had {content!r}"
        )
    return problems


def _round_trip(page: Any, base: str, edit: Edit, filled: Any) -> list[str]:
    """Open the form, submit it untouched; what changed (nothing, if all is well)."""
    rows = edit.rows(filled)
    if not rows:
        return [f"{edit.name}: the filled object is missing"]
    before, head = state(rows), audit_head()
    page.goto(base + edit.page(filled))
    problems = [
        f"{edit.name}: a POST form to {r} is not classified" for r in _unclassified_forms(page)
    ]
    action = edit.action(filled)
    selector = f'form[action="{action}"]' if action else "form[method=post]:not([action])"
    form = page.locator(selector).filter(has=page.locator("[type=submit]"))
    if form.count() != 1:
        return [
            *problems,
            f"{edit.name}: {form.count()} forms match {selector} on {edit.page(filled)}",
        ]
    problems += _submit(page, form, edit.name)
    problems += [f"{edit.name}: {d}" for d in differences(before, state(rows))]
    problems += [f"{edit.name}: {e}" for e in events_since(head)]
    return problems


def test_every_edit_form_saved_unchanged_changes_nothing(
    transactional_db: Any, live_server: Any, world: World, page: Any
) -> None:
    filled = build(world)
    log_in(page, live_server.url, EDITOR)
    edits = [edit for group in EDITS.values() for edit in group]
    problems: list[str] = []
    for edit in edits:
        problems += _round_trip(page, live_server.url, edit, filled)
    agains = [again for group in AGAIN.values() for again in group]
    for again in agains:
        problems += _again(page, live_server.url, again, filled)
    print(
        f"edit round trip: {len(edits)} edit forms on {len(EDITS)} routes, "
        f"{len(agains)} prefilled record forms; {len(NOT_EDITS)} POST routes listed as no edit"
    )
    assert not problems, "\n".join(problems)


FORM_TAG = re.compile(r"<form\b([^>]*)>", re.IGNORECASE)
ATTR = re.compile(r'\b(method|action)="([^"]*)"', re.IGNORECASE)


def _post_targets(html: str, here: str) -> set[str]:
    """The routes the page's POST forms submit to."""
    out = set()
    for tag in FORM_TAG.finditer(html):
        attrs = {k.lower(): v for k, v in ATTR.findall(tag.group(1))}
        if attrs.get("method", "get").lower() == "post":
            out.add(_route_of(attrs.get("action") or here))
    return out


def test_every_page_posts_only_to_classified_routes(db: Any) -> None:
    """Every GET page of the URL configuration (the authorization matrix's objects fill its
    parameters), rendered for each internal persona allowed to read it: each POST form on it
    targets a route that is covered by the round trip or listed with its reason."""
    ctx = build_ctx()
    found: dict[str, set[str]] = {}
    pages = 0
    for persona in ("ada", "alice", "rita"):
        client = Client(raise_request_exception=False)
        user = ctx.world.persona(persona)
        assert user is not None
        client.force_login(user)
        for key in classified_keys():
            route = ROUTES[key]
            if " " in key or route.get is None:
                continue
            for label in labels_of(key):
                if not allowed(route.get, persona, label):
                    continue
                case = Case(key, "GET", persona, label)
                response = client.get(url(case, ctx))
                if response.status_code != 200 or getattr(response, "streaming", False):
                    continue
                if "text/html" not in response.get("Content-Type", ""):
                    continue
                pages += 1
                for target in _post_targets(response.content.decode(), url(case, ctx)):
                    found.setdefault(target, set()).add(key)
    unclassified = {t: sorted(keys) for t, keys in found.items() if t not in CLASSIFIED}
    assert not unclassified, f"POST forms to unclassified routes (on which pages): {unclassified}"
    assert pages >= 50 and len(found) >= 30, (pages, sorted(found))
    print(f"rendered-forms discovery: {pages} pages, {len(found)} POST targets")
