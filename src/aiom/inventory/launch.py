"""Starting a confirmed ImportJob outside this web worker, as `AIOM_IMPORT_JOB_RUNNER` says:
the task `run_import_job` (`task`), a process of its own (`process`), or nothing for a
worker to claim (`worker`). Why each, and how a job runs: aiom.inventory.jobs.
"""

import subprocess
import sys

from aiom.inventory import jobs
from aiom.inventory.models import ImportJob
from aiom.inventory.services import finish_import_job
from aiom.inventory.tasks import run_import_job


def start(job: ImportJob) -> None:
    """Have the job run outside this process (see aiom.inventory.jobs)."""
    if jobs.runner_mode() == "task":
        run_import_job.enqueue(job.pk)
        return
    if jobs.runner_mode() != "process":
        return  # a worker (`aiom import_jobs work`) claims it
    argv = [sys.executable, "-m", "aiom.cli", "import_jobs", "run", str(job.pk)]
    try:
        shell = subprocess.Popen(  # noqa: S603 - fixed argv, no user text
            ["/bin/sh", "-c", '"$0" "$@" </dev/null >/dev/null &', *argv],
            close_fds=True,
            start_new_session=True,
        )
        shell.wait(timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        jobs.log.exception("import job %s: the runner could not start", job.pk)
        finish_import_job(job_id=job.pk, error=f"the import's process could not start ({exc})")
