"""How the analytics, the portfolio API and the dashboard answer at enterprise scale.

Generates 100,000 use cases in 200 org units with stage histories, assessments, pilot
plans, reviews, 50,000 KPIs and 1,000,000 measurements (benchmarks/scale_data.py, bulk
test data, not app writes), then prints the median and p95 of N runs for each request
(analytics twice: the first read after a real audited write, and reads while the figures
are kept)
as an administrator, and the query plans of the slowest queries. Figures, not assertions.
Caveat: a scratch SQLite file under a temporary AIOM_VAR_DIR unless AIOM_DATABASE_URL is
set (then that database must be empty; it is migrated and filled). Pointing AIOM_VAR_DIR
at a directory a previous run filled skips the generation and only measures.

    .venv/bin/python benchmarks/scale.py [use_cases] [runs]     # default 100000 15
"""

import gc
import logging
import os
import statistics
import sys
import tempfile
import time
import types

if not os.environ.get("AIOM_VAR_DIR"):
    os.environ["AIOM_VAR_DIR"] = tempfile.mkdtemp(prefix="aiom-scale-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aiom.settings")
os.environ.setdefault("AIOM_ALLOWED_HOSTS", "testserver")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import django

django.setup()
logging.getLogger("aiom.request").disabled = True  # a JSON line per request drowns the table

from benchmarks.scale_data import build  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402

from aiom.core import dbstats  # noqa: E402
from aiom.insights.analytics import facts  # noqa: E402
from aiom.organisation.models import OrgUnit  # noqa: E402
from aiom.portfolio import services  # noqa: E402
from aiom.portfolio.models import UseCase  # noqa: E402

# issue 15: first reads after a write at 100k (the kept reads are held to the same)
TARGETS = {"diagnostics": 150, "diagnostics_unit": 30, "use_cases": 15, "dashboard": 250}


def load_average() -> str:
    """The machine's load average (1, 5, 15 min): timings on a shared machine need it."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def urlconf() -> types.ModuleType:
    """The project's URLs, plus the dashboard's if aiom/urls.py does not route it yet."""
    from aiom.urls import urlpatterns

    routed = any(getattr(p, "namespace", None) == "dashboard" for p in urlpatterns)
    extra = [] if routed else [path("", include("aiom.insights.dashboard.urls"))]
    module = types.ModuleType("scale_urls")
    module.urlpatterns = [*urlpatterns, *extra]  # type: ignore[attr-defined]
    return module


WRITES: list[float] = []


def write(admin: User) -> None:
    """A real audited write (a use case's problem statement edited through the service),
    which marks its facts stale and refreshes them after commit, as in production."""
    uc = UseCase.objects.order_by("pk").first()
    assert uc is not None
    started = time.perf_counter()
    services.update_use_case(
        actor=admin, use_case=uc, problem=f"Edited by the benchmark at {time.time():.6f}."
    )
    WRITES.append((time.perf_counter() - started) * 1000)


def timed(
    client: Client, url: str, runs: int, *, cold: bool, admin: User
) -> tuple[float, float, int, list[dict]]:
    """Median and p95 ms; `cold` makes a real write before each read (the first read
    after a write), otherwise the figures are reused (every read until the next write)."""
    first = client.get(url)
    if first.status_code != 200:
        return float("nan"), float("nan"), first.status_code, []
    samples = []
    for _ in range(runs):
        if cold:
            write(admin)
        started = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
    if cold:
        write(admin)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    p95 = statistics.quantiles(samples, n=20)[-1] if len(samples) > 1 else samples[0]
    return statistics.median(samples), p95, 200, list(queries.captured_queries)


def explain(sql: str) -> list[str]:
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
    with connection.cursor() as cursor:
        try:
            cursor.execute(prefix + sql)
        except Exception as exc:  # an interpolated query may not re-parse; say so
            return [f"(could not explain: {exc})"]
        return [" | ".join(str(c) for c in row) for row in cursor.fetchall()]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    if UseCase.objects.exists():
        admin = User.objects.get(username="bench-admin")
        units = list(OrgUnit.objects.order_by("pk").values_list("pk", flat=True))
        print(f"reusing {UseCase.objects.count():,} use cases already there")
        started = time.perf_counter()
        stale = facts.current()  # a migration marks every use case stale
        print(
            f"facts of {stale:,} stale use cases refreshed in {time.perf_counter() - started:.1f} s"
        )
        analyzed = dbstats.refresh()  # what `aiom serve` does: figures for new indexes
        print(f"planner statistics refreshed ({', '.join(analyzed) or 'none new'})")
    else:
        if connection.vendor == "sqlite":  # a scratch file: no need to survive a power cut
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous=OFF")
                cursor.execute("PRAGMA cache_size=-262144")  # 256 MB, this connection only
        started = time.perf_counter()
        print(f"generating {n:,} use cases in 200 org units")
        admin, units = build(n, 200)
        print(f"generated in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        facts.rebuild()  # bulk rows went around the services: compute every use case's facts
        print(f"facts of {n:,} use cases computed in {time.perf_counter() - started:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    unit = units[-1]  # a department (a leaf), about 1/200 of the portfolio
    gc.freeze()  # what aiom.wsgi does once a worker has loaded the application
    client = Client()
    client.force_login(admin)
    requests = {
        "diagnostics": "/api/v1/diagnostics",
        "diagnostics_unit": f"/api/v1/diagnostics?org_unit={unit}",
        "use_cases": "/api/v1/use-cases?limit=50&stage=pilot",
        "dashboard": "/dashboard/",
    }
    print(f"\n{load_average()}")
    print(f"\n{'request':<54} {'median ms':>10} {'p95 ms':>8} {'target':>8} {'queries':>8}")
    slow: list[tuple[float, str, str]] = []
    with override_settings(ROOT_URLCONF=urlconf(), DEBUG=settings.DEBUG):
        for (key, url), cold in [(r, c) for r in requests.items() for c in (True, False)]:
            if key == "use_cases" and not cold:
                continue  # the list is not kept: it is always computed
            label = url if key == "use_cases" else f"{url} ({'first read' if cold else 'kept'})"
            try:
                median, p95, status, queries = timed(client, url, runs, cold=cold, admin=admin)
            except Exception as exc:  # one broken page must not lose the other figures
                print(f"{label:<54} failed: {exc!r}"[:200])
                continue
            if status != 200:
                print(f"{label:<54} answered {status}")
                continue
            figure = p95 if key == "use_cases" else median
            verdict = "ok" if figure < TARGETS[key] else "MISSED"
            print(f"{label:<54} {median:>10.1f} {p95:>8.1f} {TARGETS[key]:>6} {verdict:<3}"
                  f"{len(queries):>6}")  # fmt: skip
            slow += [(float(q["time"]), url, q["sql"]) for q in queries]
    print(f"\n{load_average()}")
    if WRITES:
        print(
            f"\nthe writes before each first read (audited, facts refreshed after commit): "
            f"median {statistics.median(WRITES):.1f} ms over {len(WRITES)}"
        )
    print("\nslowest queries and their plans:")
    for seconds, url, sql in sorted(slow, reverse=True)[:6]:
        print(f"\n-- {seconds * 1000:.1f} ms in {url}\n{sql[:600]}")
        for line in explain(sql):
            print("   ", line)


if __name__ == "__main__":
    main()
