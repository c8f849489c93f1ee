"""Leaks beyond status codes: lists, search, similarity, silos, exports, counts, audit trail, CLI.

For every signed-in persona, the confidential use cases they may not see must not appear in
any listing (by title, by the distinctive token in their description, or by id), and every
count must equal the visible set. Anonymous is covered by the matrix (login / 401).
"""

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from aiom.insights.analytics.tables import TABLES
from aiom.inventory.mapping import preset_names
from tests.security.authz.conftest import Setup
from tests.security.authz.matrix import fingerprint
from tests.security.authz.objects import LABELS, SECRETS, TOKEN
from tests.security.authz.rules import SEE

SIGNED_IN = ["alice", "bob", "charlie", "pat", "ada", "rita"]


def visible_ids(s: Setup, persona: str) -> set[int]:
    ids = {s.ctx.per_label[label]["use_case"] for label in LABELS if persona in SEE[label]}
    return ids | {s.ctx.filler.pk}


def hidden(persona: str) -> list[str]:
    return [label for label in SECRETS if persona not in SEE[label]]


def assert_nothing_hidden(s: Setup, persona: str, text: str, where: str) -> None:
    low = text.lower()
    for label in hidden(persona):
        assert TOKEN[label] not in low, f"{where} shows {label}'s token to {persona}"
        assert s.titles[label].lower() not in low, f"{where} shows {label}'s title to {persona}"


def api(s: Setup, persona: str, method: str, url: str, body: Any = None) -> Any:
    headers = {"Authorization": s.ctx.bearer[persona]}
    client = s.clients["anonymous"]
    if method == "GET":
        response = client.get(url, headers=headers)
    else:
        response = client.post(
            url, json.dumps(body), content_type="application/json", headers=headers
        )
    assert response.status_code == 200, (url, persona, response.status_code)
    return response


def page(s: Setup, persona: str, url: str, data: dict[str, str] | None = None) -> str:
    client: Client = s.clients[persona]
    response = client.post(url, data) if data is not None else client.get(url)
    assert response.status_code in (200, 403), (url, persona, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_use_case_lists_and_counts_are_the_visible_set(setup: Setup, db: Any, persona: str) -> None:
    body = api(setup, persona, "GET", "/api/v1/use-cases?limit=100").json()
    assert {item["id"] for item in body["items"]} == visible_ids(setup, persona)
    assert body["count"] == len(visible_ids(setup, persona))
    html = page(setup, persona, "/use-cases/")
    assert_nothing_hidden(setup, persona, html, "/use-cases/")
    for label in LABELS:
        assert (setup.titles[label] in html) == (persona in SEE[label]), label
    funnel = api(setup, persona, "GET", "/api/v1/analytics/funnel").json()
    assert sum(funnel["per_stage"].values()) == len(visible_ids(setup, persona))


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_search_finds_a_secret_only_for_who_may_see_it(setup: Setup, db: Any, persona: str) -> None:
    for label in SECRETS:
        uc_id = setup.ctx.per_label[label]["use_case"]
        for words in (setup.titles[label], TOKEN[label]):
            found = api(setup, persona, "GET", f"/api/v1/use-cases?q={words}").json()
            ids = {item["id"] for item in found["items"]}
            assert (uc_id in ids) == (persona in SEE[label]), (label, words)
            assert found["count"] == len(ids)
            html = page(setup, persona, f"/use-cases/?q={words}")  # echoes the query
            assert (f'href="/use-cases/{uc_id}/"' in html) == (persona in SEE[label])
            assert TOKEN[label] not in html.replace(f'value="{words}"', "") or (
                persona in SEE[label]
            )


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_similarity_and_silos_suggest_only_visible_use_cases(
    setup: Setup, db: Any, persona: str
) -> None:
    allowed = visible_ids(setup, persona)
    filler = setup.ctx.filler.pk
    for label in SECRETS:
        uc = setup.ctx.uc(label)
        text = f"{uc.title}. {uc.description} {uc.problem} {uc.value_hypothesis}"
        draft = {"title": uc.title, "description": text, "k": 50}
        found = api(setup, persona, "POST", "/api/v1/use-cases/similar", draft)
        assert {s["use_case_id"] for s in found.json()} <= allowed, label
        assert_nothing_hidden(setup, persona, found.content.decode(), "similar")
        panel = page(
            setup, persona, "/use-cases/similar-panel/", {"title": uc.title, "description": text}
        )
        assert_nothing_hidden(setup, persona, panel, "similar-panel")
    similar = api(setup, persona, "GET", f"/api/v1/use-cases/{filler}/similar?k=50")
    assert {s["use_case_id"] for s in similar.json()} <= allowed
    for url in ("/api/v1/silos/clusters?threshold=0.01", "/api/v1/silos/clusters"):
        clusters = api(setup, persona, "GET", url)
        assert_nothing_hidden(setup, persona, clusters.content.decode(), url)
    assert_nothing_hidden(setup, persona, page(setup, persona, "/silos/?threshold=0.01"), "silos")


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_exports_hold_only_visible_use_cases(
    setup: Setup, db: Any, persona: str, tmp_path: Path
) -> None:
    for fmt in ("json", "csv"):
        target = tmp_path / f"export.{fmt}"
        call_command(
            "export", "--format", fmt, "--as", persona, "-o", str(target), stderr=StringIO()
        )
        text = target.read_text(encoding="utf-8")
        assert_nothing_hidden(setup, persona, text, f"aiom export --format {fmt}")
        assert setup.titles["alice_uc"] in text
    for name in TABLES:
        response = setup.clients[persona].get(f"/analytics/{name}.csv")
        assert response.status_code == 200, name
        assert_nothing_hidden(setup, persona, response.content.decode(), f"{name}.csv")


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_audit_listings_hide_invisible_use_cases(setup: Setup, db: Any, persona: str) -> None:
    body = api(setup, persona, "GET", "/api/v1/audit-events?limit=500")
    assert_nothing_hidden(setup, persona, body.content.decode(), "/api/v1/audit-events")
    for label in hidden(persona):
        uc_id = str(setup.ctx.per_label[label]["use_case"])
        shown = api(setup, persona, "GET", f"/api/v1/audit-events?object_id={uc_id}").json()
        assert not [e for e in shown["items"] if e["object_type"] == "portfolio.usecase"]
    assert_nothing_hidden(setup, persona, page(setup, persona, "/audit/"), "/audit/")


RELATED_PAGES = [
    "/backlog/",
    "/reviews/",
    "/decisions/",
    "/diagnostics/",
    "/dashboard/",
    "/reports/board/",
    "/data-products/",
    "/literacy/",
    "/maturity/",
    "/org-units/",
    "/people/",
    "/change/",
    "/incidents/",
    "/obligations/",
    "/registry/",
    "/transparency/",
    "/transparency/decisions/",
]
RELATED_API = [
    "/api/v1/backlog",
    "/api/v1/reviews",
    "/api/v1/decisions",
    "/api/v1/diagnostics",
    "/api/v1/data-products",
    "/api/v1/analytics/coverage",
    "/api/v1/analytics/governance",
    "/api/v1/analytics/pilots",
    "/api/v1/analytics/dwell",
    "/api/v1/training-records",
    "/api/v1/change-plans",
    "/api/v1/incidents",
    "/api/v1/registry/models",
    "/api/v1/transparency/register",
]


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_pages_listing_use_cases_hide_invisible_ones(setup: Setup, db: Any, persona: str) -> None:
    ctx = setup.ctx
    urls = [
        *RELATED_PAGES,
        f"/use-cases/{ctx.filler.pk}/",  # every secret links to the filler
        f"/use-cases/{ctx.per_label['alice_uc']['use_case']}/",
        f"/data-products/{ctx.shared['product']}/",  # linked to every use case
        f"/org-units/{ctx.world.retail.pk}/",
        f"/org-units/{ctx.world.wealth.pk}/",
        f"/people/{ctx.world.alice.pk}/",
        f"/people/{ctx.world.charlie.pk}/",
        f"/registry/models/{ctx.shared['model']}/",  # linked to every use case
        f"/registry/models/{ctx.shared['model']}/card.json",
    ]
    for url in urls:
        response = setup.clients[persona].get(url)
        assert response.status_code in (200, 403, 404), (url, response.status_code)
        assert_nothing_hidden(setup, persona, response.content.decode(), url)
    for url in RELATED_API:
        response = setup.clients["anonymous"].get(
            url, headers={"Authorization": ctx.bearer[persona]}
        )
        assert response.status_code in (200, 403), (url, response.status_code)
        assert_nothing_hidden(setup, persona, response.content.decode(), url)
    reviews = api(setup, persona, "GET", "/api/v1/reviews?limit=100").json()["items"]
    allowed = {ctx.per_label[label]["review"] for label in LABELS if persona in SEE[label]}
    assert {r["id"] for r in reviews} == allowed


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_link_events_on_a_visible_use_case_do_not_name_a_hidden_one(
    setup: Setup, db: Any, persona: str
) -> None:
    """Every use case links to the public filler; its trail must not name hidden ends."""
    filler = setup.ctx.filler.pk
    found = api(setup, persona, "GET", f"/api/v1/audit-events?object_id={filler}&limit=500")
    events = [e for e in found.json()["items"] if e["action"] == "link_use_case"]
    named = {(e["after"] or {}).get("from_use_case") for e in events}
    for label in LABELS:
        uc_id = setup.ctx.per_label[label]["use_case"]
        assert (uc_id in named) == (persona in SEE[label]), label
        if persona not in SEE[label]:
            assert not any(f"#{uc_id} " in e["message"] for e in found.json()["items"])


@pytest.mark.parametrize("persona", ["alice", "bob", "charlie", "pat", "rita"])
def test_cli_import_as_anyone_but_an_administrator_is_refused(
    setup: Setup, db: Any, persona: str, tmp_path: Path
) -> None:
    uc = setup.ctx.uc("alice_secret")
    source = tmp_path / "inventory.csv"
    source.write_text(f"id,title\n{uc.pk},Hijacked\n", encoding="utf-8")
    before = fingerprint()
    with pytest.raises(CommandError, match="not an administrator"):
        call_command("import", str(source), "--preset", preset_names()[0], "--as", persona)
    assert fingerprint() == before
