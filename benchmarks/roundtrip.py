"""Lossless round trips on the real files (figures, not assertions).

For each real inventory in ../shared/data: import it with its preset into an empty SQLite
database, export it in its own format (`aiom export --format <preset>`), compare the file
with the export cell by cell (aiom.inventory.roundtrip), import the export again; then
the same through aiom's own CSV, XLSX and JSON. Prints rows, imported, refused, the cell
differences outside the documented normalisations (by column), the normalisations, the
second import's counts and the wall times. Each case runs in its own process and database.

    .venv/bin/python benchmarks/roundtrip.py            # every file, its format + csv/xlsx/json
    .venv/bin/python benchmarks/roundtrip.py --quick    # every file, its own format only
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
FILES = [
    ("us-federal-2025-omb/2025_individually_reported_AI_use_cases.csv", "omb-2025"),
    ("uk-atrs/atrs_audit.csv", "uk-atrs"),
    ("us-federal-2024/2024_consolidated_ai_inventory_raw_v2.csv", "us-federal-2024"),
    ("us-federal-2023/2023_consolidated_ai_inventory_raw.csv", "us-federal-2023"),
]
OWN = ("csv", "xlsx", "json")


def case(relative: str, preset: str, fmt: str) -> dict[str, object]:
    """One round trip in this process's (empty) database."""
    import django

    django.setup()
    from django.core.management import call_command

    from aiom.inventory.roundtrip_run import run

    call_command("migrate", verbosity=0)
    work = Path(tempfile.mkdtemp(prefix="aiom-roundtrip-"))
    started = time.monotonic()
    # strict first (as the issue asks); a file with true data errors then with --skip-invalid
    trip = run(DATA / relative, preset=preset, fmt=fmt, work=work)
    strict = trip.first.written
    if not strict:
        call_command("flush", interactive=False, verbosity=0)
        trip = run(DATA / relative, preset=preset, fmt=fmt, work=work, skip_invalid=True)
    first, second, comparison = trip.first, trip.second, trip.comparison
    return {
        "file": relative.split("/")[-1],
        "preset": preset,
        "fmt": fmt,
        "rows": first.rows,
        "imported": trip.imported,
        "strict": strict,
        "invalid": first.invalid,
        "set_aside": dict(first.set_aside_by_reason),
        "import_s": round(first.seconds, 2),
        "export_s": round(trip.export_seconds, 2),
        "second": None
        if second is None
        else {
            "created": second.created,
            "updated": second.updated,
            "unchanged": second.unchanged,
            "invalid": second.invalid,
            "s": round(second.seconds, 2),
        },
        "no_op": trip.no_op,
        "exports_identical": trip.exports_identical,
        "differences": None if comparison is None else comparison.differences,
        "by_column": {}
        if comparison is None
        else {c: r.different for c, r in comparison.columns.items() if r.different},
        "normalised": {} if comparison is None else dict(comparison.normalised),
        "matched": None if comparison is None else comparison.matched,
        "left_out": [] if comparison is None else comparison.columns_left_out,
        "total_s": round(time.monotonic() - started, 2),
    }


def main() -> None:
    quick = "--quick" in sys.argv
    results = []
    for relative, preset in FILES:
        if not (DATA / relative).is_file():
            print(f"{relative}: absent (see docs/real-inventories.md)")
            continue
        for fmt in (preset,) if quick else (preset, *OWN):
            env = dict(os.environ)
            var = tempfile.mkdtemp(prefix="aiom-roundtrip-db-")
            env.update(
                AIOM_VAR_DIR=var,
                AIOM_DATABASE_URL=f"sqlite:///{var}/db.sqlite3",
                DJANGO_SETTINGS_MODULE="aiom.settings",
            )
            out = subprocess.run(  # noqa: S603 - this script, fixed arguments
                [sys.executable, __file__, "--case", relative, preset, fmt],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if out.returncode != 0:
                print(f"{relative} {fmt}: FAILED\n{out.stderr[-2000:]}")
                continue
            result = json.loads(out.stdout.strip().splitlines()[-1])
            results.append(result)
            show(result)


def show(r: dict[str, object]) -> None:
    second = r["second"] or {}
    assert isinstance(second, dict)
    print(
        f"{r['file']} -> {r['fmt']}: rows {r['rows']}, imported {r['imported']}"
        f" ({'strict' if r['strict'] else 'with --skip-invalid'}; invalid {r['invalid']},"
        f" set aside {r['set_aside'] or 0}); import {r['import_s']} s, export {r['export_s']} s"
    )
    if r["differences"] is not None:
        print(
            f"  cells: matched rows {r['matched']}, differences outside the normalisations "
            f"{r['differences']} {r['by_column'] or ''}; normalised {r['normalised'] or 0}"
            + (f"; columns left out {r['left_out']}" if r["left_out"] else "")
        )
    if r["exports_identical"] is not None:
        print(f"  export -> import -> export identical: {r['exports_identical']}")
    print(
        f"  second import: created {second.get('created')}, updated {second.get('updated')}, "
        f"unchanged {second.get('unchanged')}, invalid {second.get('invalid')} "
        f"({second.get('s')} s): {'no-op' if r['no_op'] else 'CHANGED'}; total {r['total_s']} s"
    )


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--case":
        print(json.dumps(case(sys.argv[2], sys.argv[3], sys.argv[4])))
    else:
        main()
