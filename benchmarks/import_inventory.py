"""How long `aiom import` takes on SQLite (figures, not assertions).

1. the real 3,611-row US federal 2025 inventory into an empty database (target < 5 s),
   then the same file again (every row unchanged, nothing written);
2. N generated rows in the same format (default 100,000; target < 60 s).
Each run says how much of its time went into the audit trail: `core.audit.record` (one
event per org unit created) and `core.audit.record_many` (one event per use case,
appended to the chain in one go).

    .venv/bin/python benchmarks/import_inventory.py [N]
"""

import csv
import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("AIOM_VAR_DIR", tempfile.mkdtemp(prefix="aiom-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aiom.settings")
os.environ.pop("AIOM_DATABASE_URL", None)

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from aiom.core import audit  # noqa: E402
from aiom.core.models import AuditEvent  # noqa: E402
from aiom.inventory.importer import run_import  # noqa: E402
from aiom.inventory.mapping import load_preset  # noqa: E402
from aiom.inventory.report import Report  # noqa: E402

REAL = (
    Path(__file__).resolve().parents[1].parent
    / "shared/data/us-federal-2025-omb/2025_individually_reported_AI_use_cases.csv"
)
STAGES = ["Pre-deployment", "Pilot", "Deployed", "Retired", ""]
WORDS = [
    "claims",
    "fraud",
    "triage",
    "chatbot",
    "forecast",
    "imagery",
    "translation",
    "summary",
    "grants",
    "audit",
]
spent = {"audit": 0.0, "events": 0}
_record, _record_many = audit.record, audit.record_many


def _timed_record(**kwargs: object) -> AuditEvent:
    started = time.perf_counter()
    try:
        return _record(**kwargs)  # type: ignore[arg-type]
    finally:
        spent["audit"] += time.perf_counter() - started
        spent["events"] += 1


def _timed_record_many(**kwargs: object) -> list[AuditEvent]:
    started = time.perf_counter()
    try:
        events = _record_many(**kwargs)  # type: ignore[arg-type]
        spent["events"] += len(events)
        return events
    finally:
        spent["audit"] += time.perf_counter() - started


# bulk.py and the org services call them through the module
audit.record, audit.record_many = _timed_record, _timed_record_many


def generate(path: Path, n: int) -> None:
    rnd = random.Random(20261127)
    header = ["agency", "agency_name", "id", "use_case_name", "agency_bureau", "contact_email"]
    header += ["development_stage", "classification", "problem_solved", "benefits", "vendor_name"]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for i in range(n):
            agency = f"AG{i % 41:02d}"
            words = " ".join(rnd.sample(WORDS, 3))
            writer.writerow(
                [
                    agency,
                    f"Agency {agency}",
                    f"{agency}-{i:06d}",
                    f"{words.capitalize()} {i}",
                    f"Bureau {rnd.randrange(10)}",
                    "",
                    rnd.choice(STAGES),
                    rnd.choice(["Generative AI", "Classical ML", "NLP", ""]),
                    f"Problem {words} " * 5,
                    f"Benefit {i}",
                    rnd.choice(["", "", "Acme AI"]),
                ]
            )


def show(label: str, report: Report) -> None:
    audit_s, events = spent["audit"], spent["events"]
    print(
        f"{label}: {report.rows} rows in {report.seconds:.2f} s — created {report.created}, "
        f"updated {report.updated}, unchanged {report.unchanged}, invalid {report.invalid}, "
        f"org units {len(report.org_units_to_create)}; audit trail {events} events "
        f"{audit_s:.2f} s ({1000 * audit_s / max(events, 1):.2f} ms each), "
        f"rest {report.seconds - audit_s:.2f} s"
    )
    spent.update(audit=0.0, events=0)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    call_command("migrate", verbosity=0)
    mapping = load_preset("omb-2025")
    if REAL.is_file():
        show("2025 real file", run_import(REAL, actor=None, mapping=mapping, skip_invalid=True))
        show("2025 again", run_import(REAL, actor=None, mapping=mapping, skip_invalid=True))
    else:
        print(f"skipped the real file: {REAL} is absent")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.csv"
        started = time.perf_counter()
        generate(path, n)
        print(f"generated {n} rows in {time.perf_counter() - started:.1f} s")
        show(f"{n} generated", run_import(path, actor=None, mapping=mapping, skip_invalid=True))


if __name__ == "__main__":
    main()
