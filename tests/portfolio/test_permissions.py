"""Who sees and changes which use case, over the API and the pages, for every persona.

Confidential use cases must not leak: not by a 403 (404 instead), not in lists, counts,
audit events or org-unit pages.
"""

import pytest
from django.test import Client

from aiom.portfolio import services
from tests.conftest import PERSONAS, World

# persona -> (sees alice_uc, sees alice_secret, sees wealth_secret, may edit alice's)
EXPECTED = {
    "alice": (True, True, False, True),
    "bob": (True, True, False, False),
    "charlie": (True, False, True, False),
    "pat": (True, False, False, False),
    "ada": (True, True, True, True),
    "rita": (True, True, True, False),
    "anonymous": (False, False, False, False),
}
CASES = ["alice_uc", "alice_secret", "wealth_secret"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_read_matrix(login, world: World, persona: str) -> None:
    client = login(persona)
    expected = EXPECTED[persona]
    listing = client.get("/api/v1/use-cases")
    if persona == "anonymous":
        assert listing.status_code == 401
    else:
        titles = {item["title"] for item in listing.json()["items"]}
        wanted = {getattr(world, c).title for c, ok in zip(CASES, expected, strict=False) if ok}
        assert titles == wanted
        assert listing.json()["count"] == len(wanted)
    for case, visible in zip(CASES, expected[:3], strict=True):
        response = client.get(f"/api/v1/use-cases/{getattr(world, case).pk}")
        if persona == "anonymous":
            assert response.status_code == 401
        else:
            assert response.status_code == (200 if visible else 404), (persona, case)


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_write_matrix(login, world: World, persona: str) -> None:
    client = login(persona)
    _, _, wealth_visible, may_edit = EXPECTED[persona]
    response = client.patch(
        f"/api/v1/use-cases/{world.alice_uc.pk}",
        {"vendor": persona},
        content_type="application/json",
    )
    if persona == "anonymous":
        assert response.status_code == 401
    else:
        assert response.status_code == (200 if may_edit else 403), persona
    secret = client.patch(
        f"/api/v1/use-cases/{world.wealth_secret.pk}",
        {"vendor": "x"},
        content_type="application/json",
    )
    # A partner is refused every write before anything is looked up (the same 403 for any
    # object, so nothing leaks); others learn nothing of what they cannot see (404).
    hidden = (403,) if persona == "pat" else (404,)
    assert secret.status_code in (
        (401,) if persona == "anonymous" else (200, 403) if wealth_visible else hidden
    )
    create = client.post(
        "/api/v1/use-cases",
        {
            "title": f"Proposal by {persona}",
            "org_unit": world.retail.pk,
            "owner": world.bob.pk,
        },
        content_type="application/json",
    )
    expected_create = {"anonymous": 401, "pat": 403}.get(persona, 201)
    assert create.status_code == expected_create


@pytest.mark.parametrize("persona", PERSONAS)
def test_page_matrix(login, world: World, persona: str) -> None:
    client = login(persona)
    expected = EXPECTED[persona]
    page = client.get("/use-cases/")
    if persona == "anonymous":
        assert page.status_code == 302
        assert page["Location"].startswith("/login/")
        return
    html = page.content.decode()
    for case, visible in zip(CASES, expected[:3], strict=True):
        uc = getattr(world, case)
        assert (uc.title in html) == visible, (persona, case)
        detail = client.get(f"/use-cases/{uc.pk}/")
        assert detail.status_code == (200 if visible else 404)
    edit = client.get(f"/use-cases/{world.alice_uc.pk}/edit/")
    assert edit.status_code == (200 if expected[3] else 403)
    new = client.get("/use-cases/new/")
    assert new.status_code == (403 if persona == "pat" else 200)


def test_partner_sees_only_granted_units(login, world: World) -> None:
    public_wealth = services.create_use_case(
        actor=world.charlie,
        title="Portfolio rebalancing hints",
        org_unit=world.wealth,
        owner=world.charlie,
    )
    cards_case = services.create_use_case(
        actor=world.bob,
        title="Card limit advisor",
        org_unit=world.cards,
        owner=world.bob,
    )
    client = login("pat")
    titles = {i["title"] for i in client.get("/api/v1/use-cases").json()["items"]}
    assert cards_case.title in titles  # a sub-unit of the granted Retail Banking
    assert public_wealth.title not in titles
    assert client.get(f"/api/v1/use-cases/{public_wealth.pk}").status_code == 404
    for url in ("/api/v1/people", "/api/v1/org-units", "/people/", "/org-units/"):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("persona", ["bob", "charlie", "pat"])
def test_audit_events_never_show_invisible_use_cases(login, world: World, persona: str) -> None:
    client = login(persona)
    body = client.get("/api/v1/audit-events", {"limit": 500}).json()
    shown = {(e["object_type"], e["object_id"]) for e in body["items"]}
    hidden = world.alice_secret if persona == "charlie" else world.wealth_secret
    assert ("portfolio.usecase", str(hidden.pk)) not in shown
    assert ("portfolio.usecase", str(world.alice_uc.pk)) in shown
    assert not any(t == "auth.user" for t, _ in shown)  # role grants are for admins
    html = client.get("/audit/").content.decode()
    assert hidden.title not in html


def test_org_unit_counts_only_count_what_the_reader_may_see(login, world: World) -> None:
    def retail_count(persona: str) -> str:
        html = login(persona).get("/org-units/").content.decode()
        row = html[html.index(f"?org_unit={world.retail.pk}") :]
        return row[row.index(">") + 1 : row.index("<")]

    assert retail_count("bob") == "2"
    assert retail_count("charlie") == "1"
    html = login("charlie").get(f"/org-units/{world.retail.pk}/").content.decode()
    assert world.alice_secret.title not in html


def test_forbidden_session_write_on_the_page_changes_nothing(world: World) -> None:
    client = Client()
    client.force_login(world.bob)
    response = client.post(f"/use-cases/{world.alice_uc.pk}/edit/", {"title": "Hijacked"})
    assert response.status_code == 403
    world.alice_uc.refresh_from_db()
    assert world.alice_uc.title == "Mortgage document summariser"
