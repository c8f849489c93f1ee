"""How fast the portfolio list answers as the portfolio grows (figures, not assertions).

Builds a scratch SQLite database (or uses AIOM_DATABASE_URL) with N use cases made through
the services, then times the portfolio page and GET /api/v1/use-cases, unfiltered, with a
text query, and filtered by org unit subtree, as an internal user (visibility applied).

    .venv/bin/python benchmarks/portfolio_list.py [N]     # default 5000
"""

import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("AIOM_VAR_DIR", tempfile.mkdtemp(prefix="aiom-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aiom.settings")
os.environ.setdefault("AIOM_ALLOWED_HOSTS", "testserver")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from aiom.organisation import services as org  # noqa: E402
from aiom.portfolio import services as portfolio  # noqa: E402
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


def timed(client: Client, url: str, runs: int = 15) -> tuple[float, float, int]:
    client.get(url)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(samples), max(samples), len(queries)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    reader, unit_id = build(n)
    client = Client()
    client.force_login(reader)  # type: ignore[arg-type]
    print(f"database: {connection.vendor}; {n} use cases; reader is an ordinary member")
    print(f"{'request':<52} {'median ms':>10} {'max ms':>8} {'queries':>8}")
    for url in (
        "/use-cases/",
        "/use-cases/?q=fraud",
        f"/use-cases/?org_unit={unit_id}&stage=pilot",
        "/api/v1/use-cases?limit=50",
        "/api/v1/use-cases?q=invoice&limit=50",
        f"/api/v1/use-cases?org_unit={unit_id}&limit=50",
    ):
        median, worst, queries = timed(client, url)
        print(f"{url:<52} {median:>10.1f} {worst:>8.1f} {queries:>8}")
    reset_queries()


if __name__ == "__main__":
    main()
