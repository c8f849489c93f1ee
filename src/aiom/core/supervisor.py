"""What `aiom serve` runs: gunicorn and the task workers, started and stopped together.

Each child runs in a process group (and session) of its own, with no inherited file
descriptor but stdin/stdout/stderr, so neither a task worker nor anything it forks ever
holds the listening socket (gunicorn opens it after its exec). Each child also gets
PR_SET_PDEATHSIG (Linux): gunicorn SIGTERM, a task worker SIGKILL, so a supervisor killed
with SIGKILL leaves nothing behind (a task worker's own children die with it the same way,
aiom.core.task_worker).

SIGTERM and SIGINT stop everything: SIGTERM to each child's whole group, `graceful`
seconds to finish, then SIGKILL to whatever is left in the groups. SIGHUP reloads:
gunicorn restarts its workers, the task workers are stopped and started again. When
gunicorn dies on its own, the workers are stopped and the supervisor exits non-zero; a task
worker that exits 0 (it grew too large, aiom.core.task_worker) is started again at once,
one that dies after a delay that doubles up to BACKOFF_MAX.
"""

import contextlib
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import FrameType

from aiom.core.processes import die_with_parent, group_members

log = logging.getLogger("aiom.serve")
POLL = 0.1
BACKOFF_MAX = 60.0
STEADY = 60.0  # a worker that ran this long before dying restarts after the first delay


def _kill_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def _child_setup(parent: int, deathsig: int) -> Callable[[], None]:
    def setup() -> None:
        die_with_parent(deathsig)
        if os.getppid() != parent:  # the supervisor died before prctl took effect
            os._exit(1)

    return setup


@dataclass
class Child:
    name: str
    argv: Sequence[str]
    deathsig: int
    proc: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    failures: int = 0
    restart_at: float = 0.0
    groups: set[int] = field(default_factory=set)

    def start(self) -> None:
        self.proc = subprocess.Popen(  # noqa: S603 - argv made by `aiom serve`, no user text
            list(self.argv),
            close_fds=True,
            start_new_session=True,
            preexec_fn=_child_setup(os.getpid(), self.deathsig),
        )
        self.started = time.monotonic()
        self.groups.add(self.proc.pid)  # its own session: the group id is its pid
        log.info("started %s (pid %s)", self.name, self.proc.pid)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


class Supervisor:
    def __init__(
        self, web: Sequence[str], worker: Sequence[str], workers: int, graceful: float
    ) -> None:
        self.web = Child("gunicorn", web, signal.SIGTERM)
        self.workers = [
            Child(f"task worker {n + 1}", worker, signal.SIGKILL) for n in range(workers)
        ]
        self.graceful = graceful
        self.stop_signal: int | None = None
        self.reload = False

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if signum == signal.SIGHUP:
            self.reload = True
        elif self.stop_signal is None:
            self.stop_signal = signum

    def run(self) -> int:
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, self._on_signal)
        self.web.start()
        for child in self.workers:
            child.start()
        code = self._watch()
        self._stop_all()
        return code

    def _watch(self) -> int:
        while self.stop_signal is None:
            if self.reload:
                self.reload = False
                self._reload()
            if not self.web.alive():
                code = self.web.proc.returncode if self.web.proc else 1
                log.error("gunicorn exited (%s); stopping the task workers", code)
                return code or 1
            now = time.monotonic()
            for child in self.workers:
                self._tend(child, now)
            time.sleep(POLL)
        return 0

    def _tend(self, child: Child, now: float) -> None:
        if child.alive():
            return
        if child.proc is not None:  # it died: restart after a delay
            code = child.proc.returncode
            if code == 0:  # it chose to stop (to start afresh): no failure
                child.failures, delay = 0, 0.0
            else:
                child.failures = 1 if now - child.started >= STEADY else child.failures + 1
                delay = min(BACKOFF_MAX, 2.0 ** (child.failures - 1))
            log.warning("%s exited (%s); restarting in %.0f s", child.name, code, delay)
            _kill_group(child.proc.pid, signal.SIGKILL)  # anything it left in its group
            child.groups.discard(child.proc.pid)
            child.proc, child.restart_at = None, now + delay
        if now >= child.restart_at:
            child.start()

    def _reload(self) -> None:
        if self.web.proc is not None:
            self.web.proc.send_signal(signal.SIGHUP)
        for child in self.workers:
            if child.alive() and child.proc is not None:
                _kill_group(child.proc.pid, signal.SIGTERM)
                child.failures, child.started = 0, time.monotonic() - STEADY

    def _stop_all(self) -> None:
        children = [self.web, *self.workers]
        groups = {g for child in children for g in child.groups}
        for pgid in groups:
            _kill_group(pgid, signal.SIGTERM)
        deadline = time.monotonic() + self.graceful
        while time.monotonic() < deadline and any(group_members(g) for g in groups):
            for child in children:
                if child.proc is not None:
                    child.proc.poll()  # reap
            time.sleep(POLL / 2)
        for pgid in groups:
            if group_members(pgid):
                log.warning("process group %s outlived the grace period: killed", pgid)
                _kill_group(pgid, signal.SIGKILL)
        for child in children:
            if child.proc is not None:
                try:
                    child.proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    log.error("%s (pid %s) did not exit", child.name, child.proc.pid)


def supervise(web: Sequence[str], worker: Sequence[str], workers: int, graceful: float) -> int:
    sys.stdout.flush()
    sys.stderr.flush()
    return Supervisor(web, worker, workers, graceful).run()
