"""`aiom policy show|validate|activate|simulate`: the governance policy from the command line.

`show` writes the active document byte for byte to stdout and its `# policy vN sha256 …`
header to stderr, so `aiom policy show > p.yaml` round-trips: activating that file again
is reported as unchanged.
"""

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aiom.governance.models import PolicyVersion
from aiom.governance.policy import versions as policies
from aiom.governance.policy.schema import Policy, PolicyError
from aiom.governance.policy.simulate import LABELS, Simulation, simulate


def _load(file: str) -> tuple[str, Policy]:
    try:
        return policies.load_file(Path(file))
    except PolicyError as exc:
        count = len(exc.problems)
        raise CommandError(
            f"{file} is not a valid policy ({count} problem{'s' if count != 1 else ''}):\n  "
            + "\n  ".join(exc.problems)
        ) from exc


class Command(BaseCommand):
    help = "Show, validate, activate or simulate the governance policy."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("show", help="Print the active policy's YAML exactly as activated.")
        validate = sub.add_parser("validate", help="Check a policy file; list every problem.")
        validate.add_argument("file")
        activate = sub.add_parser("activate", help="Put a policy file in force (next version).")
        activate.add_argument("file")
        activate.add_argument("--note", default="", help="Why it changes (kept with the version)")
        sim = sub.add_parser("simulate", help="What a policy file would change in the portfolio.")
        sim.add_argument("file")
        sim.add_argument("--json", action="store_true", help="Print the JSON document")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "show":
            active = policies.active_policy()
            row = PolicyVersion.objects.get(version=active.version)
            self.stderr.write(f"# policy v{active.version} sha256 {active.sha256}")
            self.stdout.write(row.content, ending="")
        elif action == "validate":
            text, policy = _load(options["file"])
            self.stdout.write(
                f"valid: {policy.name} — {policy.structure}, {len(policy.stages)} stages, "
                f"{len(policy.questionnaire)} questions (sha256 {policies.content_hash(text)})"
            )
        elif action == "activate":
            self._activate(options["file"], options["note"])
        else:
            _, draft = _load(options["file"])
            result = simulate(draft)
            if options["json"]:
                self.stdout.write(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
            else:
                self.stdout.write("\n".join(report_lines(result)))

    def _activate(self, file: str, note: str) -> None:
        text, policy = _load(file)
        before = policies.active_policy()
        row = policies.activate(actor=None, text=text, note=note)
        if row.version == before.version:
            self.stdout.write(
                f"unchanged: policy v{row.version} already has this content (sha256 {row.sha256})"
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"activated policy v{row.version}: {policy.name} (sha256 {row.sha256}); "
                f"v{before.version} is superseded"
            )
        )


def report_lines(sim: Simulation) -> list[str]:
    """The simulation as text: the counts first, then each list that is not empty."""
    active = sim.active
    lines = [
        f"Simulated “{sim.draft.name}” ({sim.draft.structure}) against policy "
        f"v{active.version} “{active.policy.name}” ({active.policy.structure}) "
        f"on {sim.today:%Y-%m-%d}: {sim.use_cases} use cases in {sim.elapsed * 1000:.0f} ms.",
        "",
    ]
    summary = sim.summary()
    lines += [f"{summary[key]:>7}  {label}" for key, label in LABELS.items()]
    data = sim.to_json()

    def uc(row: dict[str, Any]) -> str:
        u = row.get("use_case", row)
        return f"#{u['id']} {u['title']} ({u['org_unit']}, {u['stage']})"

    sections: list[tuple[str, list[str]]] = [
        (
            "Tier changes",
            [
                f"{uc(r)}: {r['old']} → {r['new']} — {r['decided_by']}"
                + (f" [override {r['override']} stays]" if r["override"] else "")
                for r in data["tier_changes"]
            ],
        ),
        (
            "Prohibited practices",
            [
                f"{uc(r)}: {'becomes prohibited' if r['prohibited'] else 'no longer prohibited'}"
                f" — {'; '.join(r['reasons'])}"
                for r in data["prohibition_changes"]
            ],
        ),
        (
            "Transitions",
            [
                f"{uc(r)} → {r['to_stage']}: "
                + (f"BLOCKED — {' '.join(r['reasons'])}" if r["blocked"] else "unblocked")
                for r in data["transition_changes"]
            ],
        ),
        (
            "Pilots",
            [
                f"{uc(r)}: {'becomes overdue' if r['overdue'] else 'no longer overdue'} "
                f"(deadline {r['active_deadline']} → {r['draft_deadline']})"
                for r in data["pilot_changes"]
            ],
        ),
        (
            "Review routing",
            [
                f"{uc(r)}, {r['tier']} tier: "
                + ("gains reviewers" if r["routable"] else f"loses reviewers — {r['reason']}")
                for r in data["routing_changes"]
            ],
        ),
        ("Stages the draft does not define", [uc(r) for r in data["stage_not_in_draft"]]),
    ]
    for title, rows in sections:
        if rows:
            lines += ["", f"{title} ({len(rows)})", *(f"  {row}" for row in rows)]
    if not any(rows for _, rows in sections):
        lines += ["", "No differences: the draft changes nothing for these use cases."]
    return lines
