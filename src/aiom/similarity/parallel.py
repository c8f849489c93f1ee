"""Spreading the portfolio-wide work over the machine's cores, when it is big enough.

Tokenising every document and scoring every candidate pair are pure Python and CPU
bound; from AIOM_SIMILARITY_PARALLEL_MIN items on they run in forked worker processes
that inherit the inputs (nothing but the results is copied back). Below it, where fork
does not exist, with `AIOM_SIMILARITY_WORKERS=1`, or off the main thread (never fork from a thread),
everything runs in this process; results are the same.
Caveat: the children must not touch the database or take locks; the callers give them
pure functions over plain data.
"""

import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings

# What the forked children read: set just before the pool forks, cleared after.
_shared: dict[str, Any] = {}


def workers(items: int) -> int:
    """Processes for `items`: 1 (this process) when small, where fork does not exist, or
    when called from any thread but the main one. Forking from a thread (a web worker's
    index rebuild) copies a process whose other threads hold locks; such children were
    seen to outlive their server, stuck, holding its listening socket (issue 15)."""
    if items < min_items() or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if threading.current_thread() is not threading.main_thread():
        return 1
    return max(1, int(settings.AIOM_SIMILARITY_WORKERS) or os.cpu_count() or 1)


def min_items() -> int:
    """From how many items on the work forks (AIOM_SIMILARITY_PARALLEL_MIN)."""
    return int(settings.AIOM_SIMILARITY_PARALLEL_MIN)


def _child_signals() -> None:
    """A pool child takes the default stop signals: whatever handler the parent had
    installed (a task worker's graceful stop) must not run in a child, where it turned
    the pool's SIGTERM at shutdown into a half-finished exit that its parent waited on."""
    for name in ("SIGTERM", "SIGINT", "SIGQUIT", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)


def shared(key: str) -> Any:
    return _shared[key]


def fork_map[T](fn: Callable[[int, int], T], items: int, inputs: dict[str, Any]) -> Sequence[T]:
    """[fn(part, parts) for each part], in forked children when `items` is large.

    `fn` is a module-level function that reads its inputs with `shared(key)` and does
    the part-th share of the work (for example every index i with i % parts == part)."""
    n = workers(items)
    _shared.update(inputs)
    try:
        if n == 1:
            return [fn(0, 1)]
        with multiprocessing.get_context("fork").Pool(n, initializer=_child_signals) as pool:
            return pool.starmap(fn, [(part, n) for part in range(n)])
    finally:
        for key in inputs:
            _shared.pop(key, None)
