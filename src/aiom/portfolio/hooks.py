"""What other apps do when something happens to a use case, inside the same write.

The portfolio's services `emit` an event inside their transaction, after the use case's
row and audit event are written; each subscriber runs then, so a subscriber's failure
rolls the whole write back and its rows commit with the use case's. Apps `subscribe` in
AppConfig.ready() (the registry's `use_case_hooks` store); subscribers of one event run in
the order they subscribed, which is the order of INSTALLED_APPS.

| event           | emitted by                      | keywords besides `use_case`
|-----------------|---------------------------------|----------------------------
| "created"       | `services.create_use_case`      | actor, reason (the proposal's message)
| "facts changed" | `services.update_use_case`      | actor, before, after (the snapshots)

Subscribed today: lifecycle records the first stage change on "created"; governance marks
the assessment stale and voids approvals on a material change ("facts changed").

This module imports no model, so an apps.py may import it at load time.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from aiom.core import registry

if TYPE_CHECKING:
    from aiom.portfolio.models import UseCase

Event = Literal["created", "facts changed"]
CREATED: Event = "created"
FACTS_CHANGED: Event = "facts changed"
EVENTS: tuple[Event, ...] = (CREATED, FACTS_CHANGED)
STORE = "use_case_hooks"

Subscriber = Callable[..., object]


@dataclass(frozen=True)
class Hook:
    event: Event
    name: str
    call: Subscriber


def subscribe(event: Event, name: str, call: Subscriber) -> None:
    """Call `call(use_case=..., **keywords)` on every `event` (see the table above); one
    name subscribes once per event."""
    if event not in EVENTS:
        raise registry.RegistryError(f"{STORE}: no event {event!r}; there are: {EVENTS}")
    registry.add(STORE, f"{event}: {name}", Hook(event, name, call))


def emit(event: Event, use_case: "UseCase", **keywords: Any) -> None:
    """Run every subscriber of `event`, in order, in the caller's transaction."""
    hook: Hook
    for hook in registry.entries(STORE).values():
        if hook.event == event:
            hook.call(use_case=use_case, **keywords)
