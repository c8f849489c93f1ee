"""How fast the portfolio list answers as the portfolio grows (figures, not assertions).

Builds a scratch SQLite database (or uses AIOM_DATABASE_URL) with N use cases made through
the services, then times the portfolio page and GET /api/v1/use-cases, unfiltered, with a
text query, and filtered by org unit subtree, as an internal user (visibility applied).
A database that already holds use cases (AIOM_VAR_DIR of benchmarks/scale.py) is reused:
the reader is `bench-reader`, a member of its last org unit (made if missing).

For each API request it also replays the very SQL the request ran, straight on the DB-API
connection (sqlite3 or psycopg, no Django), and prints in-process ms / SQL ms: what the
application adds to its own queries. With --http it starts `aiom serve` on a free port over
the same database and drives the API list with keep-alive clients (bearer token), printing
p50/p95 per request.

    .venv/bin/python benchmarks/portfolio_list.py [N]     # default 5000
    AIOM_VAR_DIR=/path/to/copy-of-100k .venv/bin/python benchmarks/portfolio_list.py \
        --http [--clients 2] [--seconds 10] [--workers N]
"""

import argparse
import http.client
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("AIOM_VAR_DIR", tempfile.mkdtemp(prefix="aiom-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aiom.settings")
os.environ.setdefault("AIOM_ALLOWED_HOSTS", "testserver")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import django

django.setup()

import load as load_bench  # type: ignore[import-not-found]  # noqa: E402  (benchmarks/load.py)
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from aiom.core import dbstats, tokens  # noqa: E402
from aiom.organisation import services as org  # noqa: E402
from aiom.organisation.models import OrgUnit  # noqa: E402
from aiom.portfolio import services as portfolio  # noqa: E402
from aiom.portfolio.models import UseCase  # noqa: E402
from aiom.portfolio.vocabulary import STAGE_KEYS, AIType  # noqa: E402

WORDS = [
    "claims",
    "triage",
    "invoice",
    "chatbot",
    "forecast",
    "fraud",
    "summarise",
    "translate",
    "document",
    "churn",
    "pricing",
    "routing",
    "vision",
    "anomaly",
    "search",
    "assistant",
]


def build(n: int) -> tuple[object, int]:
    call_command("migrate", verbosity=0)
    with transaction.atomic():
        root = org.create_org_unit(actor=None, name="Bench Group")
        units = [org.create_org_unit(actor=None, name=f"Unit {i}", parent=root) for i in range(20)]
        owner = org.create_person(actor=None, username="bench-owner", org_unit=units[0])
        reader = org.create_person(actor=None, username="bench-reader", org_unit=units[1])
    types = list(AIType.values)
    started = time.perf_counter()
    for start in range(0, n, 500):
        with transaction.atomic():
            for i in range(start, min(n, start + 500)):
                portfolio.create_use_case(
                    actor=None,
                    title=f"{WORDS[i % 16]} {WORDS[(i * 7) % 16]} {i}",
                    description=" ".join(WORDS[(i + k) % 16] for k in range(12)),
                    org_unit=units[i % 20],
                    owner=owner,
                    ai_type=types[i % len(types)],
                    stage=STAGE_KEYS[i % 9],
                    confidential=(i % 13 == 0),
                )
    rate = n / (time.perf_counter() - started)
    print(f"built {n} use cases through services at {rate:.0f}/s")
    return reader, units[3].pk


def reuse() -> tuple[object, int]:
    """An existing portfolio (benchmarks/scale.py): its last org unit and a member of it."""
    unit = OrgUnit.objects.order_by("pk").last()
    assert unit is not None
    reader = User.objects.filter(username="bench-reader").first()
    if reader is None:
        reader = org.create_person(actor=None, username="bench-reader", org_unit=unit)
    print(f"reusing {UseCase.objects.count():,} use cases already there")
    return reader, unit.pk


@dataclass
class Timing:
    median: float  # wall-clock ms
    worst: float
    cpu: float  # median CPU ms of this process: less moved by other processes' load
    queries: list[dict[str, Any]]


def timed(client: Client, url: str, runs: int = 15) -> Timing:
    client.get(url)
    samples, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return Timing(
        statistics.median(samples),
        max(samples),
        statistics.median(cpu),
        list(queries.captured_queries),
    )


def replayed(queries: list[dict[str, Any]], runs: int = 15) -> tuple[float, float]:
    """Median wall and CPU ms of the request's own SELECTs run straight on the DB-API
    connection (no Django): what the database itself costs."""
    selects = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]
    connection.ensure_connection()
    raw = connection.connection
    assert raw is not None
    samples, cpu = [], []
    for _ in range(runs + 1):
        started, started_cpu = time.perf_counter(), time.process_time()
        for sql in selects:
            cursor = raw.cursor()
            cursor.execute(sql)
            cursor.fetchall()
            cursor.close()
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(samples[1:]), statistics.median(cpu[1:])


def newest_visible() -> int:
    return (
        UseCase.objects.filter(confidential=False).order_by("-pk").values_list("pk", flat=True)[0]
    )


def load() -> str:
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def serve(port: int, workers: int) -> subprocess.Popen[bytes]:
    """`aiom serve` over this benchmark's database, in its own process group."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    url = os.environ.get("AIOM_DATABASE_URL") or f"sqlite:///{db['NAME']}"
    return load_bench.serve(url, port, workers, new_session=True)  # type: ignore[no-any-return]


def drive(port: int, url: str, headers: dict[str, str], until: float) -> tuple[list[float], int]:
    """One client on one kept-alive connection until `until`: its latencies and errors."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    samples: list[float] = []
    errors = 0
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            conn.request("GET", url, headers=headers)
            response = conn.getresponse()
            response.read()
            errors += response.status != 200
        except (http.client.HTTPException, OSError):
            conn.close()  # the server closed the connection: the next request reconnects
            errors += 1
        samples.append((time.perf_counter() - started) * 1000)
    conn.close()
    return samples, errors


def over_http(urls: list[str], token: str, args: argparse.Namespace) -> None:
    """p50/p95 of each URL from `clients` threads, each on one kept-alive connection."""
    port = load_bench.free_port()
    proc = serve(port, args.workers)
    headers = {"Authorization": f"Bearer {token}", "Connection": "keep-alive"}
    try:
        print(f"\nover HTTP: aiom serve on :{port}, {args.clients} keep-alive clients, "
              f"{args.seconds:.0f} s per request")  # fmt: skip
        print(f"{'request':<52} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} {'errors':>7}")
        for url in urls:
            for _ in range(10):  # warm every worker: its first request imports and connects
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", url, headers=headers)
                conn.getresponse().read()
                conn.close()
            until = time.monotonic() + args.seconds
            with ThreadPoolExecutor(args.clients) as pool:
                futures = [
                    pool.submit(drive, port, url, headers, until) for _ in range(args.clients)
                ]
                runs = [f.result() for f in futures]
            samples = [ms for mine, _ in runs for ms in mine]
            errors = sum(e for _, e in runs)
            p50 = statistics.median(samples)
            p95 = statistics.quantiles(samples, n=20)[-1]
            rate = len(samples) / args.seconds
            print(f"{url:<52} {p50:>8.1f} {p95:>8.1f} {rate:>8.0f} {errors:>7}")
        print(load())
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int, nargs="?", default=5000, help="use cases to build")
    parser.add_argument("--http", action="store_true", help="also time the API over HTTP")
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=0, help="default: aiom serve's own")
    parser.add_argument("--user", default="", help="read as this user (default: a member)")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    reader, unit_id = reuse() if UseCase.objects.exists() else build(args.n)
    dbstats.refresh()  # as `aiom serve` does: figures for the indexes a migration added
    if args.user:
        reader = User.objects.get(username=args.user)
    client = Client()
    client.force_login(reader)  # type: ignore[arg-type]
    scopes = ("read", "admin")  # an administrator reads as one; a member has no such role
    _, token = tokens.create_token(actor=None, user=reader, name="bench", scopes=scopes)  # type: ignore[arg-type]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    print(f"database: {connection.vendor}; reading as {reader}; {load()}")
    print(
        f"{'request':<52} {'median ms':>10} {'max ms':>8} {'CPU ms':>7} {'queries':>8} "
        f"{'SQL ms':>7} {'SQL CPU':>7} {'ratio':>6} {'CPU ratio':>9}"
    )
    pages = ["/use-cases/", "/use-cases/?q=fraud", f"/use-cases/?org_unit={unit_id}&stage=pilot"]
    apis = [
        "/api/v1/use-cases?limit=50",
        "/api/v1/use-cases?limit=50&stage=pilot",
        "/api/v1/use-cases?q=invoice&limit=50",
        f"/api/v1/use-cases?org_unit={unit_id}&limit=50",
        f"/api/v1/use-cases/{newest_visible()}",
    ]
    for url in pages + apis:
        t = timed(api if url.startswith("/api/") else client, url)
        line = f"{url:<52} {t.median:>10.1f} {t.worst:>8.1f} {t.cpu:>7.1f} {len(t.queries):>8}"
        if url.startswith("/api/"):
            sql, sql_cpu = replayed(t.queries)
            line += f" {sql:>7.2f} {sql_cpu:>7.2f} {t.median / sql:>5.1f}x"
            line += f" {t.cpu / max(sql_cpu, 0.01):>8.1f}x"
        print(line)
    print(load())
    reset_queries()
    if args.http:
        connection.close()
        over_http(apis, token, args)


if __name__ == "__main__":
    main()
