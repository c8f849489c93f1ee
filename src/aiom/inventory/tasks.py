"""Background work of the inventory, run by a task worker (`aiom tasks work`), never by a
web worker: a confirmed large web import (aiom.inventory.jobs)."""

from django.tasks import task

from aiom.inventory import jobs


@task(queue_name="imports")
def run_import_job(job_id: int) -> str:
    """Claim and run the queued ImportJob `job_id`; its state when done ("" if it was not
    queued any more). Not requeued when interrupted: the import's transaction was rolled
    back with its worker and the job reads as interrupted once its heartbeat stops."""
    ran = jobs.run(job_id)
    return "" if ran is None else str(ran.state)
