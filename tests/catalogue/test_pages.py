"""Catalogue pages render, search, refuse, and keep the use-case partial working."""

import re

from django.template.loader import render_to_string
from django.test import RequestFactory

from aiom.catalogue import services
from aiom.catalogue.models import DataProduct, UseCaseDataProduct
from aiom.catalogue.views import data_context
from tests.catalogue.conftest import Catalogue
from tests.conftest import World
from tests.query_counts import Budget

INLINE_STYLE = re.compile(r"\sstyle=|<style", re.IGNORECASE)


def test_list_searches_and_shows_badges(
    login, world: World, cat: Catalogue, query_budget: Budget
) -> None:
    client = login("alice")
    with query_budget("list_page_search"):
        page = client.get("/data-products/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Mortgage applications" in html and "Market prices" in html
    assert "dp-quality-good" in html and "dp-quality-none" in html
    assert "no steward" in html  # Market prices
    assert not INLINE_STYLE.search(html)
    found = client.get("/data-products/?q=KYC", headers={"HX-Request": "true"})
    assert "Retail customers" in found.content.decode()
    assert "Mortgage applications" not in found.content.decode()
    assert "<html" not in found.content.decode()  # the partial only


def test_list_query_count_does_not_grow_with_rows(
    login, world: World, cat: Catalogue, query_budget: Budget
) -> None:
    for i in range(15):
        services.create_data_product(
            actor=cat.sam, name=f"Feed {i}", domain=world.retail, steward=cat.sam
        )
    client = login("alice")
    with query_budget("list_page"):  # session, user, access (1), count, policy, page
        assert client.get("/data-products/").status_code == 200


def test_detail_shows_facts_lineage_and_uses(login, world: World, cat: Catalogue) -> None:
    services.link_use_case(
        actor=world.alice, use_case=world.alice_uc, product=cat.customers, purpose="Addresses"
    )
    html = login("alice").get(f"/data-products/{cat.customers.pk}/").content.decode()
    assert "Core banking CRM" in html  # a source upstream
    assert "Mortgage applications" in html  # downstream product
    assert "Addresses" in html and "Mortgage document summariser" in html
    assert "lineage-d1" in html
    assert f'href="/data-products/{cat.customers.pk}/edit/"' not in html  # Alice cannot curate
    steward_html = login("ada").get(f"/data-products/{cat.customers.pk}/").content.decode()
    assert f'href="/data-products/{cat.customers.pk}/edit/"' in steward_html
    assert not INLINE_STYLE.search(html)


def test_form_creates_and_edits(client, world: World, cat: Catalogue) -> None:
    client.force_login(cat.sam)
    assert client.get("/data-products/new/").status_code == 200
    posted = client.post(
        "/data-products/new/",
        {
            "name": "Branch visits",
            "domain": world.retail.pk,
            "steward": cat.sam.pk,
            "classification": "internal",
            "access_status": "available",
            "upstream": [cat.customers.pk],
            "external_sources": "Door counters",
            "tags": "branches, footfall",
        },
    )
    made = DataProduct.objects.get(name="Branch visits")
    assert posted.status_code == 302
    assert made.external_sources == ["Door counters"]
    assert made.tag_list == ["branches", "footfall"]
    refused = client.post(
        f"/data-products/{made.pk}/edit/",
        {
            "name": "Branch visits",
            "domain": world.retail.pk,
            "steward": cat.wendy.pk,
            "access_status": "available",
        },
    )
    assert refused.status_code == 422
    assert "is no data steward of Retail Banking" in refused.content.decode()


def test_outsiders_cannot_open_the_form(login, world: World, cat: Catalogue) -> None:
    assert login("bob").get("/data-products/new/").status_code == 403
    assert login("bob").get(f"/data-products/{cat.customers.pk}/edit/").status_code == 403
    assert login("anonymous").get("/data-products/").status_code == 302


def test_quality_and_retire_actions(client, world: World, cat: Catalogue) -> None:
    client.force_login(cat.sam)
    client.post(f"/data-products/{cat.customers.pk}/quality/", {"score": "77"})
    assert DataProduct.objects.get(pk=cat.customers.pk).quality_score == 77
    client.post(f"/data-products/{cat.customers.pk}/retire/", {"reason": "Moved to CRM"})
    assert DataProduct.objects.get(pk=cat.customers.pk).access_status == "retired"


def test_use_case_partial_renders_readiness_and_links(world: World, cat: Catalogue) -> None:
    services.link_use_case(actor=world.alice, use_case=world.alice_uc, product=cat.markets)
    request = RequestFactory().get("/")
    request.user = world.alice
    html = render_to_string(
        "catalogue/_use_case_data.html", data_context(request, world.alice_uc), request=request
    )
    assert "data not ready" in html
    assert "“Market prices” has no data steward." in html
    assert f"/use-cases/{world.alice_uc.pk}/data-products/{cat.markets.pk}/unlink/" in html
    assert "Mortgage applications" in html  # offered in the link form
    request.user = world.bob
    bob_html = render_to_string(
        "catalogue/_use_case_data.html", data_context(request, world.alice_uc), request=request
    )
    assert "unlink" not in bob_html and "<form" not in bob_html
    assert not INLINE_STYLE.search(html)


def test_link_and_unlink_through_htmx(login, world: World, cat: Catalogue) -> None:
    client = login("alice")
    url = f"/use-cases/{world.alice_uc.pk}/data-products/"
    hx = {"HX-Request": "true"}
    linked = client.post(url, {"data_product": cat.applications.pk, "purpose": "Docs"}, headers=hx)
    assert linked.status_code == 200
    assert "Linked “Mortgage applications”." in linked.content.decode()
    assert UseCaseDataProduct.objects.filter(use_case=world.alice_uc).count() == 1
    refused = client.post(url, {"data_product": "abc"}, headers=hx)
    assert refused.status_code == 422
    plain = client.post(f"{url}{cat.applications.pk}/unlink/")
    assert plain.status_code == 302
    assert plain.headers["Location"] == f"/use-cases/{world.alice_uc.pk}/"
    assert not UseCaseDataProduct.objects.exists()
    assert login("bob").post(url, {"data_product": cat.applications.pk}).status_code == 403
    secret = f"/use-cases/{world.wealth_secret.pk}/data-products/"
    assert login("bob").get(secret).status_code == 404
