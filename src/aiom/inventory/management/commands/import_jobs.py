"""`aiom import_jobs`: the web import's background jobs (see aiom.inventory.jobs).

- `list`: recent jobs and their state as the page reads it;
- `run ID`: claim and run one queued job in this process (what the web import launches);
- `work [--once]`: claim and run queued jobs until stopped (with AIOM_IMPORT_JOB_RUNNER=worker);
- `sweep`: record every job whose heartbeat stopped as failed: interrupted (its import was
  rolled back with its process; upload the file again to retry).
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aiom.inventory import jobs
from aiom.inventory.models import ImportJob


class Command(BaseCommand):
    help = "The web import's background jobs: list, run ID, work [--once], sweep."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="recent jobs and their state")
        run = sub.add_parser("run", help="claim and run one queued job")
        run.add_argument("job", type=int)
        work = sub.add_parser("work", help="run queued jobs until stopped")
        work.add_argument("--once", action="store_true", help="only the jobs queued now")
        sub.add_parser("sweep", help="record stopped jobs as failed: interrupted")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "list":
            for job in ImportJob.objects.select_related("actor")[:50]:
                status = jobs.status(job)
                self.stdout.write(
                    f"{job.pk}\t{job.created_at:%Y-%m-%d %H:%M}\t{job.actor.get_username()}\t"
                    f"{status.state}\t{status.label}\t{job.file_name}"
                    + (f"\t{status.error}" if status.error else "")
                )
        elif action == "run":
            ran = jobs.run(options["job"])
            if ran is None:
                raise CommandError(f"import job {options['job']} is not queued")
            self.stdout.write(f"import job {ran.pk}: {jobs.status(ran).state}")
        elif action == "work":
            count = jobs.work(once=options["once"])
            self.stdout.write(f"{count} import jobs run")
        else:
            closed = jobs.sweep()
            for job in closed:
                self.stdout.write(f"import job {job.pk}: {job.error}")
            self.stdout.write(f"{len(closed)} interrupted import jobs recorded as failed")
