"""Small facts about processes (Linux /proc, prctl), with no Django: the supervisor of
`aiom serve` and the task workers use them."""

import ctypes
import ctypes.util
import logging
import os
import sys

log = logging.getLogger("aiom.serve")
PR_SET_PDEATHSIG = 1


def process_start(pid: int) -> str | None:
    """The start time of process `pid` in clock ticks since boot (Linux), or None."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            stat = handle.read()
    except OSError:
        return None
    return stat.rpartition(")")[2].split()[19]  # field 22: starttime


def group_members(pgid: int) -> list[int]:
    """The pids of the live (not zombie) processes in the process group `pgid` (Linux)."""
    found = []
    for name in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rpartition(")")[2].split()
        except OSError:
            continue
        if fields and fields[0] != "Z" and int(fields[2]) == pgid:
            found.append(int(name))
    return found


def die_with_parent(sig: int) -> None:
    """Have the kernel send `sig` to this process when its parent dies (Linux only)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - no libc with prctl
        log.warning("PR_SET_PDEATHSIG is not available; children may outlive their parent")


def exit_now(code: int) -> None:
    """Leave at once once output is flushed: a Django process's interpreter teardown takes
    a second or more on a loaded machine, and a stopping server has nothing left to tidy."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
