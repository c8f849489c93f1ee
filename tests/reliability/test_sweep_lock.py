"""`aiom sweep` on several hosts at once: a database lock lets one run at a time; the
others say who holds it and exit 0, so two runs never notify twice."""

import datetime as dt
import signal
import socket
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from aiom.core.locks import LockBusy, exclusive
from aiom.core.models import JobLock
from aiom.notifications.models import Notice
from tests.conftest import World
from tests.notifications.conftest import days_ago, make_use_case
from tests.reliability import procs
from tests.reliability.procs import Child, must

SKIPPED = "skipped: another sweep holds the lock"


def sweep(*args: str) -> str:
    out = StringIO()
    call_command("sweep", "--no-send", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_sweep_while_another_holds_the_lock_skips_and_notifies_nothing(world: World) -> None:
    for i in range(3):
        make_use_case(world, f"Long intake {i}", stage="intake", entered=days_ago(40 + i))
    with exclusive("sweep") as holder:
        out = sweep()
        assert out.startswith(f"{SKIPPED} ({holder}, since ")
        assert Notice.objects.count() == 0
        assert '"skipped": true' in sweep("--json")
    out = sweep()
    assert SKIPPED not in out
    assert Notice.objects.count() == 3
    assert JobLock.objects.get(name="sweep").holder == ""  # released


@pytest.mark.django_db(transaction=True)
def test_the_lock_is_exclusive_named_and_released_on_error() -> None:
    with exclusive("sweep"), pytest.raises(LockBusy) as busy, exclusive("sweep"):
        pass  # pragma: no cover - never entered
    assert busy.value.name == "sweep"
    with exclusive("sweep"), exclusive("another job"):
        pass  # different names do not exclude each other
    with pytest.raises(RuntimeError), exclusive("sweep"):
        raise RuntimeError("the job failed")
    with exclusive("sweep"):
        pass  # the failure released it


@pytest.mark.django_db(transaction=True)
def test_a_lock_row_left_by_a_crashed_holder_stops_blocking() -> None:
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead = f"{socket.gethostname()}:{gone.stdout.strip()}:cafe"
    alive_elsewhere = "another-host:1:beef"
    later = timezone.now() + dt.timedelta(hours=1)
    JobLock.objects.create(name="sweep", holder=dead, acquired_at=timezone.now(), expires_at=later)
    with exclusive("sweep") as holder:  # the holder's process no longer runs
        assert JobLock.objects.get(name="sweep").holder == holder
    JobLock.objects.filter(name="sweep").update(holder=alive_elsewhere, expires_at=later)
    if procs.on_postgresql():  # the advisory lock is the authority; the row only informs
        with exclusive("sweep"):
            pass
    else:
        with pytest.raises(LockBusy) as busy, exclusive("sweep"):
            pass  # pragma: no cover
        assert busy.value.holder == alive_elsewhere
        JobLock.objects.filter(name="sweep").update(expires_at=timezone.now())
        with exclusive("sweep"):  # the lease ran out
            pass


def test_two_sweep_processes_at_once_only_one_notifies(child: Child, tmp_path: Path) -> None:
    must(child.import_csv(procs.inventory_csv(tmp_path / "inventory.csv", 5)))
    holding, release = tmp_path / "holding", tmp_path / "release"
    first = child.popen(
        "sweep",
        "--hang",
        str(holding),
        "--release",
        str(release),
        module="tests.reliability.child",
    )
    try:
        procs.wait_for_file(holding, first)  # the first sweep holds the lock
        second = child.aiom("sweep", "--no-send")
        assert second.returncode == 0, second.stderr
        assert second.stdout.startswith(SKIPPED), second.stdout
        assert child.snapshot()["notices"] == 0
        release.touch()
        out, err = first.communicate(timeout=120)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == 0, err
    assert b"total" in out
    notified = child.snapshot()
    assert notified["notices"] == 5
    assert notified["chain_ok"], notified["chain_problem"]
    third = must(child.aiom("sweep", "--no-send"))
    assert SKIPPED not in third
    assert child.snapshot()["notices"] == 5


def test_a_sweep_killed_while_holding_the_lock_does_not_block_the_next(
    child: Child, tmp_path: Path
) -> None:
    must(child.import_csv(procs.inventory_csv(tmp_path / "inventory.csv", 2)))
    holding = tmp_path / "holding"
    first = child.popen(
        "sweep",
        "--hang",
        str(holding),
        "--release",
        str(tmp_path / "never"),
        module="tests.reliability.child",
    )
    procs.wait_for_file(holding, first)
    assert procs.kill(first) == -signal.SIGKILL
    out = must(child.aiom("sweep", "--no-send"))
    assert SKIPPED not in out
    assert child.snapshot()["notices"] == 2
