"""The use-case page does not grow with headcount: people are chosen by search, so the
page renders the same queries and about the same bytes with 10 people or with 300."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aiom.organisation.models import Person
from tests.conftest import World

User = get_user_model()


def add_people(world: World, n: int) -> None:
    """`n` more internal people (bulk rows: test data of a headcount, not a write under test)."""
    start = User.objects.count()
    users = User.objects.bulk_create(
        [
            User(username=f"extra{start + i}", first_name="Extra", last_name=f"Person{i}")
            for i in range(n)
        ]
    )
    Person.objects.bulk_create([Person(user=u, org_unit=world.retail) for u in users])


def page(client: Any, pk: int) -> tuple[int, int, bytes]:
    client.get(f"/use-cases/{pk}/")  # warm: per-process caches are not headcount
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/use-cases/{pk}/")
    assert response.status_code == 200
    return len(captured.captured_queries), len(response.content), response.content


def test_the_page_is_the_same_with_10_or_300_people(login: Any, world: World) -> None:
    add_people(world, 10 - User.objects.count())
    viewers = ("ada", "alice", "bob")  # who sees every form, the owner, a colleague
    before = {name: page(login(name), world.alice_uc.pk) for name in viewers}
    assert b"data-person-picker" in before["ada"][2]  # the page does offer person pickers
    add_people(world, 290)
    assert User.objects.count() == 300
    for name in viewers:
        queries, size, html = page(login(name), world.alice_uc.pk)
        assert queries == before[name][0], name
        assert abs(size - before[name][1]) < 200, (name, before[name][1], size)
        assert b"Person289" not in html and b"Person5" not in html
