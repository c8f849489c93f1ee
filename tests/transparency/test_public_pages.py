"""The public page and feeds: anonymous, cacheable, cookie-free, CSP-clean."""

import pytest

from tests.query_counts import Budget
from tests.transparency.conftest import operational, publish

URLS = [
    "/transparency/",
    "/transparency/register.json",
    "/transparency/register.csv",
    "/transparency/register-omb-2025.csv",
]


@pytest.mark.parametrize("url", URLS)
def test_served_without_login_with_caching_headers_and_no_cookie(reg, client, url):
    r = client.get(url)
    assert r.status_code == 200
    assert r["Cache-Control"] == "public, max-age=300"
    assert r["ETag"].startswith('"') and len(r["ETag"]) == 34
    assert r["Last-Modified"].endswith("GMT")
    assert "Cookie" not in r.get("Vary", "")
    assert not r.cookies  # no session, no CSRF cookie
    assert "csrfmiddlewaretoken" not in r.content.decode("utf-8-sig")


@pytest.mark.parametrize("url", URLS)
def test_a_logged_in_visitor_gets_the_same_answer(reg, client, login, url):
    anonymous = client.get(url)
    r = login("ada").get(url)
    assert r.content == anonymous.content and r["ETag"] == anonymous["ETag"]
    assert "Cookie" not in r.get("Vary", "")


@pytest.mark.parametrize("url", URLS)
def test_conditional_get_answers_304_until_the_register_changes(reg, client, url):
    etag = client.get(url)["ETag"]
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again["Cache-Control"] == "public, max-age=300" and again["ETag"] == etag
    publish(reg.cora, operational(reg.world, "Second published"))
    changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_formats_have_distinct_etags(reg, client):
    assert len({client.get(url)["ETag"] for url in URLS}) == len(URLS)


def test_content_types(reg, client):
    assert client.get("/transparency/register.json")["Content-Type"] == "application/json"
    assert client.get("/transparency/register.csv")["Content-Type"] == "text/csv; charset=utf-8"
    assert client.get("/transparency/register.json")["Access-Control-Allow-Origin"] == "*"


def test_the_page_is_csp_clean_and_has_no_internal_nav(reg, client):
    r = client.get("/transparency/")
    html = r.content.decode()
    assert "default-src 'self'" in r["Content-Security-Policy"]
    assert "style=" not in html and "<script" not in html
    assert "Log out" not in html and "Portfolio" not in html
    assert "/api/v1/docs" not in html


def test_writes_are_refused(reg, client):
    assert client.post("/transparency/").status_code in (403, 405)  # CSRF or method


def test_an_empty_register(world, client):
    r = client.get("/transparency/")
    assert r.status_code == 200
    assert "Nothing is published yet." in r.content.decode()
    assert client.get("/transparency/register.json").json()["count"] == 0


@pytest.mark.django_db
def test_the_page_answers_before_any_org_unit_exists(client):
    r = client.get("/transparency/")
    assert r.status_code == 200 and "This organisation" in r.content.decode()


@pytest.mark.parametrize("url", [*URLS, "/api/v1/transparency/register"])
def test_query_count_does_not_grow_with_the_register(reg, client, url, query_budget: Budget):
    # policy, decisions, publisher's name (+ three for Last-Modified on the page and files)
    client.get(url)  # the policy is parsed and cached on first use
    with query_budget(f"register {url}"):
        client.get(url)
    for i in range(3):
        publish(reg.cora, operational(reg.world, f"More {i}"))
    with query_budget(f"register {url}"):
        client.get(url)
