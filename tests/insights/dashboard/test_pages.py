"""The dashboard and the board report: who may read them, scoping, the PDF, query counts."""

import importlib.util
from typing import Any

import pytest
from django.test import Client

from aiom.core import memo
from aiom.insights.analytics import facts
from aiom.insights.maturity import services as maturity
from aiom.insights.maturity.model import current
from aiom.lifecycle.models import PilotPlan
from tests.conftest import World
from tests.query_counts import Budget

pytestmark = pytest.mark.django_db
HAS_WEASYPRINT = importlib.util.find_spec("weasyprint") is not None
PAGES = ["/dashboard/", "/reports/board/"]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("name", ["ada", "bob", "alice", "charlie", "rita"])
def test_internal_people_read_the_pages(login: Any, name: str, url: str) -> None:
    response = login(name).get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert 'role="img"' in html
    assert "<svg" in html
    assert " style=" not in html  # the CSP forbids inline styles


@pytest.mark.parametrize("url", [*PAGES, "/reports/board.pdf"])
def test_partners_are_refused_and_anonymous_sent_to_login(login: Any, url: str) -> None:
    assert login("pat").get(url).status_code == 403
    response = login("anonymous").get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_dashboard_shows_headlines_charts_and_links(login: Any) -> None:
    html = login("ada").get("/dashboard/").content.decode()
    for text in (
        "Use cases",
        "With an accountable owner",
        "Pilots scaled",
        "Median time to value",
        "Operational",
        "Overdue reviews",
        "Lifecycle funnel",
        "Pilot outcomes by cohort",
        "Time to value",
        "Maturity",
        "Value realised by theme",
        "expected</em> annual benefit",
        'href="/diagnostics/"',
        'href="/maturity/"',
        'href="/backlog/"',
        "Data table",
    ):
        assert text in html, text
    assert "Self-assessment: not assessed" in html


def test_counts_are_scoped_to_what_the_viewer_may_see(login: Any, world: World) -> None:
    ada = login("ada").get("/dashboard/").context
    assert ada["figures"][0].value == "3"
    charlie = login("charlie").get("/dashboard/").context
    assert charlie["figures"][0].value == "2"  # Alice's confidential one is hidden


def test_org_unit_filter_narrows_to_the_subtree(login: Any, world: World) -> None:
    response = login("ada").get(f"/dashboard/?org_unit={world.wealth.pk}")
    assert response.context["figures"][0].value == "1"
    assert "Wealth Management and its sub-units" in response.content.decode()
    bad = login("ada").get("/dashboard/?org_unit=nope")
    assert bad.status_code == 200
    assert "showing the whole organisation" in bad.content.decode()


def test_a_confidential_title_never_reaches_charlie(login: Any, world: World) -> None:
    secret = world.alice_secret
    # make it show up in every risk list it could: high tier, a stalled pilot
    type(secret).objects.filter(pk=secret.pk).update(tier="high", stage="pilot")
    facts.touch([secret.pk])  # written behind the services: say so
    PilotPlan.objects.create(
        use_case=secret,
        exit_criteria=[],
        ends_on="2020-01-01",
        original_ends_on="2020-01-01",
        policy_version=1,
    )
    for url in PAGES:
        assert secret.title not in login("charlie").get(url).content.decode()
    # the report names it in its risk lists to those who may see it
    assert secret.title in login("ada").get("/reports/board/").content.decode()
    assert secret.title in login("alice").get("/reports/board/").content.decode()


def test_labels_are_escaped(login: Any, world: World) -> None:
    world.theme.name = "<script>alert(1)</script>"
    world.theme.save()
    type(world.alice_uc).objects.filter(pk=world.alice_uc.pk).update(
        value_realised_on="2026-01-01", expected_benefit_amount=1000, tier="high"
    )
    facts.touch([world.alice_uc.pk])
    for url in PAGES:
        html = login("ada").get(url).content.decode()
        assert "<script>alert(1)" not in html
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt;" in login("ada").get("/dashboard/").content.decode()
    )


def test_maturity_radar_shows_a_self_assessment_beside_evidence(login: Any, world: World) -> None:
    model = current().model
    answers = {q.key: q.answers[-1].key for _, q in model.questions()}
    maturity.self_assess(actor=world.ada, org_unit=None, answers=answers)
    html = login("ada").get("/dashboard/").content.decode()
    assert "series-self" in html
    assert "Self-assessment: not assessed" not in html


def test_board_report_has_diagnostics_maturity_and_risks(login: Any) -> None:
    html = login("bob").get("/reports/board/").content.decode()
    for text in (
        "The eight diagnostic questions",
        "Who owns each AI use case?",
        "Are governance and risk engaged early enough?",
        "Maturity per dimension",
        "High risk tier",
        "Blocked",
        "Stalled pilots",
        "Overdue reviews",
        "Flow through the lifecycle",
    ):
        assert text in html, text


@pytest.mark.skipif(HAS_WEASYPRINT, reason="WeasyPrint is installed")
def test_pdf_without_weasyprint_is_501_with_a_link_to_the_html(login: Any, world: World) -> None:
    response = login("bob").get(f"/reports/board.pdf?org_unit={world.retail.pk}")
    assert response.status_code == 501
    assert f'href="/reports/board/?org_unit={world.retail.pk}"' in response.content.decode()


@pytest.mark.skipif(not HAS_WEASYPRINT, reason="WeasyPrint is not installed")
def test_pdf_with_weasyprint_is_a_pdf(login: Any) -> None:
    response = login("bob").get("/reports/board.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_dashboard_query_count_is_pinned(
    client: Client, world: World, query_budget: Budget
) -> None:
    client.force_login(world.bob)
    client.get("/dashboard/")  # warm the policy and maturity model caches
    memo.forget()
    # Fixed, whatever the portfolio size: session, user and access, the analytics behind the
    # headlines, funnel (one grouped query over the facts, stage_reach.py), value by theme,
    # org units, the latest self-assessment and the evidence, incidents and monitoring, and
    # one look at the audit head per kept figure. The evidence's vendor spread reads every
    # route to a vendor (technology/vendor_reach.py).
    with query_budget("dashboard_page"):
        assert client.get("/dashboard/").status_code == 200
    with query_budget("dashboard_page_figures_kept"):  # unchanged portfolio: the figures are kept
        assert client.get("/dashboard/").status_code == 200
