"""API contract (201/422/404/403) and pages: the value panel, backlog matrix, themes."""

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from aiom.core.models import AuditEvent
from aiom.portfolio import services as portfolio
from aiom.value import services
from aiom.value.models import KPI, Feedback, Measurement
from aiom.value.views import value_context
from tests.conftest import World
from tests.query_counts import Budget
from tests.value.test_services import RATIONALE, SCORES

TODAY = dt.date.today().isoformat()
ADMIN = ("read", "write", "admin")  # an administrator's token that acts as one


@pytest.fixture
def kpi(world: World) -> KPI:
    return services.define_kpi(
        actor=world.alice, use_case=world.alice_uc, name="Precision", baseline=55, target=75
    )


def test_kpi_api_contract(client: Client, world: World, bearer: Any) -> None:
    url = f"/api/v1/use-cases/{world.alice_uc.pk}/kpis"
    body = {"name": "Precision", "unit": "%", "baseline": "55", "target": "75"}
    created = client.post(url, body, content_type="application/json", headers=bearer("alice"))
    assert created.status_code == 201 and created.json()["target"] == "75.0000"
    bad = client.post(
        url,
        {"name": "", "direction": "up"},
        content_type="application/json",
        headers=bearer("alice"),
    )
    assert bad.status_code == 422
    assert {d["loc"][-1] for d in bad.json()["detail"]} == {"name", "direction"}
    assert (
        client.post(url, body, content_type="application/json", headers=bearer("bob")).status_code
        == 403
    )
    listed = client.get(url, headers=bearer("pat", ("read",)))
    assert [k["name"] for k in listed.json()] == ["Precision"]
    secret = f"/api/v1/use-cases/{world.wealth_secret.pk}/kpis"
    assert client.get(secret, headers=bearer("alice")).status_code == 404
    assert (
        client.post(
            secret, body, content_type="application/json", headers=bearer("alice")
        ).status_code
        == 404
    )
    read_only = client.post(
        url, body, content_type="application/json", headers=bearer("ada", ("read",))
    )
    assert read_only.status_code == 403


def test_patch_and_measurements_api(client: Client, world: World, bearer: Any, kpi: KPI) -> None:
    patched = client.patch(
        f"/api/v1/kpis/{kpi.pk}",
        {"target": "70"},
        content_type="application/json",
        headers=bearer("alice"),
    )
    assert patched.status_code == 200 and patched.json()["target"] == "70.0000"
    url = f"/api/v1/kpis/{kpi.pk}/measurements"
    made = client.post(
        url,
        {"value": "72", "measured_on": TODAY},
        content_type="application/json",
        headers=bearer("alice"),
    )
    assert made.status_code == 201
    future = client.post(
        url,
        {"value": "72", "measured_on": "2999-01-01"},
        content_type="application/json",
        headers=bearer("alice"),
    )
    assert future.status_code == 422
    page = client.get(url, headers=bearer("bob")).json()
    assert page["count"] == 1 and page["items"][0]["value"] == "72.0000"
    assert client.get(url, headers=bearer("charlie")).status_code == 200
    assert (
        client.post(
            url,
            {"value": "1", "measured_on": TODAY},
            content_type="application/json",
            headers=bearer("charlie"),
        ).status_code
        == 403
    )
    uc = client.get(f"/api/v1/use-cases/{world.alice_uc.pk}", headers=bearer("alice")).json()
    assert uc["version"] == 1
    retired = client.patch(
        f"/api/v1/kpis/{kpi.pk}",
        {"is_active": False},
        content_type="application/json",
        headers=bearer("alice"),
    )
    assert retired.json()["is_active"] is False


def test_secret_kpi_is_404(client: Client, world: World, bearer: Any) -> None:
    hidden = services.define_kpi(actor=None, use_case=world.wealth_secret, name="Churn caught")
    assert (
        client.get(f"/api/v1/kpis/{hidden.pk}/measurements", headers=bearer("alice")).status_code
        == 404
    )
    assert (
        client.patch(
            f"/api/v1/kpis/{hidden.pk}",
            {"unit": "%"},
            content_type="application/json",
            headers=bearer("bob"),
        ).status_code
        == 404
    )


def test_import_api(client: Client, world: World, bearer: Any, kpi: KPI) -> None:
    url = f"/api/v1/use-cases/{world.alice_uc.pk}/measurements/import"
    good = SimpleUploadedFile("m.csv", f"kpi,value,measured_on\nPrecision,80,{TODAY}\n".encode())
    answer = client.post(url, {"file": good}, headers=bearer("alice"))
    assert answer.status_code == 201 and answer.json()["created"] == 1
    bad = SimpleUploadedFile("m.csv", b"kpi,value,measured_on\nPrecision,=1,2024-01-01\n")
    refused = client.post(url, {"file": bad}, headers=bearer("alice"))
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "line 2"]


def test_adoption_feedback_priority_api(client: Client, world: World, bearer: Any) -> None:
    base = f"/api/v1/use-cases/{world.alice_uc.pk}"
    start = dt.date.today().replace(day=1)
    adoption = {
        "period_start": start.isoformat(),
        "period_end": (start + dt.timedelta(days=27)).isoformat(),
        "active_users": 5,
        "usage": 50,
    }
    assert (
        client.post(
            f"{base}/adoption", adoption, content_type="application/json", headers=bearer("alice")
        ).status_code
        == 201
    )
    assert client.get(f"{base}/adoption", headers=bearer("bob")).json()[0]["usage"] == 50
    great = {"rating": 5, "comment": "Great"}
    partner = client.post(
        f"{base}/feedback", great, content_type="application/json", headers=bearer("pat")
    )
    assert partner.status_code == 403  # partners read, never write
    fb = client.post(
        f"{base}/feedback", great, content_type="application/json", headers=bearer("charlie")
    )
    assert fb.status_code == 201
    assert (
        client.post(
            f"{base}/feedback",
            {"rating": 9},
            content_type="application/json",
            headers=bearer("charlie"),
        ).status_code
        == 422
    )
    assert client.get(f"{base}/feedback", headers=bearer("bob")).json()["count"] == 1
    body = {"criteria": SCORES, "rationale": RATIONALE}
    assert (
        client.post(
            f"{base}/priority", body, content_type="application/json", headers=bearer("alice")
        ).status_code
        == 403
    )
    scored = client.post(
        f"{base}/priority", body, content_type="application/json", headers=bearer("ada", ADMIN)
    )
    assert scored.status_code == 201 and scored.json()["value_score"] == "80.00"
    assert client.get(f"{base}/priority", headers=bearer("bob")).json()[0]["is_current"] is True


def score(world: World, uc: Any, **overrides: int) -> None:
    services.score_priority(
        actor=None, use_case=uc, criteria={**SCORES, **overrides}, rationale=RATIONALE
    )


def test_backlog_ranks_by_value_times_feasibility(
    client: Client, world: World, bearer: Any
) -> None:
    low = portfolio.create_use_case(
        actor=world.alice, title="Low", org_unit=world.cards, owner=world.alice
    )
    score(world, world.alice_uc)  # 80 x 68.75
    score(world, low, strategic_fit=1, expected_benefit=1)  # 20 x 68.75
    score(world, world.wealth_secret, data_readiness=5)  # 80 x 81.25, confidential
    ranked = client.get("/api/v1/backlog", headers=bearer("ada", ADMIN)).json()
    assert [r["title"] for r in ranked] == [world.wealth_secret.title, world.alice_uc.title, "Low"]
    assert [r["rank"] for r in ranked] == [1, 2, 3]
    assert ranked[0]["quadrant"] == "quick wins" and ranked[2]["quadrant"] == "fill-ins"
    mine = client.get("/api/v1/backlog", headers=bearer("bob")).json()
    assert [r["title"] for r in mine] == [world.alice_uc.title, "Low"]
    cards = client.get(
        "/api/v1/backlog", {"org_unit": world.cards.pk}, headers=bearer("ada", ADMIN)
    )
    assert [r["title"] for r in cards.json()] == ["Low"]
    themed = client.get("/api/v1/backlog", {"theme": world.theme.pk}, headers=bearer("ada", ADMIN))
    assert [r["title"] for r in themed.json()] == [world.alice_uc.title]


def test_backlog_page_draws_the_matrix(login: Any, world: World, query_budget: Budget) -> None:
    score(world, world.alice_uc)
    client = login("bob")
    with query_budget("backlog_page", at_most=True):
        html = client.get("/backlog/").content.decode()
    assert '<svg class="matrix"' in html
    for label in ("quick wins", "strategic bets", "fill-ins", "reconsider"):
        assert label in html
    assert f'<a href="/use-cases/{world.alice_uc.pk}/"><circle class="pt pt-quick-wins"' in html
    assert f"<title>#1 {world.alice_uc.title}" in html
    assert "style=" not in html and "<script>" not in html


def test_value_panel_renders_kpis_sparkline_and_forms(world: World, kpi: KPI) -> None:
    for days, value in ((60, 60), (30, 70), (1, 76)):
        services.record_measurement(
            actor=None, kpi=kpi, value=value, measured_on=dt.date.today() - dt.timedelta(days=days)
        )
    services.give_feedback(actor=world.bob, use_case=world.alice_uc, rating=4, comment="Handy")
    request = RequestFactory().get("/")
    request.user = world.alice
    world.alice_uc.refresh_from_db()
    context = {"uc": world.alice_uc, **value_context(request, world.alice_uc)}
    html = render_to_string("value/_value.html", context, request=request)
    assert '<polyline class="spark-line"' in html and "Handy" in html
    assert 'id="kpi-form"' in html and 'id="priority-form"' not in html  # alice does not score
    assert "Value realised on" in html and "style=" not in html
    request.user = world.ada
    admin = render_to_string(
        "value/_value.html",
        {"uc": world.alice_uc, **value_context(request, world.alice_uc)},
        request=request,
    )
    assert 'id="priority-form"' in admin


@pytest.mark.parametrize(
    ("persona", "status"),
    [("alice", 302), ("bob", 403), ("charlie", 403), ("pat", 403), ("ada", 302), ("rita", 403)],
)
def test_kpi_form_permissions(login: Any, world: World, persona: str, status: int) -> None:
    response = login(persona).post(
        f"/use-cases/{world.alice_uc.pk}/kpis/", {"name": "Adoption", "cadence_days": "30"}
    )
    assert response.status_code == status
    assert KPI.objects.filter(name="Adoption").exists() == (status == 302)


def test_forms_redirect_or_rerender_with_errors(login: Any, world: World, kpi: KPI) -> None:
    client = login("alice")
    base = f"/use-cases/{world.alice_uc.pk}"
    ok = client.post(f"{base}/measurements/", {"kpi": kpi.pk, "value": "70", "measured_on": TODAY})
    assert ok.status_code == 302 and ok["Location"] == f"/use-cases/{world.alice_uc.pk}/"
    bad = client.post(f"{base}/measurements/", {"kpi": kpi.pk, "value": "=2", "measured_on": TODAY})
    assert bad.status_code == 422 and "not a number" in bad.content.decode()
    upload = SimpleUploadedFile("m.csv", f"kpi,value,measured_on\nPrecision,71,{TODAY}\n".encode())
    assert client.post(f"{base}/measurements/import/", {"file": upload}).status_code == 302
    assert Measurement.objects.count() == 2
    assert client.post(f"{base}/feedback/", {"rating": "7"}).status_code == 422
    assert login("pat").post(f"{base}/feedback/", {"rating": "3"}).status_code == 403
    assert login("bob").post(f"{base}/feedback/", {"rating": "3"}).status_code == 302
    assert Feedback.objects.get().given_by_id == world.bob.pk
    assert (
        login("pat")
        .post(f"/use-cases/{world.alice_secret.pk}/feedback/", {"rating": "3"})
        .status_code
        == 404
    )
    ada = login("ada")
    form = {f"c_{k}": str(v) for k, v in SCORES.items()} | {"rationale": "too short"}
    assert ada.post(f"{base}/priority/", form).status_code == 422
    form["rationale"] = RATIONALE
    assert ada.post(f"{base}/priority/", form).status_code == 302


def test_themes_page_and_admin_edit(login: Any, world: World) -> None:
    assert world.theme.name in login("pat").get("/themes/").content.decode()
    assert login("alice").get(f"/themes/{world.theme.pk}/edit/").status_code == 403
    client = login("ada")
    form = {
        "objective": "Happier customers",
        "metric_0": "NPS",
        "target_0": "40",
        "unit_0": "pts",
        "by_0": "2027-12-31",
    }
    assert client.post(f"/themes/{world.theme.pk}/edit/", form).status_code == 302
    world.theme.refresh_from_db()
    assert world.theme.targets == [
        {"metric": "NPS", "target": 40, "unit": "pts", "by": "2027-12-31"}
    ]
    event = AuditEvent.objects.filter(object_type="portfolio.theme").latest("seq")
    assert event.after["objective"] == "Happier customers"
    form["target_0"] = "lots"
    assert client.post(f"/themes/{world.theme.pk}/edit/", form).status_code == 422
