"""The register shows what was approved; a later change re-opens the publication decision.

The owner renames a published use case: every public surface keeps the approved title
(the new one appears nowhere public), the decision is pending review with why and one
audit event, and a new decision publishes the new title.
"""

import csv
import io
from typing import Any

import pytest

from aiom.core.models import AuditEvent
from aiom.core.registry import registry
from aiom.portfolio import panels
from aiom.portfolio import services as portfolio
from aiom.transparency.approval import changes
from aiom.transparency.models import PublicationDecision
from tests.transparency.conftest import Register, operational, publish

SURFACES = [
    "/transparency/",
    "/transparency/register.json",
    "/transparency/register.csv",
    "/transparency/register-omb-2025.csv",
    "/api/v1/transparency/register",
]
RENAMED = "Letter bot that decides refunds"


@pytest.fixture(autouse=True)
def _only_this_panel(monkeypatch: Any) -> None:
    monkeypatch.setitem(
        registry, panels.STORE, {"transparency": registry[panels.STORE]["transparency"]}
    )


def current(reg: Register) -> PublicationDecision:
    found = PublicationDecision.objects.filter(use_case=reg.published).first()
    assert found is not None
    return found


def test_a_publication_stores_what_it_approved(reg: Register) -> None:
    approved = current(reg).approved
    assert approved == {
        "title": "Customer letter assistant",
        "ai_type": "generative",
        "org_unit": reg.world.retail.pk,
        "org_unit_name": "Retail Banking",
        "automated_decisions": False,
    }


@pytest.mark.parametrize("url", SURFACES)
def test_a_rename_leaves_every_surface_on_the_approved_title(
    reg: Register, client: Any, url: str
) -> None:
    portfolio.update_use_case(actor=reg.world.alice, use_case=reg.published, title=RENAMED)
    body = client.get(url).content.decode("utf-8-sig")
    assert "Customer letter assistant" in body
    assert RENAMED not in body


def test_a_rename_reopens_the_decision_with_why_and_an_event(reg: Register, login: Any) -> None:
    portfolio.update_use_case(actor=reg.world.alice, use_case=reg.published, title=RENAMED)
    d = current(reg)
    assert d.pending_review and d.reopened_at is not None
    assert d.reopened_reason == (
        f"Re-opened for review: its title changed from “Customer letter assistant” to “{RENAMED}”."
    )
    event = AuditEvent.objects.get(action="publication.reopen")
    assert event.object_id == str(d.pk) and event.actor is None
    assert event.before["reopened_at"] is None and event.after["reopened_at"] is not None
    # The panel says so, and the decisions list marks it.
    html = login("bob").get(f"/use-cases/{reg.published.pk}/").content.decode()
    assert 'id="publication-pending"' in html and "its title changed" in html
    listing = login("ada").get("/transparency/decisions/").content.decode()
    assert "pending review" in listing


def test_a_second_change_while_pending_records_no_second_reopen(reg: Register) -> None:
    portfolio.update_use_case(actor=reg.world.alice, use_case=reg.published, title=RENAMED)
    portfolio.update_use_case(actor=reg.world.alice, use_case=reg.published, title="Again")
    assert AuditEvent.objects.filter(action="publication.reopen").count() == 1


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        ("ai_type", "agent", "its kind of AI changed from Generative / LLM to"),
        ("automated_decisions", True, "automated decisions about people changed from no to yes"),
    ],
)
def test_other_published_fields_and_facts_reopen_too(
    reg: Register, field: str, value: Any, said: str
) -> None:
    portfolio.update_use_case(actor=None, use_case=reg.published, **{field: value})
    assert said in current(reg).reopened_reason


def test_a_change_to_an_internal_field_does_not_reopen(reg: Register) -> None:
    portfolio.update_use_case(actor=reg.world.alice, use_case=reg.published, risk_notes="More.")
    assert not current(reg).pending_review
    assert not AuditEvent.objects.filter(action="publication.reopen").exists()


def test_a_new_decision_publishes_the_change(reg: Register, client: Any) -> None:
    portfolio.update_use_case(actor=reg.world.alice, use_case=reg.published, title=RENAMED)
    reg.published.refresh_from_db()
    d = publish(reg.cora, reg.published)
    assert not d.pending_review and d.approved["title"] == RENAMED
    rows = list(csv.DictReader(io.StringIO(client.get("/transparency/register.csv").text)))
    assert [r["name"] for r in rows] == [RENAMED]
    assert client.get("/api/v1/transparency/register").json()["use_cases"][0]["name"] == RENAMED


def test_withdrawn_or_unpublished_use_cases_are_not_reopened(reg: Register) -> None:
    portfolio.update_use_case(actor=None, use_case=reg.withdrawn, title="LEAK renamed")
    portfolio.update_use_case(actor=None, use_case=reg.unpublished, title="LEAK renamed 2")
    assert not AuditEvent.objects.filter(action="publication.reopen").exists()


def test_changes_names_each_difference() -> None:
    approved = {"title": "A", "ai_type": "generative", "org_unit": 1, "org_unit_name": "Retail"}
    live = {"title": "B", "ai_type": "generative", "org_unit": 2, "org_unit_name": "Wealth"}
    assert changes(approved, live) == [
        "its title changed from “A” to “B”",
        "its org unit changed from Retail to Wealth",
    ]
    assert changes(approved, approved) == []
    assert changes({}, live) == []  # nothing approved, nothing to compare


def test_the_decision_api_says_pending(reg: Register, client: Any, bearer: Any) -> None:
    other = operational(reg.world, "Second assistant")
    publish(reg.cora, other)
    portfolio.update_use_case(actor=None, use_case=other, title="Second, renamed")
    body = {"publish": True, "rationale": "Still fine to publish."}
    r = client.post(
        f"/api/v1/use-cases/{other.pk}/publication",
        body,
        content_type="application/json",
        headers=bearer("ada", ("read", "write", "admin")),
    )
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["pending_review"] is False and out["approved"]["title"] == "Second, renamed"
    assert out["oversight_mode"] == "human_decides"  # carried over from the last decision
