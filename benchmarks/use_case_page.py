"""What the use-case page costs on the server at scale, and whether headcount moves it.

Point AIOM_VAR_DIR at a copy of a database benchmarks/scale.py filled (100,000 use cases);
this script tops its people up to `--people` (bulk rows: users with a home org unit, not
app writes, so a scratch copy only), makes one ordinary member, then renders the page of a
few use cases in process (django.test.Client) as the administrator and as the member and
prints, per viewer, the median and p95 server time (and the median CPU time of this
process, which a loaded machine moves less), the page's size in bytes, its SQL
queries and their time (and the same for the person picker's search, where it exists).
Figures, not assertions. Before -> after: run it once more with PYTHONPATH pointing at
the `src` of the older checkout (`git archive <commit> src | tar -x -C /tmp/before`).

    AIOM_VAR_DIR=/work/bench/copy .venv/bin/python benchmarks/use_case_page.py \
        [--people 5000] [--runs 30] [--cases 5]
"""

import argparse
import gc
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aiom.settings")
os.environ.setdefault("AIOM_ALLOWED_HOSTS", "testserver")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import django

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from aiom.organisation.models import OrgUnit, Person  # noqa: E402
from aiom.portfolio.models import UseCase  # noqa: E402

MEMBER = "bench-member"


def top_up_people(target: int) -> None:
    """Bulk-add people (user + Person in a unit) until the database holds `target` users."""
    have = User.objects.count()
    if have >= target:
        return
    units = list(OrgUnit.objects.values_list("pk", flat=True))
    start = User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    users = [
        User(
            username=f"person-{start + i}",
            first_name=f"First{i % 97}",
            last_name=f"Last{i}",
            email=f"person-{start + i}@example.org",
            password="!",  # noqa: S106 - unusable
        )
        for i in range(1, target - have + 1)
    ]
    with transaction.atomic():
        User.objects.bulk_create(users, batch_size=2000)
        made = User.objects.filter(username__startswith="person-", person__isnull=True)
        Person.objects.bulk_create(
            [Person(user=u, org_unit_id=units[u.pk % len(units)]) for u in made],
            batch_size=2000,
        )
    with connection.cursor() as cursor:  # the planner's statistics must know the new rows
        cursor.execute("ANALYZE")
    print(f"added {target - have:,} people")


def member() -> User:
    """An ordinary member: a home unit, no role."""
    user = User.objects.filter(username=MEMBER).first()
    if user is None:
        unit = OrgUnit.objects.order_by("-pk").first()
        user = User.objects.create(username=MEMBER, first_name="Mem", last_name="Ber")
        Person.objects.create(user=user, org_unit=unit)
    return user


def measure(client: Client, urls: list[str], runs: int) -> dict[str, float]:
    for url in urls:  # warm: templates compiled, per-process indexes loaded
        client.get(url)
    times: list[float] = []
    cpu: list[float] = []
    sizes, queries, sql_ms = [], [], []
    for _ in range(runs):
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            sizes.append(len(response.content))
            queries.append(len(captured.captured_queries))
            sql_ms.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
    times.sort()
    return {
        "median": statistics.median(times),
        "p95": times[int(len(times) * 0.95) - 1],
        "cpu": statistics.median(cpu),
        "bytes": statistics.median(sizes),
        "queries": statistics.median(queries),
        "sql": statistics.median(sql_ms),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--cases", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    top_up_people(args.people)
    viewer = member()
    admin = User.objects.get(username="bench-admin")
    unit = viewer.person.org_unit
    # Use cases the member may see: in the member's unit or not confidential.
    picks = list(
        UseCase.objects.filter(confidential=False)
        .exclude(stage="intake")
        .order_by("pk")
        .values_list("pk", flat=True)[: args.cases * 1000 : 1000]
    )
    urls = [f"/use-cases/{pk}/" for pk in picks]
    print(
        f"database: {connection.vendor}, {UseCase.objects.count():,} use cases, "
        f"{User.objects.count():,} people; member's unit {unit}; pages {', '.join(urls)}"
    )
    gc.freeze()
    print(f"\n{'viewer':<14}{'median ms':>10}{'p95 ms':>8}{'CPU ms':>8}{'bytes':>9}"
          f"{'queries':>9}{'SQL ms':>8}")  # fmt: skip
    for label, user in (("administrator", admin), ("member", viewer)):
        client = Client()
        client.force_login(user)
        f = measure(client, urls, args.runs)
        print(
            f"{label:<14}{f['median']:>10.1f}{f['p95']:>8.1f}{f['cpu']:>8.1f}{f['bytes']:>9,.0f}"
            f"{f['queries']:>9.0f}{f['sql']:>8.1f}"
        )
    client = Client()
    client.force_login(viewer)
    search = ["/api/v1/people/search?q=last12&limit=10", "/api/v1/people/search?q=first4+last"]
    if client.get(search[0]).status_code == 200:  # the picker's search, where it exists
        f = measure(client, search, args.runs)
        print(f"{'people search':<14}{f['median']:>10.1f}{f['p95']:>8.1f}{f['cpu']:>8.1f}"
              f"{f['bytes']:>9,.0f}"
              f"{f['queries']:>9.0f}{f['sql']:>8.1f}")  # fmt: skip
    print(f"\nload average: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")


if __name__ == "__main__":
    main()
