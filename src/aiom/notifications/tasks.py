"""Background work of notifications, run by a task worker (`aiom tasks work`): the sweep,
a periodic task (settings.AIOM_PERIODIC_TASKS, every AIOM_SWEEP_MINUTES) that the workers
keep scheduled, one run at a time. It may run again after an interruption: it holds the
database lock "sweep" and notifies each event once."""

import json
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.tasks import task


@task(queue_name="sweep", priority=-10)  # after the work people wait for
def sweep() -> dict[str, Any]:
    """`aiom sweep` as a task; its JSON report (or why it was skipped)."""
    out = StringIO()
    call_command("sweep", "--json", stdout=out)
    report: dict[str, Any] = json.loads(out.getvalue())
    return {k: report[k] for k in ("skipped", "holder", "today", "seconds", "total") if k in report}
