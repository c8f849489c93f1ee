"""`aiom sweep`: find what is overdue, notify each new event once (email and webhooks).

Run it from cron (daily is plenty; more often only retries webhooks sooner). `--dry-run`
lists the findings and which of them are new without writing or sending anything.

Safe to schedule on several hosts at once: a real sweep holds the database lock "sweep"
(aiom.core.locks); a run that finds it taken says who holds it and exits 0, so two runs
never notify twice.
"""

import datetime as dt
import json
from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aiom.core import dbstats
from aiom.core.locks import LockBusy, exclusive
from aiom.insights.analytics import facts
from aiom.inventory import jobs as import_jobs
from aiom.notifications import services
from aiom.notifications.models import NoticeKind
from aiom.notifications.services import SweepReport
from aiom.notifications.webhooks import WebhookConfigError


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


LOCK_NAME = "sweep"


class Command(BaseCommand):
    help = "Find stalled pilots, late reviews, stages and assessments past due; notify once."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List; write and send nothing.")
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")
        parser.add_argument("--today", type=_date, help="Sweep as of this day (YYYY-MM-DD).")
        parser.add_argument(
            "--no-send",
            action="store_true",
            help="Record notices without emailing or posting them (a baseline for a backlog).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today: dt.date | None = options["today"]
        if options["dry_run"]:
            report = services.dry_run(today=today)
        else:
            try:
                with exclusive(LOCK_NAME):
                    report = services.sweep(actor=None, today=today, send=not options["no_send"])
                    facts.repair()  # the daily job keeps the figures' facts true,
                    dbstats.refresh()  # and SQLite's planner figures current
                    import_jobs.sweep()  # import jobs whose runner died: failed, files freed
            except WebhookConfigError as exc:
                raise CommandError(str(exc)) from exc
            except LockBusy as busy:
                self._skipped(busy, as_json=options["json"])
                return
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
        else:
            self._summary(report)

    def _skipped(self, busy: LockBusy, *, as_json: bool) -> None:
        since = busy.since.isoformat(timespec="seconds") if busy.since else None
        if as_json:
            doc = {"skipped": True, "reason": "locked", "holder": busy.holder, "since": since}
            self.stdout.write(json.dumps(doc, indent=2))
            return
        who = f" ({busy.holder}, since {since})" if busy.holder else ""
        self.stdout.write(f"skipped: another sweep holds the lock{who}; nothing was done")

    def _summary(self, report: SweepReport) -> None:
        policy = f"policy v{report.policy_version}" if report.policy_version else "default policy"
        what = "dry run" if report.dry_run else "sweep"
        self.stdout.write(f"{what} of {report.today} under {policy} ({report.seconds:.2f} s)")
        if report.dry_run:
            for f in report.findings:
                mark, uc = ("new " if f["new"] else "seen"), f["use_case"]["id"]
                self.stdout.write(f"  {mark}  {f['kind']:<16}  #{uc:<6}  {f['subject']}")
        header = f"  {'kind':<24}{'found':>6}{'new':>6}"
        if not report.dry_run:
            header += f"{'emailed':>9}   webhooks ok/failed/pending"
        self.stdout.write(header)
        rows = [(NoticeKind(k).label, c) for k, c in report.kinds.items()]
        for label, c in [*rows, ("total", report.total())]:
            line = f"  {label:<24}{c.found:>6}{c.new:>6}"
            if not report.dry_run:
                line += f"{c.emailed:>9}   {c.webhooks_delivered}/{c.webhooks_failed}"
                line += f"/{c.webhooks_pending}"
            self.stdout.write(line)
        if report.anchor:
            self.stdout.write(f"audit chain: {report.anchor}")
        if report.dry_run:
            self.stdout.write("nothing was written or sent")
        elif not report.sent:
            self.stdout.write("--no-send: notices recorded, nothing emailed or posted")
