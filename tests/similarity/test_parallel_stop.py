"""A stop signal to a process and its forked children never leaves the process waiting.

The rebuild's forked work used a multiprocessing.Pool: a child that had finished its part
waited for more holding the task queue's lock, and when a stop signal killed the children,
`Pool.terminate()` in the parent waited for that lock forever; a stopped task worker hung
until the supervisor killed it, and its task stayed RUNNING instead of being requeued.
"""

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import os, signal, threading, time
from aiom.similarity import parallel

class Stop(Exception):
    pass

def stop(signum, frame):
    raise Stop()

def work(part, parts):
    if part == 1:
        time.sleep(60)  # part 0 is done at once and waits, idle
    return part

def send_stop():
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})  # for the main thread
    time.sleep(1.0)
    os.killpg(os.getpgid(0), signal.SIGTERM)  # this process and its children, as serve does

signal.signal(signal.SIGTERM, stop)
threading.Thread(target=send_stop, daemon=True).start()
try:
    parallel._forked(work, 2)
except Stop:
    print("stopped", flush=True)
"""


def test_a_stop_signal_to_the_group_ends_the_forked_work_at_once() -> None:
    src = Path(__file__).resolve().parents[2] / "src"
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SCRIPT],
        env={**os.environ, "PYTHONPATH": str(src)},
        capture_output=True,
        text=True,
        timeout=30,  # the Pool waited forever here
        start_new_session=True,  # its own process group: the signal reaches only it
    )
    assert done.stdout.strip() == "stopped", done.stderr
    assert done.returncode == 0
