"""The policy through its three doors: `aiom policy`, /api/v1/policy and the /policy/ page."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from aiom.governance.models import PolicyVersion
from aiom.governance.policy import versions as policies
from tests.conftest import World
from tests.governance.test_simulate import IMPACT_6, make
from tests.query_counts import Budget

DEFAULT_TEXT = policies.DEFAULT_POLICY_PATH.read_text(encoding="utf-8")
LOWER = DEFAULT_TEXT.replace("medium: 0.25, high: 0.5", "medium: 0.2, high: 0.5")
BROKEN = DEFAULT_TEXT.replace("structure: federated", "structure: anarchic").replace(
    "kpis_with_baseline_and_target,", "kpi_baselne,"
)
STRUCTURE_PROBLEM = "structure: Input should be 'centralized', 'federated' or 'decentralized'"


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("policy", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path: Path, text: str, name: str = "draft.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


# --- the command -----------------------------------------------------------------------


def test_show_prints_the_document_exactly_and_the_header_apart(world: World) -> None:
    active = policies.active_policy()
    out, err = run("show")
    assert out == PolicyVersion.objects.get(version=active.version).content
    assert err.strip() == f"# policy v{active.version} sha256 {active.sha256}"


def test_validate_says_valid_or_lists_every_problem(world: World, tmp_path: Path) -> None:
    out, _ = run("validate", write(tmp_path, DEFAULT_TEXT))
    assert out.startswith("valid: aiom default operating model — federated, 9 stages, 17")
    with pytest.raises(CommandError) as caught:
        run("validate", write(tmp_path, BROKEN))
    message = str(caught.value)
    assert "is not a valid policy (3 problems)" in message
    assert STRUCTURE_PROBLEM in message
    assert "gates.risk_review_to_pilot.requires[3]: unknown check 'kpi_baselne'" in message
    assert "gates.pilot_to_scaling.requires[2]: unknown check 'kpi_baselne'" in message
    with pytest.raises(CommandError, match="cannot be read"):
        run("validate", str(tmp_path / "missing.yaml"))


def test_activate_then_again_is_unchanged(world: World, tmp_path: Path) -> None:
    before = policies.active_policy().version
    file = write(tmp_path, LOWER)
    out, _ = run("activate", file, "--note", "lower medium threshold")
    assert f"activated policy v{before + 1}: aiom default operating model" in out
    row = PolicyVersion.objects.get(version=before + 1)
    assert (row.content, row.note, row.activated_by) == (LOWER, "lower medium threshold", None)
    again, _ = run("activate", file)
    assert again.startswith(f"unchanged: policy v{before + 1} already has this content")
    assert PolicyVersion.objects.count() == before + 1


def test_activate_refuses_an_invalid_file(world: World, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="3 problems"):
        run("activate", write(tmp_path, BROKEN))
    assert PolicyVersion.objects.count() == 1


def test_simulate_reports_counts_then_lists(world: World, tmp_path: Path) -> None:
    drifter = make(world, "Tier drifter", "intake", IMPACT_6)
    file = write(tmp_path, LOWER)
    out, _ = run("simulate", file)
    lines = out.splitlines()
    assert lines[0].startswith("Simulated “aiom default operating model” (federated)")
    assert "      1  change tier" in lines
    assert "Tier changes (1)" in lines
    assert f"  #{drifter.pk} Tier drifter (Cards, intake): low → medium — score 0.2069" in out
    data = json.loads(run("simulate", file, "--json")[0])
    assert data["summary"]["tier_changes"] == 1
    assert data["tier_changes"][0]["use_case"]["id"] == drifter.pk


def test_simulate_without_differences_says_so(world: World, tmp_path: Path) -> None:
    out, _ = run("simulate", write(tmp_path, DEFAULT_TEXT))
    assert out.splitlines()[-1] == "No differences: the draft changes nothing for these use cases."


def test_the_console_script_exits_1_on_an_invalid_file(tmp_path: Path) -> None:
    aiom = Path(sys.executable).with_name("aiom")
    environ = {
        **os.environ,
        "AIOM_VAR_DIR": str(tmp_path),
        "AIOM_DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    }
    environ.pop("DJANGO_SETTINGS_MODULE", None)

    def cli(text: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 - our own console script
            [str(aiom), "policy", "validate", write(tmp_path, text)],
            capture_output=True,
            text=True,
            env=environ,
            timeout=120,
            check=False,
        )

    bad, good = cli(BROKEN), cli(DEFAULT_TEXT)
    assert bad.returncode == 1
    assert STRUCTURE_PROBLEM in bad.stderr
    assert good.returncode == 0
    assert good.stdout.startswith("valid: ")


# --- the API -----------------------------------------------------------------------------


def post(client: Client, url: str, body: dict[str, Any], **kw: Any) -> Any:
    return client.post(url, body, content_type="application/json", **kw)


def test_get_policy_and_versions(login: Any, world: World) -> None:
    policies.activate(actor=world.ada, text=LOWER, note="lower")
    client = login("alice")
    body = client.get("/api/v1/policy").json()
    assert body["version"] == 2
    assert body["sha256"] == policies.content_hash(LOWER)
    assert (body["name"], body["structure"], body["content"]) == (
        "aiom default operating model",
        "federated",
        LOWER,
    )
    assert body["activated_by"]["username"] == "ada"
    assert body["activated_at"]
    listed = client.get("/api/v1/policy/versions", {"limit": 1}).json()
    assert listed["count"] == 2
    assert [v["version"] for v in listed["items"]] == [2]
    assert "content" not in listed["items"][0]
    assert client.get("/api/v1/policy/versions/1").json()["content"] == DEFAULT_TEXT
    assert client.get("/api/v1/policy/versions/9").status_code == 404


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/policy"),
        ("get", "/api/v1/policy/versions"),
        ("post", "/api/v1/policy/validate"),
        ("post", "/api/v1/policy/simulate"),
        ("post", "/api/v1/policy/activate"),
    ],
)
def test_partners_are_refused_and_strangers_unauthenticated(
    login: Any, method: str, url: str
) -> None:
    def call(client: Client) -> Any:
        return post(client, url, {"content": DEFAULT_TEXT}) if method == "post" else client.get(url)

    assert call(login("pat")).status_code == 403
    assert call(login("anonymous")).status_code == 401


def test_validate_answers_200_either_way(login: Any, world: World) -> None:
    client = login("bob")
    ok = post(client, "/api/v1/policy/validate", {"content": DEFAULT_TEXT})
    assert (ok.status_code, ok.json()) == (200, {"valid": True, "problems": []})
    bad = post(client, "/api/v1/policy/validate", {"content": BROKEN})
    assert bad.status_code == 200
    assert bad.json()["valid"] is False
    assert bad.json()["problems"][0] == STRUCTURE_PROBLEM
    assert len(bad.json()["problems"]) == 3


def test_simulate_returns_the_report_or_422(login: Any, world: World) -> None:
    drifter = make(world, "Tier drifter", "intake", IMPACT_6)
    secret = make(world, "Secret drifter", "intake", IMPACT_6, confidential=True)
    bad = post(login("charlie"), "/api/v1/policy/simulate", {"content": BROKEN})
    assert bad.status_code == 422
    assert bad.json()["problems"][0] == STRUCTURE_PROBLEM
    assert bad.json()["detail"][0]["loc"] == ["body", "content"]

    # Charlie may not see Alice's confidential use case: the simulation leaves it out.
    seen = post(login("charlie"), "/api/v1/policy/simulate", {"content": LOWER}).json()
    assert [r["use_case"]["id"] for r in seen["tier_changes"]] == [drifter.pk]
    everything = post(login("ada"), "/api/v1/policy/simulate", {"content": LOWER}).json()
    assert [r["use_case"]["id"] for r in everything["tier_changes"]] == [drifter.pk, secret.pk]
    assert everything["summary"]["tier_changes"] == 2
    assert PolicyVersion.objects.count() == 1


def test_only_admins_with_a_write_token_activate(login: Any, bearer: Any, world: World) -> None:
    url, body = "/api/v1/policy/activate", {"content": LOWER, "note": "lower"}
    assert post(login("alice"), url, body).status_code == 403
    assert post(login("rita"), url, body).status_code == 403
    assert post(Client(), url, body, headers=bearer("ada", scopes=("read",))).status_code == 403
    # Activating is for administrators: a read,write token acts without that role.
    assert post(Client(), url, body, headers=bearer("ada")).status_code == 403
    assert PolicyVersion.objects.count() == 1

    write = bearer("ada", scopes=("read", "write", "admin"))
    invalid = post(Client(), url, {"content": BROKEN}, headers=write)
    assert invalid.status_code == 422
    done = post(Client(), url, body, headers=write)
    assert done.status_code == 200
    assert done.json() == {
        "version": 2,
        "sha256": policies.content_hash(LOWER),
        "name": "aiom default operating model",
        "changed": True,
    }
    assert post(Client(), url, body, headers=write).json()["changed"] is False
    assert PolicyVersion.objects.get(version=2).activated_by == world.ada


# --- the page ----------------------------------------------------------------------------


def test_page_shows_the_active_policy_readably(
    login: Any, world: World, query_budget: Budget
) -> None:
    client = login("ada")
    client.get("/policy/")
    # session, user, roles, home unit, led units, draft content, active version, versions
    with query_budget("policy_page"):
        response = client.get("/policy/")
    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        'Operating structure: <span class="badge">federated</span>',
        "The risk assessment is current: not stale, within cadence",
        "approval of the tier's path",
        "Does the system do any of the following?",
        "prohibited: manipulative or deceptive techniques",
        "Longest pilot</dt><dd>120 days",
        "reviewers of its unit or above",
        "Version history",
        'name="csrfmiddlewaretoken"',
        'hx-post="/policy/simulate/"',
    ):
        assert text in html, text
    assert "style=" not in html
    assert "<script>" not in html


@pytest.mark.parametrize("persona", ["alice", "bob", "charlie", "pat", "rita"])
def test_page_is_for_administrators_only(login: Any, persona: str) -> None:
    client = login(persona)
    assert client.get("/policy/").status_code == 403
    assert client.post("/policy/simulate/", {"content": LOWER}).status_code == 403
    assert client.post("/policy/activate/", {"content": LOWER, "confirm": "yes"}).status_code == 403
    assert PolicyVersion.objects.count() == 1


def test_anonymous_is_sent_to_log_in(login: Any) -> None:
    response = login("anonymous").get("/policy/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_htmx_simulate_returns_the_report_partial(login: Any, world: World) -> None:
    make(world, "Tier drifter", "intake", IMPACT_6)
    client = login("ada")
    response = client.post("/policy/simulate/", {"content": LOWER}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="policy-result"')
    assert "Tier changes (1)" in html
    assert "Tier drifter" in html
    assert "Nothing was written." in html
    invalid = client.post("/policy/simulate/", {"content": BROKEN}, headers={"HX-Request": "true"})
    assert invalid.status_code == 422
    assert "The draft is not a valid policy (3 problems):" in invalid.content.decode()
    valid = client.post("/policy/validate/", {"content": LOWER}, headers={"HX-Request": "true"})
    assert "Valid: aiom default operating model" in valid.content.decode()


def test_without_htmx_simulate_renders_the_whole_page(login: Any, world: World) -> None:
    html = login("ada").post("/policy/simulate/", {"content": LOWER}).content.decode()
    assert "<h1>Governance policy</h1>" in html
    assert "would change" in html
    assert "medium: 0.2, high: 0.5" in html  # the draft stays in the textarea


def test_activate_needs_the_confirmation(login: Any, world: World) -> None:
    client = login("ada")
    refused = client.post("/policy/activate/", {"content": LOWER, "note": "lower"})
    assert refused.status_code == 422
    assert "Tick the confirmation box" in refused.content.decode()
    assert PolicyVersion.objects.count() == 1
    invalid = client.post("/policy/activate/", {"content": BROKEN, "confirm": "yes"})
    assert invalid.status_code == 422
    assert PolicyVersion.objects.count() == 1

    done = client.post("/policy/activate/", {"content": LOWER, "note": "lower", "confirm": "yes"})
    assert done.status_code == 302
    assert done["Location"] == "/policy/"
    page = client.get("/policy/").content.decode()
    assert "Policy v2 “aiom default operating model” is now in force." in page
    assert "Policy <strong>v2</strong>" in page
    assert PolicyVersion.objects.get(version=2).note == "lower"
