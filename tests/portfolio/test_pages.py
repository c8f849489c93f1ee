"""Portfolio pages: the list with filters, htmx partials, forms with field errors."""

from aiom.core.models import AuditEvent
from aiom.portfolio import services
from aiom.portfolio.models import UseCase
from tests.conftest import World
from tests.query_counts import Budget


def test_list_page_filters_and_counts(login, world: World) -> None:
    client = login("ada")
    html = client.get("/use-cases/", {"q": "churn"}).content.decode()
    assert world.wealth_secret.title in html
    assert world.alice_uc.title not in html
    assert 'id="result-count">1<' in html


def test_htmx_request_gets_only_the_results_partial(login, world: World) -> None:
    response = login("ada").get("/use-cases/", {"stage": "intake"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="results"')
    assert "<nav" not in html.split('<section id="results"')[0]
    assert world.alice_uc.title in html


def test_bad_filters_are_reported_not_crashed(login, world: World) -> None:
    html = login("ada").get("/use-cases/", {"stage": "limbo", "org_unit": "x"}).content.decode()
    assert "Some filters were ignored" in html
    assert world.alice_uc.title in html


def test_owner_filters_me_and_gap(login, world: World) -> None:
    services.create_use_case(
        actor=None, require_owner=False, title="Nobody's baby", org_unit=world.wealth
    )
    client = login("charlie")
    mine = client.get("/use-cases/", {"owner": "me"}).content.decode()
    assert world.wealth_secret.title in mine
    assert world.alice_uc.title not in mine
    gap = client.get("/use-cases/", {"owner": "none"}).content.decode()
    assert "Nobody&#x27;s baby" in gap
    assert "no owner" in gap


def test_list_page_query_count_is_pinned(login, world: World, query_budget: Budget) -> None:
    client = login("bob")
    client.get("/use-cases/")
    # session, user, the viewer's access (roles, home unit, led units in one), stage counts
    # (the count is their sum), the policy in force (its stages: the facets), page, org
    # units and themes for the filter form
    with query_budget("list_page_with_more_use_cases"):
        client.get("/use-cases/")
    for i in range(25):
        services.create_use_case(
            actor=None,
            title=f"More {i}",
            org_unit=world.cards,
            owner=world.alice,
            sponsor=world.ada,
            theme=world.theme,
        )
    with query_budget("list_page_with_more_use_cases"):
        html = client.get("/use-cases/").content.decode()
    assert "More 24" in html


def test_create_form_shows_field_errors_then_creates(login, world: World) -> None:
    client = login("bob")
    bad = client.post(
        "/use-cases/new/",
        {
            "title": "",
            "org_unit": world.retail.pk,
            "ai_type": "predictive",
            "sourcing": "build",
            "environment": "sandbox",
        },
    )
    assert bad.status_code == 422
    html = bad.content.decode()
    assert "This field is required." in html
    assert 'id="id_title-error"' in html and 'id="id_owner-error"' in html
    good = client.post(
        "/use-cases/new/",
        {
            "title": "Branch queue forecaster",
            "org_unit": world.retail.pk,
            "owner": world.bob.pk,
            "ai_type": "predictive",
            "sourcing": "build",
            "environment": "sandbox",
            "expected_benefit_amount": "50000",
            "customer_facing": "on",
        },
    )
    assert good.status_code == 302
    created = UseCase.objects.get(title="Branch queue forecaster")
    assert created.customer_facing and created.owner == world.bob
    assert created.expected_benefit_currency == "EUR"
    detail = client.get(good["Location"]).content.decode()
    assert "Branch queue forecaster" in detail
    assert "Audit timeline" in detail
    assert AuditEvent.objects.filter(
        object_type="portfolio.usecase", object_id=str(created.pk), action="create"
    ).exists()


def test_service_errors_land_on_the_form_field(login, world: World) -> None:
    client = login("bob")
    response = client.post(
        "/use-cases/new/",
        {
            "title": "Bad currency",
            "org_unit": world.retail.pk,
            "owner": world.bob.pk,
            "ai_type": "predictive",
            "sourcing": "build",
            "environment": "sandbox",
            "expected_benefit_amount": "10",
            "expected_benefit_currency": "E1",
        },
    )
    assert response.status_code == 422
    assert "three-letter ISO currency code" in response.content.decode()


def test_edit_form_saves_and_the_timeline_shows_the_change(login, world: World) -> None:
    client = login("alice")
    form = client.get(f"/use-cases/{world.alice_uc.pk}/edit/").content.decode()
    assert 'name="version" value="1"' in form
    response = client.post(
        f"/use-cases/{world.alice_uc.pk}/edit/",
        {
            "title": "Mortgage document summariser",
            "org_unit": world.retail.pk,
            "owner": world.alice.pk,
            "ai_type": "generative",
            "sourcing": "buy",
            "vendor": "Acme",
            "environment": "sandbox",
            "version": "1",
        },
    )
    assert response.status_code == 302
    detail = client.get(f"/use-cases/{world.alice_uc.pk}/").content.decode()
    assert "Acme" in detail
    assert 'class="now">generative<' in detail


def test_stale_edit_form_is_refused(login, world: World) -> None:
    services.update_use_case(actor=world.ada, use_case=world.alice_uc, vendor="Ada's pick")
    response = login("alice").post(
        f"/use-cases/{world.alice_uc.pk}/edit/",
        {
            "title": "Mine now",
            "org_unit": world.retail.pk,
            "owner": world.alice.pk,
            "ai_type": "predictive",
            "sourcing": "build",
            "environment": "sandbox",
            "version": "1",
        },
    )
    assert response.status_code == 422
    assert "Someone else saved this use case" in response.content.decode()
    assert UseCase.objects.get(pk=world.alice_uc.pk).title == "Mortgage document summariser"


def test_other_pages_render(login, world: World) -> None:
    client = login("ada")
    for url in (
        "/org-units/",
        f"/org-units/{world.retail.pk}/",
        "/people/",
        f"/people/{world.alice.pk}/",
        "/audit/",
        "/people/?role=partner",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Branch closure predictor" in client.get(f"/people/{world.alice.pk}/").content.decode()


def test_admin_can_verify_the_chain_from_the_page(login, world: World) -> None:
    response = login("ada").post("/audit/verify/", follow=True)
    assert "Audit chain intact" in response.content.decode()
    assert login("bob").post("/audit/verify/").status_code == 403


def test_login_page_and_redirect(client, world: World) -> None:
    assert client.get("/").status_code == 302
    page = client.get("/login/")
    assert page.status_code == 200
    response = client.post("/login/", {"username": "alice", "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert client.get("/use-cases/").status_code == 200
    csp = page["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "unsafe-inline" not in csp
