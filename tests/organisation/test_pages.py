"""The organisation's pages list use cases through portfolio's template tags: only those
the reader may see, the same as when the views computed them."""

from typing import Any

from tests.conftest import World


def test_unit_page_lists_what_the_reader_may_see_with_its_count(login: Any, world: World) -> None:
    bob = login("bob").get(f"/org-units/{world.retail.pk}/").content.decode()
    assert world.alice_uc.title in bob
    assert world.alice_secret.title in bob  # bob's home unit holds it
    assert "(2, sub-units included)" in bob
    charlie = login("charlie").get(f"/org-units/{world.retail.pk}/").content.decode()
    assert world.alice_uc.title in charlie
    assert world.alice_secret.title not in charlie
    assert "(1, sub-units included)" in charlie


def test_person_page_lists_owned_and_sponsored_use_cases_the_reader_may_see(
    login: Any, world: World
) -> None:
    html = login("bob").get(f"/people/{world.alice.pk}/").content.decode()
    owns = html[html.index("<h2>Owns</h2>") : html.index("<h2>Sponsors</h2>")]
    assert world.alice_uc.title in owns and world.alice_secret.title in owns
    assert "No use cases." in html[html.index("<h2>Sponsors</h2>") :]
    charlie = login("charlie").get(f"/people/{world.alice.pk}/").content.decode()
    assert world.alice_uc.title in charlie
    assert world.alice_secret.title not in charlie
