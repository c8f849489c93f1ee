"""Shared out over forked workers, fitting and pairing give exactly the serial answer."""

from typing import Any

import pytest

from aiom.similarity import parallel
from aiom.similarity.blocking import scored_pairs
from aiom.similarity.methods import Doc, TfidfCosine
from tests.similarity.test_boilerplate_blocking import TOPICS

WORDS = [
    "claims",
    "invoice",
    "drone",
    "radar",
    "chatbot",
    "translation",
    "fraud",
    "summarisation",
    "tagging",
]


def corpus() -> list[Doc]:
    """Topics in several wordings, so that there are pairs, ties and near-ties to score."""
    docs = []
    for i in range(240):
        topic = TOPICS[i % len(TOPICS)]
        extra = " ".join(WORDS[(i * k) % len(WORDS)] for k in (1, 3, 7))
        docs.append(Doc(i, f"{topic}. {extra}. Case {i % 5} of the {topic.split()[0]} team."))
    return docs


def fitted_pairs(workers: int, settings: Any) -> tuple[TfidfCosine, list[Any]]:
    settings.AIOM_SIMILARITY_PARALLEL_MIN = 0
    settings.AIOM_SIMILARITY_WORKERS = workers
    method = TfidfCosine()
    method.fit(corpus())
    return method, scored_pairs(method, 0.2, 4)


@pytest.mark.parametrize("workers", [2, 3])
def test_forked_workers_give_the_serial_answer(workers: int, settings: Any) -> None:
    serial, serial_pairs = fitted_pairs(1, settings)
    shared, shared_pairs = fitted_pairs(workers, settings)
    assert parallel.workers(len(corpus())) == workers  # it really forked
    assert shared.df == serial.df and shared.vectors == serial.vectors
    assert shared_pairs == serial_pairs and len(serial_pairs) > 100


def test_small_portfolios_stay_in_process(settings: Any) -> None:
    settings.AIOM_SIMILARITY_WORKERS = 0
    assert parallel.workers(parallel.min_items() - 1) == 1


def test_never_forks_from_a_thread(settings: Any) -> None:
    """A web worker rebuilds its index in a thread: forking there left stuck children that
    outlived the server (issue 15). Off the main thread the work runs in this process."""
    import threading

    settings.AIOM_SIMILARITY_PARALLEL_MIN = 0
    settings.AIOM_SIMILARITY_WORKERS = 2
    assert parallel.workers(10) == 2  # the main thread may fork
    seen: list[int] = []
    thread = threading.Thread(target=lambda: seen.append(parallel.workers(10)))
    thread.start()
    thread.join()
    assert seen == [1]
