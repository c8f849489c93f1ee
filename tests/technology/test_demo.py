"""The demo registry makes reuse and silos visible on one shared demo load."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from aiom.demo.data import ADMIN_USERNAME
from aiom.demo.loader import load_demo
from aiom.technology import queries
from aiom.technology.models import AIModel, Platform, Vendor

FAST = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def loaded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST),
        transaction.atomic(),
    ):
        load_demo(today=timezone.localdate() - dt.timedelta(days=10))
        yield
        transaction.set_rollback(True)


def test_the_demo_registry_shows_reuse_and_silos(loaded: None, db: Any) -> None:
    assert Vendor.objects.filter(name__in=["Microsoft", "OpenAI", "AWS"]).count() == 3
    assert AIModel.objects.filter(vendor=None).count() >= 2  # in-house models
    assert Platform.objects.count() == 2
    admin = User.objects.get(username=ADMIN_USERNAME)
    platforms = {p.name: p for p in queries.platforms_for(admin)}
    assert platforms["LLM gateway"].reuse.key == "shared"
    assert platforms["LLM gateway"].units >= 3 and platforms["Group ML platform"].uses >= 3
    assert any(v.reuse.key == "silo" for v in queries.vendors_for(admin))
    assert all(m.owners.exists() for m in AIModel.objects.all())
