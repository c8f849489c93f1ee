"""`aiom similarity rebuild`: build the similarity index now and publish it (operators).

The task worker rebuilds after every change on its own; this is for an operator who wants
the snapshot now (after a restore, a bulk load outside the services) or to see what a
rebuild costs. `--enqueue` leaves the work to the task worker instead; `--if-stale` does
nothing when the snapshot matches the portfolio. `aiom similarity status` shows the
snapshot pages read.
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from aiom.similarity import index as similarity_index
from aiom.similarity import snapshots, tasks


class Command(BaseCommand):
    help = "Rebuild the similarity index now (rebuild) or show the snapshot pages read (status)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["rebuild", "status"])
        parser.add_argument(
            "--enqueue", action="store_true", help="queue the rebuild for the task worker"
        )
        parser.add_argument(
            "--if-stale", action="store_true", help="only when the portfolio changed since"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "status":
            self._status()
            return
        found = snapshots.latest()
        sig = snapshots.signature_text(similarity_index.signature())
        if options["if_stale"] and found is not None and found.signature == sig:
            self.stdout.write(f"Up to date: snapshot {found.pk}.")
            return
        if options["enqueue"]:
            asked = tasks.ensure_fresh() if options["if_stale"] else tasks.enqueue_now()
            self.stdout.write("Rebuild queued." if asked else "Up to date.")
            return
        snap = snapshots.rebuild()
        self.stdout.write(
            f"Snapshot {snap.pk}: {snap.documents} use cases ({snap.confidential} confidential),"
            f" {snap.neighbours} neighbour rows, {snap.pairs} pairs,"
            f" index {snap.index_bytes / 1e6:.1f} MB, built in {snap.build_seconds:.1f} s."
        )

    def _status(self) -> None:
        found = snapshots.latest()
        if found is None:
            self.stdout.write("No snapshot yet: suggestions are being prepared.")
            return
        sig = snapshots.signature_text(similarity_index.signature())
        state = "up to date" if found.signature == sig else "stale (a rebuild is due)"
        self.stdout.write(
            f"Snapshot {found.pk}, built {found.built_at:%Y-%m-%d %H:%M:%S} UTC in"
            f" {found.build_seconds:.1f} s: {found.documents} use cases, {state}."
        )
