"""What the persisted similarity index costs: the rebuild in a task worker, and what web
workers pay for suggestions (a fresh process: no index in memory). Figures, not
assertions. Point AIOM_VAR_DIR at a copy of a filled database (benchmarks/scale.py):

    .venv/bin/python benchmarks/similarity_snapshot.py rebuild   # the task, in this process
    .venv/bin/python benchmarks/similarity_snapshot.py pages [n]  # n use-case pages (50)
    .venv/bin/python benchmarks/similarity_snapshot.py draft      # draft search, first + warm

`rebuild` runs `tasks.rebuild_index` as the worker does (peak RSS of this process and of
its forked children); `pages` serves the use-case page of n use cases as an
administrator in one process: the first page, the median of the rest, the suggestions
alone (`search.similar_to`), and the RSS after; `draft` posts drafts to the API.
"""

import os
import random
import resource
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aiom.settings")
os.environ.setdefault("AIOM_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("AIOM_TASKS_BACKEND", "database")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import django

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.test import Client  # noqa: E402

from aiom.portfolio.models import UseCase  # noqa: E402

DRAFTS = [
    {"title": "Invoice extraction for suppliers", "problem": "Clerks retype invoices by hand"},
    {"title": "Customer churn prediction", "problem": "Predict which customers will leave"},
    {"title": "Chatbot for employee questions", "problem": "HR answers the same questions"},
]


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def load() -> str:
    return f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}"


def admin_client() -> Client:
    client = Client()
    user = User.objects.filter(is_superuser=True).first() or User.objects.order_by("id").first()
    assert user is not None
    client.force_login(user)
    return client


def rebuild() -> None:
    from aiom.similarity.tasks import rebuild_index

    started = time.perf_counter()
    found = rebuild_index.call()
    seconds = time.perf_counter() - started
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(-1)
    cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
    print(f"rebuild task: {seconds:.1f} s wall, {cpu:.1f} s CPU (with children), {found}")
    print(f"peak RSS: this process {peak_mb():.0f} MB, largest child {peak_mb(-1):.0f} MB")
    print(load())


def pages(n: int) -> None:
    client = admin_client()
    ids = list(UseCase.objects.order_by("id").values_list("id", flat=True))
    if os.environ.get("AIOM_BENCH_WITH_ROWS"):  # a snapshot still being written: its rows
        from aiom.similarity.models import SimilarNeighbour

        ids = sorted(set(SimilarNeighbour.objects.values_list("use_case_id", flat=True)))
    chosen = random.Random(15).sample(ids, n)
    print(f"RSS before the first page: {rss_mb():.0f} MB")
    times = []
    for pk in chosen:
        started = time.perf_counter()
        answer = client.get(f"/use-cases/{pk}/")
        times.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, answer.status_code
    print(
        f"use-case page: first {times[0]:.0f} ms,"
        f" median of the rest {statistics.median(times[1:]):.1f} ms"
    )
    print(f"RSS after {n} use-case pages: {rss_mb():.0f} MB (peak {peak_mb():.0f} MB)")
    from aiom.similarity.search import similar_to

    user = User.objects.filter(is_superuser=True).first() or User.objects.order_by("id").first()
    alone = []
    for pk in chosen[:20]:
        uc = UseCase.objects.get(pk=pk)
        started = time.perf_counter()
        similar_to(user, uc, 5)
        alone.append((time.perf_counter() - started) * 1000)
    print(f"suggestions alone (similar_to): median {statistics.median(alone):.1f} ms")
    print(load())


def draft() -> None:
    client = admin_client()
    print(f"RSS before: {rss_mb():.0f} MB")
    times = []
    for i in range(9):
        started = time.perf_counter()
        answer = client.post(
            "/api/v1/use-cases/similar", {**DRAFTS[i % 3], "k": 5}, content_type="application/json"
        )
        times.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, answer.status_code
    print(
        f"draft search: first {times[0]:.0f} ms, warm median {statistics.median(times[1:]):.1f} ms"
    )
    print(f"RSS after: {rss_mb():.0f} MB")
    print(load())


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "pages"
    if what == "rebuild":
        rebuild()
    elif what == "draft":
        draft()
    else:
        pages(int(sys.argv[2]) if len(sys.argv) > 2 else 50)
