"""A task for the tests of `aiom serve`'s task workers: it forks a pool with the similarity
rebuild's own machinery (`parallel.fork_map`, run from the worker's main thread) and each
child sleeps, so a test can stop the server while the pool's children exist."""

import time

from django.tasks import task

from aiom.similarity import parallel


def _sleep(part: int, parts: int) -> int:
    time.sleep(float(parallel.shared("seconds")))
    return part


@task(queue_name="similarity")
def fork_and_sleep(seconds: float) -> int:
    """Sleep `seconds` in every child of a forked pool (AIOM_SIMILARITY_PARALLEL_MIN=1)."""
    return len(parallel.fork_map(_sleep, parallel.min_items(), {"seconds": seconds}))
