"""Data stewards and a few data products, made through the services.

Sam stewards Retail Banking (and so Cards below it); Wendy stewards Wealth Management;
Gina is a data steward for the whole organisation.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from aiom.catalogue import services
from aiom.catalogue.models import DataProduct
from aiom.organisation.models import Role
from tests.conftest import World, make_person


def today() -> dt.date:
    return timezone.localdate()


@dataclass
class Catalogue:
    sam: User
    wendy: User
    gina: User
    applications: DataProduct  # Retail, steward Sam, internal, quality 85 today
    customers: DataProduct  # Retail, steward Sam, confidential, upstream of applications
    markets: DataProduct  # Wealth, public, no steward, never checked


def product(actor: Any, **fields: Any) -> DataProduct:
    return services.create_data_product(actor=actor, **fields)


@pytest.fixture
def cat(world: World) -> Catalogue:
    sam = make_person("sam", world.retail, (Role.DATA_STEWARD, world.retail))
    wendy = make_person("wendy", world.wealth, (Role.DATA_STEWARD, world.wealth))
    gina = make_person("gina", world.group, (Role.DATA_STEWARD, None))
    customers = product(
        sam,
        name="Retail customers",
        description="Every retail customer with contact details.",
        domain=world.retail,
        steward=sam,
        classification="confidential",
        personal_data=True,
        external_sources=["Core banking CRM"],
        tags=["customers", "KYC"],
    )
    applications = product(
        sam,
        name="Mortgage applications",
        description="Applications and their documents since 2019.",
        domain=world.retail,
        steward=sam,
        classification="internal",
        upstream=[customers],
        tags=["mortgages"],
    )
    services.record_quality(actor=sam, product=applications, score=85, checked_on=today())
    markets = product(wendy, name="Market prices", domain=world.wealth, classification="public")
    return Catalogue(
        sam, wendy, gina, DataProduct.objects.get(pk=applications.pk), customers, markets
    )
