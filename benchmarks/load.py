"""Load test: `aiom serve` on loopback over a large database, driven by concurrent clients.

Starts `aiom serve` (by default with the worker count it picks on this machine) on a free
loopback port over the given database, then N client threads (http.client, keep-alive, one
connection each) send a mix of requests for T seconds: the portfolio list and use-case pages
(session cookie), the API list and get (bearer token), and writes: API PATCH of a use case
with its version (each client edits its own use cases, so no 409 is expected), new KPI
measurements and, with --creates, new use cases (POST /api/v1/use-cases).
Prints the machine's load average before and after, throughput, p50/p95/p99 per kind and
errors (any status >= 400 or failed request), then the memory (RSS and PSS) of every process
`aiom serve` runs (gunicorn master and workers, task workers), found by walking /proc from
its pid while the load has just ended. Figures, not assertions; --json saves them. Caveat:
the writes stay in the database (titles toggled, measurements and use cases added); use a
scratch copy (AIOM_VAR_DIR=<copy>) if that matters.

The default database is the 100,000-use-case benchmark database; build it once with

    AIOM_VAR_DIR=var/bench-100k .venv/bin/python benchmarks/scale.py 100000 1

    .venv/bin/python benchmarks/load.py [--database-url URL] [--clients 16] [--seconds 30]
        [--workers N] [--writes 0.1] [--creates 0] [--only KINDS] [--json out.json]

The server inherits this process's environment (AIOM_VAR_DIR for the keys of that database).
"""

import argparse
import datetime as dt
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DB = REPO / "var" / "bench-100k" / "aiom.sqlite3"
READS = {"page_list": 2, "page_detail": 3, "api_list": 3, "api_get": 4}
WRITES = {"api_patch": 1, "measurement": 1, "creates": 0}  # creates: weight from --creates
KINDS = [*READS, *WRITES]


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=f"sqlite:///{DEFAULT_DB}")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=0, help="default: aiom serve's own")
    parser.add_argument("--writes", type=float, default=0.1, help="share of requests that write")
    parser.add_argument(
        "--creates",
        type=float,
        default=0.0,
        help="weight of use-case creates among the writes (patch and measurement weigh 1 each)",
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=-1,
        help="warm-up rounds (a page list, a use-case page, an API get each); default 4 per worker",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", default="", help="also save the figures to this JSON file")
    parser.add_argument(
        "--only", default="", help=f"comma-separated kinds to send (of {', '.join(KINDS)})"
    )
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Fixture:
    token: str
    session: str
    use_cases: list[int]
    kpis: list[int]
    homes: list[tuple[int, int]]  # (org unit, owner) pairs of existing use cases, for creates
    workers: int  # what `aiom serve` picks on this machine


def prepare(url: str, clients: int) -> Fixture:
    """Token, session and the ids to ask for, made in this process through the app."""
    os.environ["AIOM_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aiom.settings")
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connections

    from aiom.core import tokens
    from aiom.organisation import services as org
    from aiom.organisation.access import access_for
    from aiom.organisation.models import Role
    from aiom.portfolio.models import UseCase
    from aiom.value.models import KPI

    call_command("migrate", verbosity=0)
    admin = User.objects.filter(username="bench-admin").first()
    if admin is None:
        admin = org.create_person(actor=None, username="bench-admin", first_name="Bench")
        org.assign_role(actor=None, user=admin, role=Role.ADMINISTRATOR, org_unit=None)
    assert access_for(admin).is_admin, "bench-admin must be an administrator"
    _, token = tokens.create_token(  # the admin scope: it edits every use case, as an admin
        actor=None, user=admin, name=f"load {dt.datetime.now()}", scopes=("read", "write", "admin")
    )
    store = SessionStore()
    store[SESSION_KEY] = str(admin.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = admin.get_session_auth_hash()
    store.create()
    ids = list(UseCase.objects.order_by("pk").values_list("pk", flat=True)[: 2000 + clients * 20])
    kpis = list(KPI.objects.order_by("pk").values_list("pk", flat=True)[:2000])
    homes = list(
        UseCase.objects.order_by("pk")
        .filter(owner__isnull=False)
        .values_list("org_unit_id", "owner_id")[:500]
    )
    total = UseCase.objects.count()
    print(f"database: {connections['default'].vendor} {url} ({total:,} use cases)")
    connections.close_all()
    if not ids:
        raise SystemExit("the database has no use cases: build it first (see --help)")
    return Fixture(token, str(store.session_key), ids, kpis, homes, serve_default_workers())


def serve_default_workers() -> int:
    """The worker count `aiom serve` picks here: its own function, so the two never differ."""
    from aiom.core.management.commands import serve

    return int(serve.default_workers())


@dataclass
class Results:
    samples: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, ms: float, error: str = "") -> None:
        with self.lock:
            self.samples[kind].append(ms)
            if error:
                self.errors[kind] += 1
                if len(self.examples) < 10:
                    self.examples.append(f"{kind}: {error}")


class Client:
    def __init__(
        self, n: int, port: int, fx: Fixture, results: Results, args: Any, timeout: float = 30
    ) -> None:
        self.port, self.fx, self.results = port, fx, results
        self.rng = random.Random(args.seed + n)
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        # Each client edits its own use cases: versions it knows stay current.
        self.mine = fx.use_cases[n :: max(1, args.clients)][:20] or fx.use_cases[:1]
        self.versions: dict[int, int] = {}
        self.writes = args.writes
        only = {k.strip() for k in args.only.split(",") if k.strip()}
        self.reads = {k: w for k, w in READS.items() if not only or k in only}
        weights = dict(WRITES, creates=args.creates or (1.0 if "creates" in only else 0.0))
        self.write_kinds = {k: w for k, w in weights.items() if w > 0 and (not only or k in only)}
        if not self.write_kinds:
            self.writes = 0.0
        if not self.reads:
            self.writes = 1.0
        self.api = {"Authorization": f"Bearer {fx.token}", "Content-Type": "application/json"}
        self.page = {"Cookie": f"sessionid={fx.session}"}

    def request(self, method: str, path: str, headers: dict[str, str], body: Any = None) -> Any:
        data = json.dumps(body) if body is not None else None
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()  # the server closed a kept-alive connection: reconnect once
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def one(self) -> None:
        kinds = self.write_kinds if self.rng.random() < self.writes else self.reads
        kind = self.rng.choices(list(kinds), list(kinds.values()))[0]
        started = time.perf_counter()
        try:
            status, body = getattr(self, kind)()
            error = "" if status < 400 else f"HTTP {status} {body[:200]!r}"
        except Exception as exc:  # counted, never fatal
            error = repr(exc)
        self.results.add(kind, (time.perf_counter() - started) * 1000, error)

    def page_list(self) -> Any:
        page = self.rng.randint(1, 20)
        return self.request("GET", f"/use-cases/?page={page}", self.page)

    def page_detail(self) -> Any:
        return self.request("GET", f"/use-cases/{self.rng.choice(self.fx.use_cases)}/", self.page)

    def api_list(self) -> Any:
        offset = self.rng.randint(0, 500) * 10
        stage = self.rng.choice(["", "&stage=pilot", "&stage=operational"])
        return self.request("GET", f"/api/v1/use-cases?limit=50&offset={offset}{stage}", self.api)

    def api_get(self) -> Any:
        return self.request(
            "GET", f"/api/v1/use-cases/{self.rng.choice(self.fx.use_cases)}", self.api
        )

    def api_patch(self) -> Any:
        uc = self.rng.choice(self.mine)
        if uc not in self.versions:
            status, body = self.request("GET", f"/api/v1/use-cases/{uc}", self.api)
            if status != 200:
                return status, body
            self.versions[uc] = json.loads(body)["version"]
        title = f"Load-tested use case {uc} ({self.versions[uc] + 1})"
        payload = {"version": self.versions[uc], "title": title}
        status, body = self.request("PATCH", f"/api/v1/use-cases/{uc}", self.api, payload)
        if status == 200:
            self.versions[uc] = json.loads(body)["version"]
        else:
            self.versions.pop(uc, None)
        return status, body

    def creates(self) -> Any:
        org_unit, owner = self.rng.choice(self.fx.homes)
        n = self.rng.randrange(10**9)
        payload = {
            "title": f"Load-created use case {n}",
            "problem": f"Invoice matching for supplier batch {n} takes analysts two days",
            "org_unit": org_unit,
            "owner": owner,
        }
        return self.request("POST", "/api/v1/use-cases", self.api, payload)

    def measurement(self) -> Any:
        if not self.fx.kpis:
            return self.api_patch()
        kpi = self.rng.choice(self.fx.kpis)
        payload = {"value": str(self.rng.randint(1, 1000)), "measured_on": str(dt.date.today())}
        return self.request("POST", f"/api/v1/kpis/{kpi}/measurements", self.api, payload)


def serve(
    url: str, port: int, workers: int, extra: Sequence[str] = (), *, new_session: bool = False
) -> subprocess.Popen[bytes]:
    """`aiom serve` over `url` on loopback `port` (`extra` arguments; `new_session`: its own
    process group, to stop it with killpg), once /healthz answers (writes.py and
    portfolio_list.py start it through here too)."""
    env = dict(os.environ, AIOM_DATABASE_URL=url, AIOM_DEBUG="0", AIOM_LOG_LEVEL="WARNING")
    env["AIOM_ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    cmd = [sys.executable, "-m", "aiom", "serve", "--port", str(port), *extra]
    if workers:
        cmd += ["--workers", str(workers)]
    proc = subprocess.Popen(  # noqa: S603
        cmd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=REPO,
        start_new_session=new_session,
    )
    deadline = time.monotonic() + 600  # it first migrates facts and statistics: can be long
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"aiom serve exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status < 500:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("aiom serve did not answer within 600 s")


def percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def report(results: Results, seconds: float, clients: int) -> dict[str, Any]:
    total = sum(len(v) for v in results.samples.values())
    errors = sum(results.errors.values())
    figures: dict[str, Any] = {
        "requests": total,
        "req_per_s": round(total / seconds, 1),
        "errors": errors,
        "kinds": {},
    }
    print(
        f"\n{clients} clients for {seconds:.0f} s: {total:,} requests, "
        f"{total / seconds:.1f} req/s, {errors} errors"
    )
    print(
        f"\n{'kind':<14}{'count':>8}{'req/s':>8}"
        f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}"
    )
    groups = {
        **{k: [k] for k in [*READS, *WRITES]},
        "all reads": list(READS),
        "all writes": list(WRITES),
    }
    for label, kinds in groups.items():
        values = [v for k in kinds for v in results.samples.get(k, [])]
        if not values:
            continue
        errs = sum(results.errors.get(k, 0) for k in kinds)
        figures["kinds"][label] = {
            "count": len(values),
            "req_per_s": round(len(values) / seconds, 1),
            **{f"p{q}_ms": round(percentile(values, q), 1) for q in (50, 95, 99)},
            "errors": errs,
        }
        print(
            f"{label:<14}{len(values):>8}{len(values) / seconds:>8.1f}"
            f"{percentile(values, 50):>9.1f}{percentile(values, 95):>9.1f}"
            f"{percentile(values, 99):>9.1f}{errs:>8}"
        )
    for example in results.examples:
        print(f"  error: {example}")
    reads = [v for k in READS for v in results.samples.get(k, [])]
    if reads:
        verdict = "met" if percentile(reads, 95) <= 100 and errors == 0 else "MISSED"
        print(f"\ntarget (zero errors, reads p95 <= 100 ms): {verdict}")
        figures["read_target"] = verdict
    figures["error_examples"] = list(results.examples)
    return figures


def descendants(root: int) -> list[int]:
    """`root` and every process below it, from /proc (the parent is field 4 of stat)."""
    children: dict[int, list[int]] = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children[parent].append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def memory_of(pid: int) -> dict[str, Any] | None:
    """A process's command, RSS (VmRSS) and PSS (smaps_rollup) in MB; None once it is gone."""
    try:
        cmdline = (Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")).decode()
        status = Path(f"/proc/{pid}/status").read_text()
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return None

    def kb(text: str, key: str) -> float:
        for line in text.splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
        return float("nan")

    return {
        "pid": pid,
        "cmd": cmdline.strip(),
        "rss_mb": round(kb(status, "VmRSS"), 1),
        "pss_mb": round(kb(rollup, "Pss"), 1),
        # the process's own heap vs mapped files (SQLite's mmap of the database is shared)
        "anon_mb": round(kb(status, "RssAnon"), 1),
        "file_mb": round(kb(status, "RssFile") + kb(status, "RssShmem"), 1),
    }


def role_of(proc: dict[str, Any], parent_of_workers: set[int]) -> str:
    cmd = proc["cmd"]
    if "gunicorn" in cmd:
        return "gunicorn master" if proc["pid"] in parent_of_workers else "web worker"
    if "tasks" in cmd or "db_worker" in cmd:
        return "task worker"
    return "other"


def memory_of_tree(root: int) -> list[dict[str, Any]]:
    """Memory of `root` (the `aiom serve` process) and every process below it, with roles."""
    procs = [p for p in (memory_of(pid) for pid in descendants(root)) if p is not None]
    parents: set[int] = set()
    for p in procs:
        if "gunicorn" not in p["cmd"]:
            continue
        try:
            stat = Path(f"/proc/{p['pid']}/stat").read_text()
        except OSError:
            continue
        parents.add(int(stat.rsplit(")", 1)[1].split()[1]))
    for p in procs:
        p["role"] = "supervisor" if " serve" in p["cmd"] else role_of(p, parents)
    return procs


def memory_report(procs: list[dict[str, Any]], root: int) -> dict[str, Any]:
    """Print the memory of every process by role and the largest of each role."""
    print(f"\nmemory after the load (processes under pid {root}):")
    print(
        f"{'pid':>8}  {'role':<16}{'RSS MB':>9}{'PSS MB':>9}{'anon MB':>9}{'file MB':>9}  command"
    )
    for p in procs:
        print(
            f"{p['pid']:>8}  {p['role']:<16}{p['rss_mb']:>9.1f}{p['pss_mb']:>9.1f}"
            f"{p['anon_mb']:>9.1f}{p['file_mb']:>9.1f}  {p['cmd'][:60]}"
        )
    largest: dict[str, Any] = {}
    for role in ("web worker", "task worker"):
        mine = [p for p in procs if p["role"] == role]
        if mine:
            largest[role] = {
                f"max_{k}_mb": max(p[f"{k}_mb"] for p in mine) for k in ("rss", "pss", "anon")
            }
            print(
                f"largest {role}: RSS {largest[role]['max_rss_mb']:.1f} MB, "
                f"PSS {largest[role]['max_pss_mb']:.1f} MB, "
                f"anonymous {largest[role]['max_anon_mb']:.1f} MB ({len(mine)} processes)"
            )
    web = largest.get("web worker")
    if web:
        verdict = "met" if web["max_rss_mb"] < 250 else "MISSED"
        print(f"target (a web worker under 250 MB RSS): {verdict}")
    return {"processes": procs, "largest": largest}


def left_behind(pids: list[int]) -> list[int]:
    """Those of `pids` still running (not zombies) after the server was stopped."""
    alive = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.append(pid)
    return alive


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def main() -> None:
    args = parse()
    unknown = {k.strip() for k in args.only.split(",") if k.strip()} - set(KINDS)
    if unknown:
        raise SystemExit(f"unknown kinds: {', '.join(sorted(unknown))}")
    url = args.database_url
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        raise SystemExit(
            f"no database at {url}. Build the benchmark database first:\n"
            "  AIOM_VAR_DIR=var/bench-100k .venv/bin/python benchmarks/scale.py 100000 1"
        )
    fx = prepare(url, args.clients)
    workers = args.workers or fx.workers
    port = free_port()
    server = serve(url, port, workers)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # still stop the server
    print(
        f"aiom serve on 127.0.0.1:{port} with {workers} web workers "
        f"({'given' if args.workers else 'its default here'}); {args.clients} clients, "
        f"{args.writes:.0%} writes (creates weight {args.creates:g})"
    )
    before = load_average()
    print(f"load average before: {before}")
    results = Results()
    stop = threading.Event()

    def drive(n: int) -> None:
        client = Client(n, port, fx, results, args)
        while not stop.is_set():
            client.one()
        client.conn.close()

    try:
        # Warm every worker up before measuring (a first request may build caches for a
        # long time on a busy machine: a long timeout, and a failure here is only reported).
        warm = Client(0, port, fx, Results(), args, timeout=600)
        warmed = time.perf_counter()
        for _ in range(4 * workers if args.warmup < 0 else args.warmup):
            for kind in ("api_get", "page_list", "page_detail"):
                warm.conn.close()  # a new connection: gunicorn may hand it to another worker
                try:
                    getattr(warm, kind)()
                except (OSError, http.client.HTTPException) as exc:
                    print(f"warm-up {kind}: {exc!r}")
        print(f"warm-up: {time.perf_counter() - warmed:.1f} s")
        threads = [threading.Thread(target=drive, args=(n,)) for n in range(args.clients)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        time.sleep(args.seconds)
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        elapsed = time.perf_counter() - started
        after = load_average()
        procs = memory_of_tree(server.pid)
    finally:
        ours = descendants(server.pid)
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        time.sleep(2)
        stuck = left_behind([pid for pid in ours if pid != server.pid])
        for pid in stuck:  # the harness never leaves a process behind, but says so
            os.kill(pid, signal.SIGKILL)
    figures = report(results, elapsed, args.clients)
    memory = memory_report(procs, server.pid)
    figures["left_behind_after_stop"] = len(stuck)
    print(f"processes left behind 2 s after the server stopped (then killed): {len(stuck)}")
    print(f"\nload average before: {before}; after: {after} (1, 5, 15 min; {os.cpu_count()} CPUs)")
    if args.json:
        saved = {
            "database": url,
            "clients": args.clients,
            "seconds": round(elapsed, 1),
            "workers": workers,
            "writes": args.writes,
            "creates": args.creates,
            "only": args.only,
            "load_average_before": before,
            "load_average_after": after,
            **figures,
            "memory": memory,
        }
        Path(args.json).write_text(json.dumps(saved, indent=2) + "\n")
        print(f"figures saved to {args.json}")


if __name__ == "__main__":
    main()
