"""Every edit form, opened on a fully filled object and saved unchanged in Chromium, leaves
the object and the audit trail exactly as they were.

A browser discards what it cannot show (a `01/12/2026` in a date input, a select whose
options lack the stored value, …), so saving an untouched form can destroy data; and a
save that changes nothing must not write history either (no event, and no event with an
empty diff). The edit routes are discovered from the URL configuration (round_trip.py).
"""

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve

from tests.browser.filled import build
from tests.browser.round_trip import (
    EDITS,
    NOT_EDITS,
    Edit,
    audit_head,
    differences,
    events_since,
    post_routes,
    state,
)
from tests.browser.test_lifecycle_flow import log_in
from tests.conftest import World

pytestmark = pytest.mark.browser

EDITOR = "ada"  # an administrator may open every edit form


def test_every_post_route_is_an_edit_covered_or_listed_with_its_reason() -> None:
    routes = post_routes()
    missing = [r for r in routes if r not in EDITS and r not in NOT_EDITS]
    assert not missing, "add to EDITS or NOT_EDITS in tests/browser/round_trip.py:\n" + "\n".join(
        missing
    )
    stale = sorted((set(EDITS) | set(NOT_EDITS)) - set(routes))
    assert not stale, "no longer a POST route, remove:\n" + "\n".join(stale)
    assert not set(EDITS) & set(NOT_EDITS)
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
    return sorted(r for r in routes if r not in EDITS and r not in NOT_EDITS)


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
    selector = f'form[action="{action}"]' if action else "form:not([action])"
    form = page.locator(selector).filter(has=page.locator("[type=submit]"))
    if form.count() != 1:
        return [
            *problems,
            f"{edit.name}: {form.count()} forms match {selector} on {edit.page(filled)}",
        ]
    with page.expect_request_finished(lambda r: r.method == "POST", timeout=10_000) as sent:
        form.evaluate("f => f.requestSubmit()")
    response = sent.value.response()
    page.wait_for_load_state("networkidle")
    if response is None or response.status >= 400:
        status = response.status if response else "no answer"
        problems.append(f"{edit.name}: saving it unchanged was refused ({status})")
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
    print(f"edit round trip: {len(edits)} edit forms on {len(EDITS)} routes")
    assert not problems, "\n".join(problems)
