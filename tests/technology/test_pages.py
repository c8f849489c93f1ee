"""Registry pages: counts of visible use cases only, reuse and silos, the use-case panel."""

from typing import Any

import pytest

from aiom.core.models import AuditEvent
from aiom.technology import services
from aiom.technology.models import UseCaseModel
from tests.conftest import World
from tests.query_counts import Budget
from tests.technology.conftest import Registry, bought


def row(body: str, name: str, table: str = "") -> str:
    """The table row that links `name` (in the table of that id, if given)."""
    offset = body.index(f'id="{table}"') if table else 0
    start = body.index(f">{name}</a>", offset)
    return body[body.rindex("<tr", 0, start) : body.index("</tr>", start)]


@pytest.mark.parametrize(
    ("who", "gpt_uses", "gateway_uses"),
    [("alice", 2, 1), ("charlie", 1, 2), ("bob", 2, 1), ("ada", 2, 2)],
)
def test_registry_counts_only_visible_use_cases(
    login: Any, reg: Registry, who: str, gpt_uses: int, gateway_uses: int
) -> None:
    body = login(who).get("/registry/").content.decode()
    assert f"{gpt_uses} use case" in row(body, "GPT-4o")
    assert f"{gateway_uses} use case" in row(body, "LLM gateway")


def test_shared_platform_and_vendor_silo_are_flagged(
    login: Any, world: World, reg: Registry
) -> None:
    for title, unit in [("Retail bot", world.retail), ("Wealth bot", world.wealth)]:
        uc = bought(world, title, unit, confidential=unit == world.retail)
        services.link(actor=None, use_case=uc, record=reg.openai)
    body = login("ada").get("/registry/").content.decode()
    assert "tech-reuse-shared" in row(body, "LLM gateway")  # Retail + Wealth
    assert "tech-reuse-silo" in row(body, "OpenAI", "vendors-table")
    assert "bought separately by 2 org units" in row(body, "OpenAI", "vendors-table")
    assert "tech-reuse-unused" in row(body, "Acme AI", "vendors-table")
    # Charlie cannot see the confidential retail purchase: for him it is no silo.
    body = login("charlie").get("/registry/").content.decode()
    assert "tech-reuse-silo" not in row(body, "OpenAI", "vendors-table")


def test_search_answers_the_partial_to_htmx(login: Any, reg: Registry) -> None:
    response = login("alice").get("/registry/?q=gate", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body and 'id="registry-results"' in body
    assert "LLM gateway" in body and "GPT-4o" not in body and "OpenAI" not in body


def test_registry_query_count_is_pinned(login: Any, reg: Registry, query_budget: Budget) -> None:
    client = login("alice")
    client.get("/registry/")
    # session, user, access (3), one per list, none per row; the vendors' use cases by
    # every route (vendor_reach: the links of three kinds, free text, the registry's names;
    # then their units)
    with query_budget("registry_page"):
        client.get("/registry/")


@pytest.mark.parametrize(
    ("who", "listed"),
    [
        ("alice", {"Mortgage document summariser", "Branch closure predictor"}),
        ("charlie", {"Mortgage document summariser"}),
        ("rita", {"Mortgage document summariser", "Branch closure predictor"}),
    ],
)
def test_model_page_lists_visible_dependents(
    login: Any, reg: Registry, who: str, listed: set[str]
) -> None:
    body = login(who).get(f"/registry/models/{reg.gpt.pk}/").content.decode()
    for title in ("Mortgage document summariser", "Branch closure predictor"):
        assert (title in body) is (title in listed)
    assert f"{len(listed)} use case" in body


def test_vendor_and_platform_pages(login: Any, reg: Registry) -> None:
    client = login("charlie")
    vendor = client.get(f"/registry/vendors/{reg.openai.pk}/").content.decode()
    assert (
        "GPT-4o" in vendor and "DPA signed" in vendor and "Mortgage document summariser" in vendor
    )
    platform = client.get(f"/registry/platforms/{reg.gateway.pk}/").content.decode()
    assert "Client churn early warning" in platform and "production" in platform


@pytest.mark.parametrize(
    "path", ["/registry/models/{m}/", "/registry/vendors/{v}/", "/registry/platforms/{p}/"]
)
def test_partners_see_no_registry(login: Any, reg: Registry, path: str) -> None:
    client = login("pat")
    url = path.format(m=reg.gpt.pk, v=reg.openai.pk, p=reg.gateway.pk)
    assert client.get(url).status_code == 404
    body = client.get("/registry/").content.decode()
    assert "GPT-4o" not in body and "No model matches." in body


def test_use_case_page_shows_the_panel(login: Any, world: World, reg: Registry) -> None:
    body = login("alice").get(f"/use-cases/{world.alice_uc.pk}/").content.decode()
    assert 'id="use-case-technology"' in body
    assert "Unlink" in row(body, "GPT-4o 2024-08", "technology-links")
    assert 'value="model:' in body  # the link form, for an editor
    bob = login("bob").get(f"/use-cases/{world.alice_uc.pk}/").content.decode()
    assert (
        "GPT-4o" in bob
        and "Unlink" not in bob.split('id="use-case-technology"')[1].split("</section>")[0]
    )
    pat = login("pat").get(f"/use-cases/{world.alice_uc.pk}/").content.decode()
    assert 'id="use-case-technology"' not in pat


def test_link_and_unlink_through_htmx(login: Any, world: World, reg: Registry) -> None:
    client = login("alice")
    url = f"/use-cases/{world.alice_uc.pk}/technology/"
    response = client.post(
        url,
        {"record": f"model:{reg.fraud.pk}", "purpose": "scores"},
        headers={"HX-Request": "true"},
    )
    assert (
        response.status_code == 200 and "Linked “Fraud scorer 1”" not in response.content.decode()
    )
    assert UseCaseModel.objects.filter(
        use_case=world.alice_uc, target=reg.fraud, purpose="scores"
    ).exists()
    refused = client.post(url, {"record": f"model:{reg.fraud.pk}"}, headers={"HX-Request": "true"})
    assert refused.status_code == 422 and "already linked" in refused.content.decode()
    unlink = f"/use-cases/{world.alice_uc.pk}/technology/model/{reg.fraud.pk}/unlink/"
    done = client.post(unlink, headers={"HX-Request": "true"})
    assert done.status_code == 200 and "Unlinked" in done.content.decode()
    assert AuditEvent.objects.filter(action="unlink_model", actor=world.alice).count() == 1


def test_link_refused_to_non_editors(login: Any, world: World, reg: Registry) -> None:
    response = login("bob").post(
        f"/use-cases/{world.alice_uc.pk}/technology/", {"record": f"model:{reg.fraud.pk}"}
    )
    assert response.status_code == 403
    assert (
        login("charlie")
        .post(
            f"/use-cases/{world.alice_secret.pk}/technology/", {"record": f"model:{reg.fraud.pk}"}
        )
        .status_code
        == 404
    )
