"""Write benchmark: concurrent creates (POST /api/v1/use-cases) against `aiom serve`.

Starts `aiom serve` on a free loopback port over the given database (the helpers of
benchmarks/load.py), then N client threads (keep-alive, one connection each) send only
creates for T seconds. Prints creates/s, p50/p95/p99 and errors. Then, in this process,
it creates `--profile` more use cases through the service and reports what one create
costs: its SQL statements and transactions, its time, the write transaction's time (on
SQLite the write lock is held that long: creates/s x transaction time is the lock's
utilisation) and the audit append's share (head read, HMAC, insert, head update; the
audit listeners timed apart). Figures, not assertions; the creates stay in the database,
so run it over a scratch copy.

    cp -a /path/to/bench-100k/. /tmp/bench-copy/
    .venv/bin/python benchmarks/writes.py --database-url sqlite:////tmp/bench-copy/aiom.sqlite3
        [--clients 16] [--seconds 20] [--workers N] [--profile 200]
"""

import argparse
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from load import DEFAULT_DB, free_port, percentile, prepare, serve  # noqa: E402


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=f"sqlite:///{DEFAULT_DB}")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=0, help="default: aiom serve's own")
    parser.add_argument("--profile", type=int, default=200, help="in-process creates to time")
    return parser.parse_args()


@dataclass
class Target:
    """Where the creates go: an org unit and an owner (the benchmark's administrator)."""

    units: list[int]
    owner: int


def target() -> Target:
    from django.contrib.auth.models import User
    from django.db import connections

    from aiom.organisation.models import OrgUnit

    units = list(OrgUnit.objects.order_by("pk").values_list("pk", flat=True)[:50])
    owner = User.objects.get(username="bench-admin").pk
    connections.close_all()
    return Target(units, owner)


@dataclass
class Samples:
    ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, ms: float, error: str) -> None:
        with self.lock:
            self.ms.append(ms)
            if error:
                self.errors.append(error)


def post(conn: http.client.HTTPConnection, token: str, where: Target, n: int, i: int) -> str:
    """One create; the error, or "" when it answered 201."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    body = {
        "title": f"Write benchmark client {n} use case {i}",
        "org_unit": where.units[(n + i) % len(where.units)],
        "owner": where.owner,
        "problem": "Invoices are keyed in by hand.",
    }
    try:
        conn.request("POST", "/api/v1/use-cases", body=json.dumps(body), headers=headers)
        response = conn.getresponse()
        data = response.read()
    except (http.client.HTTPException, OSError) as exc:
        conn.close()  # reconnects on the next request
        return repr(exc)
    return "" if response.status == 201 else f"HTTP {response.status} {data[:200]!r}"


def drive(n: int, port: int, token: str, where: Target, samples: Samples, stop: Any) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    i = 0
    while not stop.is_set():
        i += 1
        started = time.perf_counter()
        error = post(conn, token, where, n, i)
        samples.add((time.perf_counter() - started) * 1000, error)
    conn.close()


def tree_cpu(root: int) -> float:
    """CPU seconds (user + system) used so far by process `root` and its descendants:
    the server's cost per create, whatever else the machine is doing."""
    stats: dict[int, tuple[int, float]] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    family, total, grew = {root}, 0.0, True
    while grew:
        more = {pid for pid, (ppid, _) in stats.items() if ppid in family} - family
        grew = bool(more)
        family |= more
    for pid in family:
        total += stats.get(pid, (0, 0.0))[1]
    return total


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def run_http(url: str, args: argparse.Namespace, token: str, where: Target) -> None:
    port = free_port()
    server = serve(url, port, args.workers, ["--no-collectstatic"])
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # still stop the server
    samples, stop = Samples(), threading.Event()
    try:
        for n in range(4 * (args.workers or 4)):  # warm every worker up before measuring
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            post(conn, token, where, -1, n)  # a new connection: maybe another worker
            conn.close()
        print(f"aiom serve on 127.0.0.1:{port}; {args.clients} clients, creates only")
        print(f"load average before: {load_average()}")
        threads = [
            threading.Thread(target=drive, args=(n, port, token, where, samples, stop))
            for n in range(args.clients)
        ]
        cpu_before = tree_cpu(server.pid)
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        time.sleep(args.seconds)
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        elapsed = time.perf_counter() - started
        cpu = tree_cpu(server.pid) - cpu_before
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    ms = samples.ms
    print(
        f"\n{args.clients} clients for {elapsed:.1f} s: {len(ms):,} creates, "
        f"{len(ms) / elapsed:.1f} creates/s, {len(samples.errors)} errors"
    )
    print(
        f"latency ms: p50 {percentile(ms, 50):.1f}  p95 {percentile(ms, 95):.1f}  "
        f"p99 {percentile(ms, 99):.1f}  max {max(ms, default=float('nan')):.1f}"
    )
    print(
        f"server CPU: {cpu:.1f} s, {cpu / max(len(ms), 1) * 1000:.1f} ms per create "
        f"(on {os.cpu_count()} cores that alone caps it at "
        f"{(os.cpu_count() or 1) / max(cpu / max(len(ms), 1), 1e-9):.0f} creates/s)"
    )
    print(f"load average after: {load_average()}")
    for example in samples.errors[:5]:
        print(f"  error: {example}")
    verdict = (
        "met"
        if len(ms) / elapsed >= 120 and percentile(ms, 95) <= 200 and not samples.errors
        else "MISSED"
    )
    print(f"target (>= 120 creates/s, p95 <= 200 ms, zero errors): {verdict}")


class Timer:
    """Wraps a module function; sums the time spent in it (outermost calls only)."""

    def __init__(self, module: Any, name: str) -> None:
        self.module, self.name, self.total, self.depth = module, name, 0.0, 0
        self.last = 0.0  # when the last outermost call started
        self.original: Callable[..., Any] = getattr(module, name)

        def timed(*a: Any, **kw: Any) -> Any:
            self.depth += 1
            started = time.perf_counter()
            if self.depth == 1:
                self.last = started
            try:
                return self.original(*a, **kw)
            finally:
                self.depth -= 1
                if self.depth == 0:
                    self.total += time.perf_counter() - started

        setattr(module, name, timed)

    def restore(self) -> None:
        setattr(self.module, self.name, self.original)


def profile(args: argparse.Namespace, where: Target) -> None:
    """One create, taken apart in this process: statements, transactions, audit share."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from aiom.core import audit
    from aiom.insights.analytics import facts
    from aiom.portfolio import services

    admin = User.objects.get(pk=where.owner)

    def create(i: int) -> None:
        services.create_use_case(
            actor=admin,
            title=f"Write benchmark profile {i}",
            org_unit=where.units[i % len(where.units)],
            owner=admin.pk,
            problem="Invoices are keyed in by hand.",
        )

    create(-1)  # warm: imports, the policy, the key
    with CaptureQueriesContext(connection) as ctx:
        create(0)
    sql = [q["sql"] for q in ctx.captured_queries]
    begins = sum(1 for s in sql if s.upper().startswith("BEGIN"))
    commits = sum(1 for s in sql if s.upper() == "COMMIT")
    print(
        f"\none create (service, in process): {len(sql)} statements, "
        f"{begins} BEGIN, {commits} COMMIT"
    )
    print(f"  {len(sql) - 2 * min(begins, commits)} statements besides BEGIN/COMMIT")

    timers = {
        "record": Timer(audit, "record"),
        "hmac": Timer(audit, "compute_hash"),
        "listeners": Timer(audit, "_notify"),
        "facts": Timer(facts, "compute"),
    }
    held, committed = 0.0, [0.0]  # from the append (which takes the chain head) to COMMIT
    real_commit = connection.commit

    def commit_stamped() -> None:
        real_commit()
        committed[0] = time.perf_counter()

    connection.commit = commit_stamped  # type: ignore[method-assign]
    started, cpu_started = time.perf_counter(), time.process_time()
    for i in range(1, args.profile + 1):
        create(i)
        held += committed[0] - timers["record"].last
    total, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    for t in timers.values():
        t.restore()
    connection.commit = real_commit  # type: ignore[method-assign]
    n = args.profile
    record = timers["record"].total
    append = record - timers["listeners"].total
    per = {k: v.total / n * 1000 for k, v in timers.items()}
    print(
        f"{n} creates in process: {total / n * 1000:.2f} ms each, {cpu / n * 1000:.2f} ms "
        f"CPU (one writer: about the write lock's hold per create on SQLite)"
    )
    print(
        f"  audit append (head read, HMAC, insert, head update): {append / n * 1000:.3f} ms "
        f"= {append / total:.1%} of a create; HMAC alone {per['hmac']:.3f} ms"
    )
    print(
        f"  audit listeners (facts mark, approvals, publications): {per['listeners']:.3f} ms "
        f"= {timers['listeners'].total / total:.1%}"
    )
    print(
        f"  facts recompute: {per['facts']:.3f} ms = {timers['facts'].total / total:.1%}; "
        f"the chain head is held from the append to the commit (PostgreSQL: a row lock, "
        f"SELECT ... FOR UPDATE) {held / n * 1000:.2f} ms = {held / total:.1%} of a create"
    )
    print(
        f"  creates/s one writer could sustain if the append were all it did: "
        f"{1000 / max(append / n * 1000, 1e-6):,.0f}"
    )
    print(f"load average: {load_average()}")


def main() -> None:
    args = parse()
    url = args.database_url
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        raise SystemExit(f"no database at {url}; see benchmarks/load.py --help to build one")
    fx = prepare(url, args.clients)
    where = target()
    run_http(url, args, fx.token, where)
    profile(args, where)


if __name__ == "__main__":
    main()
