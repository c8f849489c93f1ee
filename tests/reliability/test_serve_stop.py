"""`aiom serve` stopped in the middle of background work that forked a pool (issue 15):
within a bound, no process of ours is left (the supervisor, gunicorn, the task worker, the
pool's children, anything in their sessions or process groups), the port is free, and the
task is not left RUNNING: a stop signal requeues it at once, a SIGKILLed supervisor's
workers die with it (PR_SET_PDEATHSIG) and the next start (`aiom tasks reclaim`, which
every worker runs when it starts) requeues it."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.reliability.procs import REPO, Child, must

BOUND_SECONDS = 15.0  # graceful timeout (10) + the supervisor's margin (2) + slack
TASK = "tests.reliability.forking_task.fork_and_sleep"
ENQUEUE = (
    f"from {TASK.rpartition('.')[0]} import fork_and_sleep; print(fork_and_sleep.enqueue(120).id)"
)
STATE = "from django_tasks_db.models import DBTaskResult as R; print(R.objects.get(pk={!r}).status)"


@dataclass(frozen=True)
class Proc:
    pid: int
    ppid: int
    pgid: int
    sid: int
    start: str
    state: str
    cmdline: str


def processes() -> dict[int, Proc]:
    """Every process on the machine, read from /proc (psutil is not installed)."""
    found = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{name}/stat").read_text(errors="replace")
            cmdline = Path(f"/proc/{name}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = stat.rpartition(")")[2].split()
        pid = int(name)
        found[pid] = Proc(
            pid, int(fields[1]), int(fields[2]), int(fields[3]), fields[19], fields[0], cmdline
        )
    return found


def descendants(root: int, table: dict[int, Proc]) -> dict[int, Proc]:
    out = {root: table[root]} if root in table else {}
    grew = True
    while grew:
        grew = False
        for p in table.values():
            if p.ppid in out and p.pid not in out:
                out[p.pid] = p
                grew = True
    return out


def survivors(ours: dict[int, Proc], groups: set[int]) -> list[Proc]:
    """Our recorded processes still alive (same pid and start, not a zombie), and anything
    alive in the sessions or process groups our children made."""
    return [
        p
        for p in processes().values()
        if p.state != "Z"
        and ((p.pid in ours and ours[p.pid].start == p.start) or {p.pgid, p.sid} & groups)
    ]


def listening(port: int) -> bool:
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            if state == "0A" and int(local.rpartition(":")[2], 16) == port:
                return True
    return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def can_bind(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def healthy(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", "/healthz")
        return conn.getresponse().status == 200
    except OSError:
        return False


def wait_for_pool(serve: subprocess.Popen[bytes], port: int, log: Path) -> list[Proc]:
    """The task worker's forked children, once at least two exist and the server answers."""
    deadline = time.monotonic() + 120
    while True:
        assert serve.poll() is None, log.read_text()[-3000:]
        assert time.monotonic() < deadline, f"no pool: {log.read_text()[-3000:]}"
        table = processes()
        ours = descendants(serve.pid, table)
        workers = {p.pid for p in ours.values() if "tasks work" in p.cmdline}
        pool = [p for p in ours.values() if p.ppid in workers and p.state != "Z"]
        if len(pool) >= 2 and healthy(port):
            return pool
        time.sleep(0.05)


def _serve(child: Child, port: int, log: Path) -> subprocess.Popen[bytes]:
    argv = ["serve", "--port", str(port), "--workers", "1", "--no-collectstatic"]
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "aiom", *argv, "--task-workers", "1"],
        cwd=REPO,
        env=child.env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )


def _status(child: Child, task_id: str) -> str:
    return must(child.aiom("shell", "-c", STATE.format(task_id))).strip().splitlines()[-1]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=str)
def test_stopping_the_server_during_a_forked_rebuild_leaves_nothing(
    child: Child, tmp_path: Path, sig: signal.Signals
) -> None:
    child.env.update(
        AIOM_SIMILARITY_PARALLEL_MIN="1",
        AIOM_SIMILARITY_WORKERS="2",
        AIOM_TASKS_REQUEUE=TASK,  # like an index rebuild: may simply run again
        AIOM_SWEEP_MINUTES="600",
    )
    task_id = must(child.aiom("shell", "-c", ENQUEUE)).strip().splitlines()[-1]
    port, log = free_port(), tmp_path / "serve.log"
    serve = _serve(child, port, log)
    ours: dict[int, Proc] = {}
    try:
        pool = wait_for_pool(serve, port, log)
        ours = descendants(serve.pid, processes())
        groups = {p.pgid for p in ours.values()} | {p.sid for p in ours.values()}
        groups -= {os.getpgid(0), os.getsid(0)}  # the supervisor runs in the test's own
        assert len(pool) >= 2 and len(groups) >= 2  # gunicorn's and the task worker's
        began = time.monotonic()
        serve.send_signal(sig)
        gone: dict[str, float] = {}  # when each process went, for the report
        while (left := survivors(ours, groups)) or listening(port):
            assert time.monotonic() - began < BOUND_SECONDS, (
                f"left after {BOUND_SECONDS} s: {left}, "
                f"listening: {listening(port)}\n{log.read_text()[-3000:]}"
            )
            alive = {(p.pid, p.start) for p in left}
            for p in ours.values():
                if (p.pid, p.start) not in alive:
                    gone.setdefault(f"{p.pid} {p.cmdline[:60]}", time.monotonic() - began)
            time.sleep(0.02)
        elapsed = time.monotonic() - began
        print(f"{sig.name}: {len(ours)} processes gone and port free in {elapsed:.2f} s")
        for name, at in sorted(gone.items(), key=lambda item: item[1]):
            print(f"  {at:6.2f} s  {name}")
        assert can_bind(port)
        assert serve.wait(timeout=30) == (-signal.SIGKILL if sig == signal.SIGKILL else 0)
    finally:
        for p in survivors(ours, set()):  # only what this test started
            os.kill(p.pid, signal.SIGKILL)
        serve.wait(timeout=30)
    if sig == signal.SIGKILL:
        assert _status(child, task_id) == "RUNNING"  # its worker was killed with it
        assert must(child.aiom("tasks", "reclaim")).strip() == "1 requeued, 0 failed"
    assert _status(child, task_id) == "READY"  # it will run again


def test_a_dead_task_worker_is_restarted_and_a_dead_gunicorn_stops_everything(
    child: Child, tmp_path: Path
) -> None:
    port, log = free_port(), tmp_path / "serve.log"
    serve = _serve(child, port, log)
    ours: dict[int, Proc] = {}
    try:
        deadline = time.monotonic() + 120

        def children(marker: str) -> list[Proc]:
            table = processes()
            return [
                p
                for p in table.values()
                if p.ppid == serve.pid and marker in p.cmdline and p.state != "Z"
            ]

        while not (healthy(port) and children("tasks work")):
            assert serve.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.05)
        (worker,) = children("tasks work")
        os.kill(worker.pid, signal.SIGKILL)
        while not [p for p in children("tasks work") if p.pid != worker.pid]:
            assert time.monotonic() < deadline, f"not restarted: {log.read_text()[-3000:]}"
            time.sleep(0.05)
        ours = descendants(serve.pid, processes())
        (gunicorn,) = children("gunicorn")
        os.kill(gunicorn.pid, signal.SIGKILL)
        assert serve.wait(timeout=BOUND_SECONDS) != 0  # the server is down: say so
        groups = {p.pgid for p in ours.values()} - {os.getpgid(0)}
        while left := survivors(ours, groups):
            assert time.monotonic() < deadline, left
            time.sleep(0.05)
    finally:
        for p in survivors(ours, set()):
            os.kill(p.pid, signal.SIGKILL)
        if serve.poll() is None:
            serve.kill()
        serve.wait(timeout=30)
    assert "restarting in 1 s" in log.read_text()
