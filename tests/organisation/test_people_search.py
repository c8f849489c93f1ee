"""GET /api/v1/people/search: the person picker's suggestions. Internal people only, the
picker's own pool, bounded queries and a bounded rate."""

from typing import Any

import pytest

from aiom.organisation import people_search
from aiom.organisation import services as org
from aiom.organisation.models import Role
from tests.conftest import World, make_person

URL = "/api/v1/people/search"


@pytest.fixture(autouse=True)
def _fresh_rate() -> None:
    people_search._RECENT.clear()


def usernames(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [p["username"] for p in response.json()]


def test_every_word_narrows_and_a_match_says_who_it_is(login: Any, world: World) -> None:
    client = login("bob")
    assert set(usernames(client.get(URL, {"q": "example"}))) == {
        "alice", "bob", "charlie", "ada", "rita",
    }  # fmt: skip
    found = client.get(URL, {"q": "ali exa"}).json()
    assert found == [
        {
            "id": world.alice.pk,
            "label": "Alice Example (alice)",
            "name": "Alice Example",
            "username": "alice",
            "job_title": "",
            "org_unit": "Retail Banking",
        }
    ]
    assert usernames(client.get(URL, {"q": "rita@example"})) == ["rita"]


def test_partners_and_inactive_people_are_not_offered(login: Any, world: World) -> None:
    org.update_person(actor=None, user=world.charlie, is_active=False)
    assert usernames(login("ada").get(URL, {"q": "example"})) == ["ada", "alice", "bob", "rita"]
    assert usernames(login("ada").get(URL, {"q": "pat"})) == []


def test_a_partner_cannot_enumerate_people(login: Any, world: World) -> None:
    assert login("pat").get(URL, {"q": "example"}).status_code == 403
    assert login("anonymous").get(URL, {"q": "example"}).status_code == 401


def test_short_long_and_too_many_are_refused_or_empty(login: Any, world: World) -> None:
    client = login("bob")
    assert usernames(client.get(URL, {"q": "a"})) == []
    assert usernames(client.get(URL, {"q": "   "})) == []
    assert client.get(URL, {"q": "x" * 101}).status_code == 422
    assert client.get(URL, {"q": "example", "limit": 21}).status_code == 422
    assert client.get(URL, {"q": "example", "limit": 0}).status_code == 422
    assert len(usernames(client.get(URL, {"q": "example", "limit": 2}))) == 2


def test_a_role_pool_offers_its_holders_only(login: Any, world: World) -> None:
    make_person("steve_steward", world.retail, (Role.DATA_STEWARD, world.retail))
    client = login("bob")
    assert usernames(client.get(URL, {"q": "e", "pool": "role:data_steward"})) == []  # short
    assert usernames(client.get(URL, {"q": "exa", "pool": "role:data_steward"})) == [
        "steve_steward"
    ]
    assert client.get(URL, {"q": "exa", "pool": "role:partner"}).status_code == 422
    assert client.get(URL, {"q": "exa", "pool": "everyone"}).status_code == 422


def test_the_rate_is_bounded_per_person(login: Any, world: World) -> None:
    client = login("bob")
    for _ in range(people_search.RATE):
        assert client.get(URL, {"q": "example"}).status_code == 200
    refused = client.get(URL, {"q": "example"})
    assert refused.status_code == 429
    assert login("alice").get(URL, {"q": "example"}).status_code == 200  # per person


@pytest.mark.parametrize(
    ("earlier", "probe", "allowed"),
    [
        (60, 5.0, False),  # the 61st within the window
        (59, 5.0, True),
        (60, 10.5, True),  # the window has moved past them
    ],
)
def test_allow_counts_a_sliding_window(earlier: int, probe: float, allowed: bool) -> None:
    for _ in range(earlier):
        assert people_search.allow(1, now=0.0)
    assert people_search.allow(1, now=probe) is allowed
