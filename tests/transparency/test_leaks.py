"""Nothing confidential, unpublished, withdrawn, retired or off-stage appears in public.

Every public surface (page, JSON, CSV, OMB CSV, API) must show exactly the one published
use case, count one, and carry none of the internal texts.
"""

import csv
import io
import json

import pytest

from aiom.governance.policy.versions import DEFAULT_POLICY_PATH, activate
from tests.transparency.conftest import INTERNAL, PUBLIC

SURFACES = [
    "/transparency/",
    "/transparency/register.json",
    "/transparency/register.csv",
    "/transparency/register-omb-2025.csv",
    "/api/v1/transparency/register",
]
FORBIDDEN = [
    "LEAK",
    "INTERNAL",
    "alice",  # owner name and email
    "Alice",
    "Branch closure predictor",  # world.alice_secret
    "Client churn early warning",  # world.wealth_secret
    "Mortgage document summariser",  # world.alice_uc, never decided
    "aiom:",  # internal ids
]


def rows(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.mark.parametrize("url", SURFACES)
def test_only_the_published_use_case_and_no_internal_text(reg, client, url):
    r = client.get(url)
    assert r.status_code == 200
    body = r.content.decode("utf-8-sig")
    assert "Customer letter assistant" in body
    assert PUBLIC["public_summary"] in body
    for word in FORBIDDEN:
        assert word not in body, f"{word!r} leaked into {url}"
    for value in INTERNAL.values():
        assert value not in body
    # no database ids of the use case or of internal people
    assert f"/use-cases/{reg.published.pk}/" not in body
    assert str(reg.world.alice.email) not in body


def test_counts_are_of_the_published_set(reg, client):
    assert json.loads(client.get("/transparency/register.json").content)["count"] == 1
    assert client.get("/api/v1/transparency/register").json()["count"] == 1
    assert len(rows(client.get("/transparency/register.csv").content)) == 1
    assert len(rows(client.get("/transparency/register-omb-2025.csv").content)) == 1
    html = client.get("/transparency/").content.decode()
    assert '<strong id="register-count">1</strong> AI system in use' in html
    assert "Generative / LLM · 1" in html


def test_public_columns(reg, client):
    [row] = rows(client.get("/transparency/register.csv").content)
    assert row == {
        "reference": reg.published.publication_decisions.get().reference,
        "name": "Customer letter assistant",
        "summary": PUBLIC["public_summary"],
        "org_unit": "Retail Banking",
        "ai_type": "Generative / LLM",
        "tier": "Medium",
        "human_oversight": PUBLIC["human_oversight"],
        "status": "Operational",
        "contact": "ai-register@example.org",
        "published_on": row["published_on"],
    }


def test_omb_layout_has_the_public_fields_and_blanks_the_rest(reg, client):
    [row] = rows(client.get("/transparency/register-omb-2025.csv").content)
    filled = {k: v for k, v in row.items() if v}
    assert filled == {
        "agency": "G",
        "agency_name": "Group",
        "id": reg.published.publication_decisions.get().reference,
        "use_case_name": "Customer letter assistant",
        "agency_bureau": "Retail Banking",
        "contact_email": "ai-register@example.org",
        "is_withheld": "No",
        "development_stage": "Deployed",
        "classification": "Generative AI",
        "problem_solved": PUBLIC["public_summary"],
    }
    assert len(row) == 36


def test_a_policy_that_stops_publishing_a_stage_empties_the_register(reg, client, world):
    text = DEFAULT_POLICY_PATH.read_text(encoding="utf-8")
    activate(actor=None, text=text + "\ntransparency:\n  publishable_stages: [scaling]\n")
    assert client.get("/api/v1/transparency/register").json()["count"] == 0
    body = client.get("/transparency/").content.decode()
    assert "Customer letter assistant" not in body and "Nothing is published yet." in body
    assert rows(client.get("/transparency/register.csv").content) == []


def test_becoming_confidential_drops_out_at_once(reg, client):
    from aiom.portfolio import services as portfolio

    portfolio.update_use_case(actor=None, use_case=reg.published, confidential=True)
    assert client.get("/transparency/register.json").json()["count"] == 0
