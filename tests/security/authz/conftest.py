"""One `world` (plus reviews, KPIs, links, a data product, tokens) per test module.

The build runs inside a transaction rolled back at the end of the module; each case runs in
a savepoint of its own, rolled back too, so writes never leak into later cases.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client, override_settings

from aiom.similarity import snapshots
from tests.security.authz.objects import LABELS, Ctx, build_ctx
from tests.security.authz.rules import PERSONAS

FAST = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Setup:
    ctx: Ctx
    clients: dict[str, Client]  # persona -> a client logged in (session) as them
    titles: dict[str, str]  # use case label -> title


@pytest.fixture(scope="module")
def setup(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Setup]:
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST),
        transaction.atomic(),
    ):
        ctx = build_ctx()
        # The similarity snapshot a task worker would have published: with
        # AIOM_SIMILARITY_SYNC_REBUILD the first read would otherwise write it.
        snapshots.rebuild()
        clients = {}
        for name in PERSONAS:
            client = Client(raise_request_exception=False)
            user = ctx.world.persona(name)
            if user is not None:
                client.force_login(user)
            clients[name] = client
        titles = {label: ctx.uc(label).title for label in LABELS}
        yield Setup(ctx, clients, titles)
        transaction.set_rollback(True)
