"""The kinds of finding the sweep makes: the registry's `sweep_finders` store.

Each app registers the finders of what it keeps from its AppConfig.ready() (lifecycle
its stalled pilots and stages past their SLA, monitoring its overdue reviews and KPIs out
of bounds, ...), so notifications calls them without importing the apps. `order` places a
kind in the sweep's output, which notices and the report keep: the sweep runs the finders
by `order`, then kind, whatever order the apps were loaded in.

Model-free, so an apps.py can import it at load time.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiom.core import registry

if TYPE_CHECKING:
    from aiom.governance.policy.schema import Policy
    from aiom.notifications.findings import Finding

STORE = "sweep_finders"

# Read-only: a parsed policy and a date in, findings out, in a fixed number of queries.
Find = Callable[[dt.date, "Policy"], list["Finding"]]


@dataclass(frozen=True)
class Finder:
    kind: str  # a NoticeKind: what each of its findings is
    find: Find
    order: int


def register(kind: str, find: Find, *, order: int) -> None:
    """Make the sweep call `find(today, policy)` for findings of `kind`."""
    registry.add(STORE, kind, Finder(kind, find, order))


def in_order() -> list[Finder]:
    """The registered finders in the order the sweep reports them."""
    return sorted(registry.entries(STORE).values(), key=lambda f: (f.order, f.kind))
