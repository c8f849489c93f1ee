"""Registering with the audit trail: the listeners after, and the guards before, each write.

Apart from `core.audit` because that module imports models, and apps register from their
AppConfig.ready(), which may only import what loads before the models do: an app's apps.py
imports this module at load time. `core.audit` reads the two stores filled here.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import models

from aiom.core import registry

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

Listener = Callable[[list[models.Model]], None]
LISTENERS = "audit_listeners"

Guard = Callable[["User | AnonymousUser | None"], None]
GUARDS = "audit_guards"


def listen(listener: Listener) -> None:
    """Call `listener(objects)` inside the transaction of every audited write, after its
    events are appended: how an app keeps a read model of the domain (value's facts)
    without core knowing the domain. The registry's `audit_listeners` store, under the
    listener's dotted name; listeners run in the order they were registered."""
    registry.add(LISTENERS, f"{listener.__module__}.{listener.__qualname__}", listener)


def guard(check: Guard) -> None:
    """Call `check(actor)` before every audited write; it raises to refuse the write.

    The backstop for rules that hold for every write whatever its route or service (an
    external partner writes nothing): a service that forgot its own check still cannot
    write, because every write records an event. Core knows no domain; apps register (the
    registry's `audit_guards` store, under the check's dotted name).
    """
    registry.add(GUARDS, f"{check.__module__}.{check.__qualname__}", check)
