"""The publication panel on the use-case page, its form, and the decisions list."""

import re
from typing import Any

import pytest

from aiom.core.registry import registry
from aiom.portfolio import panels
from aiom.transparency.models import PublicationDecision
from aiom.transparency.services import decide_publication
from tests.query_counts import Budget
from tests.transparency.conftest import PUBLIC, operational, publish


@pytest.fixture(autouse=True)
def _only_this_panel(monkeypatch):
    """Other apps' panels are theirs to test; keep the use-case page to ours."""
    monkeypatch.setitem(
        registry, panels.STORE, {"transparency": registry[panels.STORE]["transparency"]}
    )


@pytest.mark.parametrize(
    ("name", "panel", "form"),
    [
        ("alice", True, False),
        ("bob", True, False),
        ("ada", True, True),
        ("rita", True, False),
        ("pat", False, False),  # partners: no panel
    ],
)
def test_panel_shows_status_and_form_by_role(world, login, name, panel, form):
    uc = operational(world, "Letter assistant")
    html = login(name).get(f"/use-cases/{uc.pk}/").content.decode()
    assert ('id="use-case-publication"' in html) is panel
    assert ("Record decision" in html) is form
    if panel:
        assert "not published" in html and "no one has decided to publish it" in html


def test_panel_says_published_with_reference(reg, login):
    html = login("bob").get(f"/use-cases/{reg.published.pk}/").content.decode()
    ref = reg.published.publication_decisions.get().reference
    assert f"<code>{ref}</code>" in html and "INTERNAL-RATIONALE" in html


def test_panel_explains_why_a_confidential_one_is_not_published(reg, login):
    html = login("ada").get(f"/use-cases/{reg.turned_confidential.pk}/").content.decode()
    assert "confidential use cases are never published" in html


def _form(**over: str) -> dict[str, str]:
    data = {
        "publish": "yes",
        "rationale": "Approved by the AI board.",
        "public_summary": "Drafts replies to letters.",
        "human_oversight": "Staff approve every reply.",
        "oversight_mode": "human_decides",
        "contact": "ai@example.org",
    }
    return data | over


def test_htmx_decision_re_renders_the_panel(world, login):
    uc = operational(world, "Letter assistant")
    r = login("ada").post(
        f"/use-cases/{uc.pk}/publication/", _form(), headers={"HX-Request": "true"}
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert "Decision recorded." in html and "published</span>" in html
    assert PublicationDecision.objects.get().decided_by == world.ada


def test_a_refusal_answers_422_with_the_reason(world, login):
    uc = operational(world, "Letter assistant", stage="pilot")
    r = login("ada").post(
        f"/use-cases/{uc.pk}/publication/", _form(), headers={"HX-Request": "true"}
    )
    assert r.status_code == 422
    assert "its stage (pilot) is not publishable" in r.content.decode()
    assert not PublicationDecision.objects.exists()


def test_plain_post_redirects_back(world, login):
    uc = operational(world, "Letter assistant")
    r = login("ada").post(f"/use-cases/{uc.pk}/publication/", _form(publish="no"))
    assert r.status_code == 302 and r["Location"] == f"/use-cases/{uc.pk}/"
    assert PublicationDecision.objects.get().publish is False


@pytest.mark.parametrize(("name", "status"), [("alice", 403), ("charlie", 403), ("pat", 403)])
def test_others_may_not_decide(world, login, name, status):
    uc = operational(world, "Letter assistant")
    r = login(name).post(f"/use-cases/{uc.pk}/publication/", _form())
    assert r.status_code == status
    assert not PublicationDecision.objects.exists()


def test_invisible_use_case_answers_404(world, login):
    r = login("bob").post(f"/use-cases/{world.wealth_secret.pk}/publication/", _form())
    assert r.status_code == 404


@pytest.mark.parametrize(
    ("name", "status", "seen"),
    [("ada", 200, 5), ("bob", 200, 5), ("charlie", 200, 4), ("pat", 403, 0)],
)
def test_decisions_page(reg, login, name, status, seen):
    r = login(name).get("/transparency/decisions/")
    assert r.status_code == status
    if status == 200:
        html = r.content.decode()
        assert html.count("<code>AI-") == seen
        # Charlie (another unit) cannot see the one that turned confidential, nor its decision.
        assert ("LEAK turned confidential" in html) is (name != "charlie")


def test_decisions_page_needs_login(world, client):
    assert client.get("/transparency/decisions/").status_code == 302


def test_decisions_page_query_count(reg, login, query_budget: Budget):
    c = login("ada")
    with query_budget("decisions_page"):
        c.get("/transparency/decisions/")
    publish(reg.cora, operational(reg.world, "Another"))
    with query_budget("decisions_page"):
        c.get("/transparency/decisions/")


def test_plain_post_refusal_shows_the_page_with_the_reasons(world, login):
    uc = operational(world, "Letter assistant", stage="pilot")
    r = login("ada").post(f"/use-cases/{uc.pk}/publication/", _form())
    assert r.status_code == 422
    html = r.content.decode()
    assert "<h1>Letter assistant</h1>" in html and "its stage (pilot) is not publishable" in html
    assert '<details class="pub-decide" open>' in html


def test_refused_before_the_form_is_even_read(world, login):
    uc = operational(world, "Letter assistant")
    assert login("alice").post(f"/use-cases/{uc.pk}/publication/", {}).status_code == 403


@pytest.mark.parametrize(("decided", "checked"), [(None, "yes"), (True, "yes"), (False, "no")])
def test_the_form_starts_from_the_decision_in_force(world, login, decided, checked):
    """Re-approving after a re-opening, or amending the summary, keeps what is decided:
    saving the form as it opens must not flip a published use case to unpublished."""
    uc = operational(world, "Letter assistant")
    if decided is not None:
        values: dict[str, Any] = {"rationale": "Decided by the AI board.", **PUBLIC}
        decide_publication(actor=None, use_case=uc, publish=decided, **values)
    html = login("ada").get(f"/use-cases/{uc.pk}/").content.decode()
    radios = dict(re.findall(r'<input type="radio" name="publish" value="(\w+)"([^>]*)>', html))
    assert set(radios) == {"yes", "no"}
    assert [v for v, rest in radios.items() if "checked" in rest] == [checked]
