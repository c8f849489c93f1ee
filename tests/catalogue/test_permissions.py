"""Who may curate, link and see data products: every persona, plus the stewards."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User

from aiom.catalogue import services
from aiom.catalogue.models import DataProduct
from aiom.core.errors import InvalidInput, PermissionDenied
from tests.catalogue.conftest import Catalogue
from tests.conftest import World

# Who may add a data product to Retail Banking.
CURATE_RETAIL = {
    "alice": False,
    "bob": False,
    "charlie": False,
    "pat": False,
    "ada": True,
    "rita": False,
    "sam": True,
    "wendy": False,
    "gina": True,
}
# Who may link a data product to Alice's use case (who may edit it).
LINK_ALICE = {
    "alice": True,
    "bob": False,
    "charlie": False,
    "pat": False,
    "ada": True,
    "rita": False,
}


def person(world: World, cat: Catalogue, name: str) -> User | None:
    return getattr(cat, name, None) or world.persona(name)


@pytest.mark.parametrize(("name", "allowed"), CURATE_RETAIL.items())
def test_curating_retail_products(world: World, cat: Catalogue, name: str, allowed: bool) -> None:
    actor = person(world, cat, name)
    calls: list[Callable[[], object]] = [
        lambda: services.create_data_product(actor=actor, name="Branches", domain=world.retail),
        lambda: services.update_data_product(actor=actor, product=cat.customers, tags=["x"]),
        lambda: services.record_quality(actor=actor, product=cat.customers, score=80),
        lambda: services.retire_data_product(actor=actor, product=cat.customers, reason="old"),
    ]
    for call in calls:
        if allowed:
            call()
        else:
            with pytest.raises(PermissionDenied):
                call()
    assert DataProduct.objects.filter(name="Branches").exists() is allowed


def test_moving_a_product_needs_rights_in_the_new_domain(world: World, cat: Catalogue) -> None:
    with pytest.raises(PermissionDenied):
        services.update_data_product(actor=cat.sam, product=cat.customers, domain=world.wealth)
    with pytest.raises(InvalidInput):  # Sam, its steward, does not steward Wealth
        services.update_data_product(actor=cat.gina, product=cat.customers, domain=world.wealth)
    moved = services.update_data_product(
        actor=cat.gina, product=cat.customers, domain=world.wealth, steward=cat.wendy
    )
    assert (moved.domain, moved.steward) == (world.wealth, cat.wendy)


@pytest.mark.parametrize(("name", "allowed"), LINK_ALICE.items())
def test_linking_follows_use_case_editing(
    world: World, cat: Catalogue, name: str, allowed: bool
) -> None:
    actor = world.persona(name)
    if allowed:
        services.link_use_case(actor=actor, use_case=world.alice_uc, product=cat.applications)
        services.unlink_use_case(actor=actor, use_case=world.alice_uc, product=cat.applications)
    else:
        with pytest.raises(PermissionDenied):
            services.link_use_case(actor=actor, use_case=world.alice_uc, product=cat.applications)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("alice", 3),
        ("bob", 3),
        ("charlie", 3),
        ("pat", 1),  # external partners see public products only
        ("ada", 3),
        ("rita", 3),
        ("anonymous", 0),
    ],
)
def test_visibility(world: World, cat: Catalogue, name: str, expected: int) -> None:
    assert DataProduct.objects.visible_to(world.persona(name)).count() == expected


def test_invisible_products_answer_404(login, world: World, cat: Catalogue) -> None:
    client = login("pat")
    assert client.get(f"/data-products/{cat.customers.pk}/").status_code == 404
    assert client.get(f"/api/v1/data-products/{cat.customers.pk}").status_code == 404
    assert client.get(f"/data-products/{cat.markets.pk}/").status_code == 200
