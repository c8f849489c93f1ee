"""`aiom audit verify | anchor | rekey`: check, anchor and convert the audit chain.

verify [--anchors FILE | --no-anchors]
    Walk the keyed hash chain and check it against the anchors (by default the anchors
    file, AIOM_AUDIT_ANCHORS, when it exists). Exit 0: intact; 1: tampering found (the
    first broken event, a truncation, a rewrite since an anchor, a forged anchor line);
    2: bad input (an anchors file that cannot be read or parsed, named with its line; no
    usable audit key).
anchor [--to FILE] [--no-post]
    Verify the events since the last anchor, then append the head as a signed line to the
    anchors file and POST it to AIOM_AUDIT_ANCHOR_WEBHOOK when set. Exit 1 when the chain
    does not verify or the POST failed (the line is written then), 2 on bad input.
rekey
    Re-hash a chain written before keyed hashing under the audit key, once.
See docs/audit-threat-model.md.
"""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aiom.core import anchors
from aiom.core.anchors import AnchorFileError, AnchorRefusedError
from aiom.core.audit_key import AuditKeyError
from aiom.core.audit_rekey import RekeyRefusedError, rekey

TAMPERED, BAD_INPUT = 1, 2


class Command(BaseCommand):
    help = "Verify, anchor or convert the audit trail's hash chain."
    # Its own exit codes for monitoring (2 for an unusable key), not the system checks' 1.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="Check the hash chain end to end.")
        which = verify.add_mutually_exclusive_group()
        which.add_argument("--anchors", help="the anchors file (default AIOM_AUDIT_ANCHORS)")
        which.add_argument("--no-anchors", action="store_true", help="the chain alone")
        anchor = sub.add_parser("anchor", help="Append the chain's head to the anchors file.")
        anchor.add_argument("--to", help="the anchors file (default AIOM_AUDIT_ANCHORS)")
        anchor.add_argument("--no-post", action="store_true", help="do not POST the anchor")
        sub.add_parser("rekey", help="Re-hash a chain from before keyed hashing, once.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "anchor":
                self._anchor(options["to"], post=not options["no_post"])
            elif options["action"] == "rekey":
                self._rekey()
            else:
                self._verify(options["anchors"], skip=options["no_anchors"])
        except (AnchorFileError, AuditKeyError) as exc:
            raise CommandError(str(exc), returncode=BAD_INPUT) from exc

    def _verify(self, given: str | None, *, skip: bool) -> None:
        path = Path(given) if given else anchors.default_path()
        if skip or (not given and not path.exists()):
            verdict = anchors.verify(None)
        else:
            verdict = anchors.verify(path)
        chain = verdict.chain
        if not verdict.ok:
            lines = list(verdict.problems)
            if not chain.ok:
                first = f"; first event that differs: {chain.event}" if chain.event else ""
                lines.insert(
                    0,
                    f"audit chain BROKEN at event #{chain.broken_seq}: {chain.reason}{first} "
                    f"({chain.checked} events before it verified)",
                )
            raise CommandError("audit trail TAMPERED:\n  " + "\n  ".join(lines), returncode=1)
        against = (
            f", consistent with {verdict.anchors} anchors in {verdict.path}"
            if verdict.path is not None
            else " (no anchors checked)"
        )
        self.stdout.write(
            self.style.SUCCESS(f"audit chain OK: {chain.checked} events verified{against}")
        )

    def _anchor(self, to: str | None, *, post: bool) -> None:
        try:
            done = anchors.anchor(Path(to) if to else None, post=post)
        except AnchorRefusedError as exc:
            raise CommandError(f"not anchored: {exc}", returncode=TAMPERED) from exc
        except OSError as exc:
            raise CommandError(f"cannot write the anchor: {exc}", returncode=BAD_INPUT) from exc
        a = done.anchor
        self.stdout.write(
            f"anchored #{a.seq} ({a.hash[:16]}…) at {a.at.isoformat()} in {done.path}"
        )
        if done.post_error:
            raise CommandError(
                f"the anchor was written but not posted to {done.posted_to}: {done.post_error}",
                returncode=TAMPERED,
            )
        if done.posted_to:
            self.stdout.write(f"posted to {done.posted_to}")

    def _rekey(self) -> None:
        try:
            done = rekey()
        except RekeyRefusedError as exc:
            raise CommandError(f"not converted: {exc}", returncode=TAMPERED) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{done.events} events re-hashed under the audit key {done.key_id} "
                f"({done.plain} were unkeyed); anchor now: `aiom audit anchor`"
            )
        )
