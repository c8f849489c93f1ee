"""Figures kept until the portfolio changes: live, without recomputing per view.

Every domain write records an audit event, and every audit event moves the chain head's
hash, so the head hash (with today's date) names one state of the portfolio exactly. A
figure computed for that state and the same viewer is reused until any write moves the
head; then the next read recomputes. The check costs one indexed single-row query.

Viewers who see the whole portfolio (administrators, global reviewers) share entries
(the organisation says who, through `core.viewers`);
everyone else gets their own, so a figure never crosses a visibility boundary.
Caveat: per process (each `aiom serve` worker keeps its own), bounded to MAX_ENTRIES;
rows written behind the services' back (bulk benchmark data, raw SQL) are not seen until
the next audited write or the next day. `AIOM_ANALYTICS_MEMO=0` turns it off.
"""

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.utils import timezone

from aiom.core.context import request_in_progress
from aiom.core.models import AuditChainHead
from aiom.core.viewers import viewer

MAX_ENTRIES = 256
_entries: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_lock = threading.Lock()


def enabled() -> bool:
    return bool(settings.AIOM_ANALYTICS_MEMO)


_state: ContextVar[tuple[str, str] | None] = ContextVar("aiom_portfolio_state", default=None)
_reading: ContextVar[str | None] = ContextVar("aiom_figure_state", default=None)


def portfolio_state() -> str:
    """The audit chain head's hash: activating a policy is audited too, so it names both.

    Read once per request, and once per figure with the figures it is made of (every
    figure of one answer names the same state); an audited write forgets it (`moved`)."""
    reading = _reading.get()
    if reading is not None:
        return reading
    request = request_in_progress()
    seen = _state.get()
    if request and seen and seen[0] == request:
        return seen[1]
    head = AuditChainHead.objects.values_list("last_hash", flat=True).first() or ""
    if request:
        _state.set((request, head))
    return head


def moved() -> None:
    """The audit head moved in this context: read it again next time."""
    _state.set(None)
    _reading.set(None)


def viewer_key(user: Any) -> str:
    """Who the figure is for, as far as visibility goes."""
    return "system" if user is None else viewer(user).visibility_key


def _key(name: str, args: tuple[Any, ...], kwargs: dict[str, Any], state: str) -> tuple[Any, ...]:
    plain = tuple(viewer_key(a) if _is_user(a) else a for a in args)
    named = tuple(sorted((k, viewer_key(v) if k == "user" else v) for k, v in kwargs.items()))
    return (name, plain, named, timezone.localdate(), state)


def _is_user(value: Any) -> bool:
    return hasattr(value, "is_authenticated") and hasattr(value, "pk")


def live[**P, R](fn: Callable[P, R]) -> Callable[P, R]:
    """Reuse `fn`'s answer while the portfolio is unchanged; arguments must be hashable
    (scopes, dates, ids) apart from users, which are keyed by what they may see."""
    name = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if not enabled():
            return fn(*args, **kwargs)
        state = portfolio_state()
        key = _key(name, args, dict(kwargs), state)
        with _lock:
            if key in _entries:
                _entries.move_to_end(key)
                return _entries[key]  # type: ignore[no-any-return]
        token = _reading.set(state)  # the figures this one is made of read the same state
        try:
            result = fn(*args, **kwargs)
        finally:
            _reading.reset(token)
        with _lock:
            _entries[key] = result
            while len(_entries) > MAX_ENTRIES:
                _entries.popitem(last=False)
        return result

    return wrapper


def forget() -> None:
    """Drop every kept figure (tests; a restore)."""
    with _lock:
        _entries.clear()
