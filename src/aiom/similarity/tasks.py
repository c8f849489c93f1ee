"""Background work of silo detection, run by a task worker (`aiom tasks work`), never by a
web worker: building the similarity index and persisting what pages read.

`rebuild_index` builds the whole-portfolio index in the worker's main thread (where
`parallel.py` may fork), precomputes the neighbours and pairs pages need and persists
them atomically (`snapshots.py`).
"""

import time
from typing import Any

from django.tasks import task

from aiom.similarity import index as similarity_index


@task(queue_name="similarity")
def rebuild_index() -> dict[str, Any]:
    """Build the index for the portfolio as it is now and persist it; the figures."""
    started = time.monotonic()
    sig = similarity_index.signature()
    built = similarity_index.build(sig)
    return {
        "documents": len(built.entries),
        "seconds": round(time.monotonic() - started, 3),
    }
