"""The similarity index is built only by the task worker, persisted, and never by a request.

With the database task queue (the production set-up, not the tests' immediate one): a
write asks for ONE rebuild after commit; the requests after it read the previous snapshot
without building anything; running the worker publishes the new one.
"""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from aiom.portfolio import services as portfolio
from aiom.portfolio.models import UseCase
from aiom.similarity import index, loaded, snapshots, tasks
from aiom.similarity.methods import TfidfCosine
from aiom.similarity.models import SimilarityChunk, SimilaritySnapshot, SimilarNeighbour
from aiom.similarity.search import similar_to
from tests.conftest import World
from tests.query_counts import Budget


@pytest.fixture
def queued(settings: Any) -> None:
    """The database task queue and no synchronous rebuild: as `aiom serve` runs."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": settings.TASK_QUEUES,
        }
    }
    settings.AIOM_SIMILARITY_SYNC_REBUILD = False
    settings.AIOM_SIMILARITY_REBUILD_SECONDS = -1  # no spacing (its own test below)


@pytest.fixture
def fits(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts every index build and every fit over one use case or more from now on."""
    calls: list[int] = []
    build, fit = index.build, TfidfCosine.fit

    def counted_build(sig: tuple[Any, ...]) -> index.Index:
        calls.append(1)
        return build(sig)

    def counted_fit(self: TfidfCosine, docs: list[Any]) -> None:
        if docs:  # the empty index that answers before the first snapshot is no build
            calls.append(len(docs))
        fit(self, docs)

    monkeypatch.setattr(index, "build", counted_build)
    monkeypatch.setattr(TfidfCosine, "fit", counted_fit)
    return calls


def _rebuilds_waiting() -> int:
    return DBTaskResult.objects.ready().filter(task_path=tasks.rebuild_index.module_path).count()


def _run_worker() -> None:
    # aiom's own command in --batch mode: it leaves the test process's signals alone
    # (django-tasks-db's `db_worker` installs its stop handlers even then).
    call_command("tasks", "work", "--batch", "--queues", "similarity", stdout=StringIO())


def _invoice(world: World, title: str) -> UseCase:
    return portfolio.create_use_case(
        actor=world.charlie,
        org_unit=world.wealth,
        owner=world.charlie,
        theme=world.theme,
        title=title,
        problem="Supplier invoices are typed into the ledger by hand.",
    )


@pytest.mark.django_db(transaction=True)  # on_commit and the worker read committed rows
def test_a_request_after_a_write_serves_the_previous_snapshot_and_builds_nothing(
    world: World, twins: tuple[UseCase, UseCase], login: Any, queued: None, fits: list[int]
) -> None:
    retail, wealth = twins
    tasks.rebuild_index.call()  # the worker's first run
    first = snapshots.latest()
    assert first is not None and fits  # built there (the counter works)
    assert _rebuilds_waiting() == 0
    fits.clear()

    added = _invoice(world, "Supplier invoice keying automation")
    _invoice(world, "Invoice ledger entry robot")  # a second write: still one rebuild
    assert _rebuilds_waiting() == 1

    client = login("alice")
    page = client.get(reverse("portfolio:detail", args=[retail.pk]))
    assert page.status_code == 200 and "Invoice data extraction for suppliers" in page.text
    api = client.get(f"/api/v1/use-cases/{retail.pk}/similar?k=50").json()
    draft = client.post(
        "/api/v1/use-cases/similar",
        {"title": "Invoice keying automation", "problem": "keying automation for invoices"},
        content_type="application/json",
    ).json()
    assert client.get(reverse("similarity:silos")).status_code == 200
    assert fits == []  # no request built or fitted anything
    assert wealth.pk in [s["use_case_id"] for s in api]
    assert added.pk not in [s["use_case_id"] for s in api + draft]  # the previous snapshot

    _run_worker()
    fresh = snapshots.latest()
    assert fresh is not None and fresh.pk != first.pk
    assert _rebuilds_waiting() == 0
    assert list(SimilaritySnapshot.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not SimilarNeighbour.objects.exclude(snapshot=fresh).exists()
    fits.clear()
    api = client.get(f"/api/v1/use-cases/{retail.pk}/similar?k=50").json()
    draft = client.post(
        "/api/v1/use-cases/similar",
        {"title": "Invoice keying automation", "problem": "keying automation for invoices"},
        content_type="application/json",
    ).json()
    assert added.pk in [s["use_case_id"] for s in api]
    assert added.pk in [s["use_case_id"] for s in draft]
    assert fits == []  # the new snapshot was loaded, not built


@pytest.mark.django_db(transaction=True)
def test_before_the_first_snapshot_pages_say_so_and_ask_for_one(
    world: World, twins: tuple[UseCase, UseCase], login: Any, queued: None, fits: list[int]
) -> None:
    retail, _ = twins
    DBTaskResult.objects.all().delete()  # the writes above asked already
    client = login("alice")
    page = client.get(reverse("portfolio:detail", args=[retail.pk]))
    assert "Similar use cases are being prepared" in page.text
    assert "being prepared" in client.get(reverse("similarity:silos")).text
    panel = client.post(
        reverse("similarity:similar_panel"),
        {"title": "Supplier invoice extraction", "problem": "retype supplier invoices by hand"},
    )
    assert "being prepared" in panel.text
    assert client.get(f"/api/v1/use-cases/{retail.pk}/similar").json() == []
    assert fits == []
    assert _rebuilds_waiting() == 1  # asked for, once
    _run_worker()
    page = client.get(reverse("portfolio:detail", args=[retail.pk]))
    assert "being prepared" not in page.text
    assert "Invoice data extraction for suppliers" in page.text


@pytest.mark.django_db(transaction=True)
def test_ensure_fresh_asks_only_when_the_portfolio_moved(
    world: World, twins: tuple[UseCase, UseCase], queued: None
) -> None:
    DBTaskResult.objects.all().delete()
    assert tasks.ensure_fresh() is True and _rebuilds_waiting() == 1  # no snapshot
    assert tasks.ensure_fresh() is True and _rebuilds_waiting() == 1  # queued once
    _run_worker()
    assert tasks.ensure_fresh() is False and _rebuilds_waiting() == 0
    UseCase.objects.filter(pk=twins[0].pk).delete()  # not through a service: the signature
    DBTaskResult.objects.all().delete()
    assert tasks.ensure_fresh() is True and _rebuilds_waiting() == 1


def test_the_use_case_page_reads_a_few_rows_and_never_the_index(
    world: World,
    twins: tuple[UseCase, UseCase],
    login: Any,
    monkeypatch: pytest.MonkeyPatch,
    query_budget: Budget,
) -> None:
    retail, wealth = twins
    snapshots.ready()  # tests rebuild a stale snapshot when read; this one is fresh now

    def no_index(*args: Any) -> Any:
        raise AssertionError("the use-case page loaded or built the index")

    monkeypatch.setattr(snapshots, "load_index", no_index)
    monkeypatch.setattr(index, "build", no_index)
    with query_budget(
        "similar_to_from_snapshot", at_most=True
    ):  # access, snapshot, signature, rows, entries...
        found = similar_to(world.alice, retail)
    assert found is not None and [s.use_case_id for s in found] == [wealth.pk]
    assert "shared terms" in found[0].reasons[0]
    page = login("alice").get(reverse("portfolio:detail", args=[retail.pk]))
    assert "Invoice data extraction for suppliers" in page.text


def test_a_snapshot_holds_neighbours_both_ways_and_the_index(
    world: World, twins: tuple[UseCase, UseCase]
) -> None:
    retail, wealth = twins
    snap = snapshots.ready()
    assert snap is not None and snap.documents == UseCase.objects.count()
    rows = SimilarNeighbour.objects.filter(snapshot=snap)
    assert rows.filter(use_case_id=retail.pk, other_id=wealth.pk).exists()
    assert rows.filter(use_case_id=wealth.pk, other_id=retail.pk).exists()
    assert SimilarityChunk.objects.filter(snapshot=snap).count() >= 1
    loaded = snapshots.load_index(snap)
    assert set(loaded.entries) == set(UseCase.objects.values_list("pk", flat=True))
    assert "pairs" in loaded.cache and "calibration" in loaded.cache  # precomputed
    assert loaded.method.query("supplier invoice ledger", 1)[0][0] in {retail.pk, wealth.pk}


def test_a_partner_grant_wider_than_the_bound_fits_nothing_in_a_request(
    world: World, twins: tuple[UseCase, UseCase], monkeypatch: pytest.MonkeyPatch, login: Any
) -> None:
    retail, _ = twins
    client = login("pat")
    draft = {"title": "Supplier invoice extraction", "problem": "retype supplier invoices"}
    found = client.post("/api/v1/use-cases/similar", draft, content_type="application/json")
    assert retail.pk in [s["use_case_id"] for s in found.json()]  # within the bound
    monkeypatch.setattr(index, "MAX_SCOPED", 1)
    loaded.reset()
    found = client.post("/api/v1/use-cases/similar", draft, content_type="application/json")
    assert found.json() == []


def test_a_snapshot_being_written_is_never_read_and_the_next_publish_clears_it(
    world: World, twins: tuple[UseCase, UseCase]
) -> None:
    ready = snapshots.ready()
    assert ready is not None
    abandoned = SimilaritySnapshot.objects.create(signature="x", built_at=ready.built_at)
    SimilarNeighbour.objects.create(
        snapshot=abandoned,
        use_case_id=twins[0].pk,
        other_id=world.alice_uc.pk,
        text_score=0.9,
        strength=0.9,
    )  # a worker stopped while writing it
    assert snapshots.latest() == ready
    found = similar_to(world.alice, twins[0])
    assert found is not None and world.alice_uc.pk not in [s.use_case_id for s in found]
    fresh = snapshots.rebuild()
    assert list(SimilaritySnapshot.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not SimilarNeighbour.objects.exclude(snapshot=fresh).exists()


def test_operators_rebuild_and_see_the_status(
    world: World, twins: tuple[UseCase, UseCase], capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("similarity", "status")
    assert "No snapshot yet" in capsys.readouterr().out
    call_command("similarity", "rebuild")
    assert f"{UseCase.objects.count()} use cases" in capsys.readouterr().out
    call_command("similarity", "status")
    assert "up to date" in capsys.readouterr().out
    call_command("similarity", "rebuild", "--if-stale")
    assert "Up to date" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_a_busy_portfolio_does_not_keep_the_worker_rebuilding(
    world: World, queued: None, settings: Any
) -> None:
    """After a rebuild, the next one is due no sooner than AIOM_SIMILARITY_REBUILD_SECONDS
    later (and ten times the last build): writes meanwhile queue ONE deferred rebuild."""
    settings.AIOM_SIMILARITY_REBUILD_SECONDS = 3600
    tasks.rebuild_index.call()
    last = snapshots.latest()
    assert last is not None
    _invoice(world, "Supplier invoice keying automation")
    _invoice(world, "Invoice ledger entry robot")
    waiting = DBTaskResult.objects.filter(task_path=tasks.rebuild_index.module_path)
    assert waiting.count() == 1 and _rebuilds_waiting() == 0  # queued, not due yet
    run_after = waiting.get().run_after
    assert run_after is not None
    assert abs((run_after - last.built_at).total_seconds() - 3600) < 1
    _run_worker()  # nothing due: the worker runs nothing
    assert snapshots.latest() == last

    settings.AIOM_SIMILARITY_REBUILD_SECONDS = 0
    last.build_seconds = 1000.0  # a long build: the spacing is ten times it
    last.save(update_fields=["build_seconds"])
    assert tasks.not_before() is not None
    assert (tasks.not_before() - last.built_at).total_seconds() >= 10_000 - 1  # type: ignore[operator]
