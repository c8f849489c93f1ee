"""Incident pages and the use-case panel: visibility, forms, htmx partials, query counts."""

from typing import Any

import pytest
from django.urls import reverse

from aiom.monitoring import services
from aiom.monitoring.models import Incident, MonitoringPlan, MonitoringReview
from aiom.portfolio.models import UseCase
from tests.conftest import PERSONAS, World
from tests.monitoring.conftest import make_kpi, make_plan, report
from tests.query_counts import Budget

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_list_and_detail_follow_use_case_visibility(persona: str, world: World, login: Any) -> None:
    public = report(world, world.alice_uc, title="Public mishap")
    secret = report(world, world.wealth_secret, actor=world.charlie, title="Wealth mishap")
    client = login(persona)
    page = client.get(reverse("monitoring:incidents"))
    if persona == "anonymous":
        assert page.status_code == 302
        return
    html = page.content.decode()
    assert "Public mishap" in html
    sees_secret = persona in ("charlie", "ada", "rita")
    assert ("Wealth mishap" in html) is sees_secret
    assert client.get(reverse("monitoring:incident", args=[public.pk])).status_code == 200
    status = client.get(reverse("monitoring:incident", args=[secret.pk])).status_code
    assert status == (200 if sees_secret else 404)


def test_list_filters_by_htmx_partial_in_fixed_queries(
    login: Any, world: World, live: UseCase, query_budget: Budget
) -> None:
    for i in range(6):
        report(world, live, severity="high" if i % 2 else "low", title=f"Incident {i}")
    client = login("alice")
    with query_budget("incidents_page_htmx_filtered", at_most=True):
        answer = client.get(reverse("monitoring:incidents") + "?severity=high", headers=HTMX)
    html = answer.content.decode()
    assert answer.status_code == 200 and "<html" not in html
    assert 'id="incident-count">3<' in html and "Incident 1" in html and "Incident 2" not in html


def test_report_form_creates_and_refuses(login: Any, world: World, live: UseCase) -> None:
    client = login("bob")
    url = reverse("monitoring:incident_create")
    form = client.get(url + f"?use_case={live.pk}")
    assert form.status_code == 200 and f'value="{live.pk}" selected' in form.content.decode()
    data = {
        "use_case": live.pk,
        "title": "Chatbot promised a refund",
        "occurred_at": "2026-01-05T10:00",
        "severity": "medium",
        "harms": ["people", "organisation"],
        "people_affected": "1",
    }
    made = client.post(url, data)
    incident = Incident.objects.get()
    assert made.status_code == 302 and made["Location"] == reverse(
        "monitoring:incident", args=[incident.pk]
    )
    assert incident.harms == ["people", "organisation"] and incident.reported_by == world.bob
    refused = client.post(url, {**data, "occurred_at": "2099-01-01T10:00"})
    assert refused.status_code == 422 and "cannot be in the future" in refused.content.decode()
    assert login("pat").get(url).status_code == 403


def test_detail_actions_and_closing(login: Any, world: World, live: UseCase) -> None:
    incident = report(world, live)
    client = login("alice")
    detail = reverse("monitoring:incident", args=[incident.pk])
    add = client.post(
        reverse("monitoring:incident_add_action", args=[incident.pk]),
        {"description": "Refresh the index", "owner": world.bob.pk, "due_on": "2030-01-01"},
    )
    assert add.status_code == 302
    action = incident.actions.get()
    close = reverse("monitoring:incident_status", args=[incident.pk])
    refused = client.post(close, {"status": "closed", "lessons_learned": ""})
    assert refused.status_code == 422
    assert "not done yet" in refused.content.decode()
    client.post(reverse("monitoring:incident_action_done", args=[incident.pk, action.pk]))
    lessons = "Refresh the index whenever a policy changes."
    assert client.post(close, {"status": "closed", "lessons_learned": lessons}).status_code == 302
    page = client.get(detail).content.decode()
    assert "Closed" in page and lessons in page
    # Charlie can see the incident but may not handle it: no forms, and a 403 on posting.
    charlie = login("charlie")
    assert 'id="incident-status"' not in charlie.get(detail).content.decode()
    assert charlie.post(close, {"status": "open"}).status_code == 403


def test_use_case_page_shows_the_panel(login: Any, world: World, live: UseCase) -> None:
    report(world, live, title="Scores drifted")
    client = login("alice")
    page = client.get(reverse("portfolio:detail", args=[live.pk])).content.decode()
    assert 'id="use-case-monitoring"' in page and "Scores drifted" in page
    assert 'id="monitoring-missing"' in page  # operational without a plan
    saved = client.post(
        reverse("monitoring:save_plan", args=[live.pk]),
        {"reviewer": world.rita.pk, "review_every_days": "30", "notes": "Monthly"},
        headers=HTMX,
    )
    assert saved.status_code == 200 and "Monitoring plan saved." in saved.content.decode()
    assert MonitoringPlan.objects.get().review_every_days == 30
    check = client.post(
        reverse("monitoring:add_check", args=[live.pk]),
        {"kind": "drift", "description": "Score distribution vs baseline"},
        headers=HTMX,
    )
    assert check.status_code == 200 and "Score distribution vs baseline" in check.content.decode()
    refused = client.post(
        reverse("monitoring:record_review", args=[live.pk]), {"outcome": "concerns"}, headers=HTMX
    )
    assert refused.status_code == 422 and "say what the concern is" in refused.content.decode()
    ok = login("rita").post(
        reverse("monitoring:record_review", args=[live.pk]), {"outcome": "ok"}, headers=HTMX
    )
    assert ok.status_code == 200 and MonitoringReview.objects.count() == 1


def test_overdue_plan_is_flagged_on_the_panel(login: Any, world: World, live: UseCase) -> None:
    make_plan(live, world, started=200)
    page = login("bob").get(reverse("portfolio:detail", args=[live.pk])).content.decode()
    assert 'id="monitoring-overdue"' in page


def test_kpi_bounds_show_on_the_panel(login: Any, world: World, live: UseCase) -> None:
    plan = make_plan(live, world)
    kpi = make_kpi(live)
    services.add_check(
        actor=world.alice, plan=plan, kind="performance_kpi", description="p", kpi=kpi, upper="5.5"
    )
    page = login("alice").get(reverse("portfolio:detail", args=[live.pk])).content.decode()
    assert "≤ 5.5" in page and "≥" not in page
