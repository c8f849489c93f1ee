"""Spreading the portfolio-wide work over the machine's cores, when it is big enough.

Tokenising every document and scoring every candidate pair are pure Python and CPU
bound; from AIOM_SIMILARITY_PARALLEL_MIN items on they run in forked worker processes
that inherit the inputs (nothing but the results is copied back). Below it, where fork
does not exist, with `AIOM_SIMILARITY_WORKERS=1`, or off the main thread (never fork from a thread),
everything runs in this process; results are the same.
Caveat: the children must not touch the database or take locks; the callers give them
pure functions over plain data.

One child per part, each answering through its own pipe: no multiprocessing.Pool. A
Pool's idle child waits for more work holding the task queue's lock; when a stop signal
killed the children, the parent's `Pool.terminate()` waited for that lock forever, so a
stopped task worker hung until the supervisor killed it and its task was not requeued.
Here a child holds nothing the parent waits for, and the parent kills what is left.
"""

import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
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
    """A child takes the default stop signals: whatever handler the parent had installed
    (a task worker's graceful stop) must not run in a child."""
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
        return _forked(fn, n)
    finally:
        for key in inputs:
            _shared.pop(key, None)


def _forked[T](fn: Callable[[int, int], T], parts: int) -> list[T]:
    context = multiprocessing.get_context("fork")
    children: list[tuple[BaseProcess, Connection]] = []
    try:
        for part in range(parts):
            reader, writer = context.Pipe(duplex=False)
            process = context.Process(target=_child, args=(fn, part, parts, writer), daemon=True)
            process.start()
            writer.close()  # the child's end: a child that dies closes it (EOFError here)
            children.append((process, reader))
        results = []
        for child, reader in children:
            try:
                ok, answer = reader.recv()
            except EOFError:
                raise RuntimeError(f"a forked part of the work died ({child.exitcode})") from None
            if not ok:
                raise RuntimeError(f"a forked part of the work failed: {answer}")
            results.append(answer)
        return results
    finally:  # done, failed or interrupted: no child outlives the call
        for child, reader in children:
            if child.is_alive():
                child.kill()
            child.join()
            reader.close()


def _child[T](fn: Callable[[int, int], T], part: int, parts: int, writer: Connection) -> None:
    _child_signals()
    try:
        writer.send((True, fn(part, parts)))
    except Exception as exc:  # the parent raises it, named
        writer.send((False, f"{type(exc).__name__}: {exc}"))
    finally:
        writer.close()
