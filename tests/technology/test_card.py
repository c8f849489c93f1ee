"""The model card: the page, the Markdown and JSON exports, and what they may reveal."""

import datetime as dt
import json
from typing import Any

import pytest

from aiom.technology.card import card_data, to_markdown
from aiom.technology.models import AIModel
from tests.conftest import World
from tests.technology.conftest import Registry

CARD: dict[str, Any] = {
    "id": 1,
    "name": "GPT-4o",
    "version": "2024-08",
    "type": "Generative / LLM",
    "provider": "OpenAI",
    "licence": "Commercial | API",
    "status": "active",
    "runs_where": "",
    "intended_use": "Summarising.",
    "known_limitations": "",
    "evaluation": {"summary": "ROUGE-L 0.41", "evaluated_on": "2026-01-15"},
    "owners": [{"username": "bob", "name": "Bob Example"}],
    "used_by": [],
    "generated_on": "2026-02-01",
}


def test_markdown_has_every_section_in_order() -> None:
    md = to_markdown(CARD)
    assert md.startswith("# Model card: GPT-4o 2024-08\n")
    order = [
        "| Type |",
        "## Intended use",
        "## Known limitations",
        "## Evaluation",
        "## Owners",
        "## Used by",
    ]
    positions = [md.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert "| Licence | Commercial / API |" in md  # a pipe would break the table
    assert "| Runs | — |" in md
    assert "## Evaluation (evaluated 2026-01-15)\n\nROUGE-L 0.41" in md
    assert "_none recorded_" in md and "- Bob Example (bob)" in md
    assert "_no use case you can see_" in md


def test_card_data_from_a_model(world: World, reg: Registry) -> None:
    model = AIModel.objects.select_related("vendor").get(pk=reg.gpt.pk)
    card = card_data(model, [], today=dt.date(2026, 2, 1))
    assert card["provider"] == "OpenAI" and card["type"] == "Generative / LLM"
    assert card["runs_where"] == "Vendor SaaS"
    assert card["evaluation"] == {
        "summary": "ROUGE-L 0.41 on 500 applications.",
        "evaluated_on": "2026-01-15",
    }
    assert card["owners"] == [{"username": "bob", "name": "Bob Example"}]
    in_house = card_data(AIModel.objects.get(pk=reg.fraud.pk), [], today=dt.date(2026, 2, 1))
    assert in_house["provider"] == "in-house"


@pytest.mark.parametrize(
    ("who", "secret_listed"), [("alice", True), ("charlie", False), ("ada", True)]
)
def test_markdown_export(
    login: Any, world: World, reg: Registry, who: str, secret_listed: bool
) -> None:
    response = login(who).get(f"/registry/models/{reg.gpt.pk}/card.md")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/markdown")
    assert 'filename="model-card-gpt-4o-2024-08.md"' in response["Content-Disposition"]
    text = response.content.decode()
    assert "# Model card: GPT-4o 2024-08" in text
    assert "## Known limitations\n\nHallucinates | sometimes." in text
    assert "- Mortgage document summariser (Retail Banking)" in text
    assert ("Branch closure predictor" in text) is secret_listed


def test_json_export(login: Any, world: World, reg: Registry) -> None:
    response = login("charlie").get(f"/registry/models/{reg.gpt.pk}/card.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    card = json.loads(response.content)
    assert card["name"] == "GPT-4o" and card["provider"] == "OpenAI"
    assert card["intended_use"] == "Summarising documents."
    assert card["known_limitations"] == "Hallucinates | sometimes."
    assert card["evaluation"]["evaluated_on"] == "2026-01-15"
    assert [u["title"] for u in card["used_by"]] == ["Mortgage document summariser"]


def test_card_page(login: Any, reg: Registry) -> None:
    response = login("bob").get(f"/registry/models/{reg.gpt.pk}/card/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Model card: GPT-4o" in body and "ROUGE-L 0.41" in body
    assert f"/registry/models/{reg.gpt.pk}/card.md" in body


@pytest.mark.parametrize("who", ["pat", "anonymous"])
def test_outsiders_get_no_card(login: Any, reg: Registry, who: str) -> None:
    for suffix in ("card/", "card.md", "card.json"):
        response = login(who).get(f"/registry/models/{reg.gpt.pk}/{suffix}")
        assert response.status_code == (404 if who == "pat" else 302)
