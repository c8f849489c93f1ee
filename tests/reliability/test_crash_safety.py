"""A process killed with SIGKILL mid-import or mid-transition leaves no partial state.

Each test runs real `aiom` processes against a database of their own (SQLite file, or a
PostgreSQL database when the suite runs there), kills one once its work has begun, then
checks that nothing of it remains, that the audit chain verifies, and that the next run
succeeds.
"""

import signal
from pathlib import Path

from tests.reliability import procs
from tests.reliability.procs import Child, must

ROWS = 3000
REASON = "Killed on purpose by the crash-safety test."


def test_an_import_killed_midway_writes_nothing_and_the_next_run_succeeds(
    child: Child, tmp_path: Path
) -> None:
    inventory = procs.inventory_csv(tmp_path / "inventory.csv", ROWS)
    before = child.snapshot()
    proc = child.popen("import", str(inventory), "--preset", "aiom", "--progress")
    seen = procs.read_until(proc, b"500/")  # the first batch is written, not committed
    assert f"{ROWS}/{ROWS}".encode() not in seen
    assert procs.kill(proc) == -signal.SIGKILL

    after = child.snapshot()
    assert after["use_cases"] == before["use_cases"] == []
    assert after["head"] == before["head"]
    assert after["chain_ok"], after["chain_problem"]

    out = must(child.import_csv(inventory))
    assert str(ROWS) in out
    done = child.snapshot()
    assert len(done["use_cases"]) == ROWS
    assert done["chain_ok"], done["chain_problem"]
    assert done["chain_checked"] > after["chain_checked"] + ROWS


def test_a_transition_killed_before_commit_leaves_the_use_case_where_it_was(
    child: Child, tmp_path: Path
) -> None:
    must(child.import_csv(procs.inventory_csv(tmp_path / "inventory.csv", 3)))
    before = child.snapshot()
    uc_id, _, stage, version = before["use_cases"][0]
    assert stage == "intake"
    marker = tmp_path / "written"
    proc = child.popen(
        "transition",
        str(uc_id),
        "rejected",
        REASON,
        "--hang",
        str(marker),
        module="tests.reliability.child",
    )
    procs.wait_for_file(marker, proc)  # the stage change and its event are written
    assert procs.kill(proc) == -signal.SIGKILL

    after = child.snapshot()
    assert after["use_cases"] == before["use_cases"]
    assert after["stage_changes"] == before["stage_changes"]
    assert after["head"] == before["head"]
    assert after["chain_ok"], after["chain_problem"]

    must(child.run_child("transition", str(uc_id), "rejected", REASON))
    done = child.snapshot()
    assert done["use_cases"][0] == [uc_id, before["use_cases"][0][1], "rejected", version + 1]
    assert done["stage_changes"] == before["stage_changes"] + 1
    assert done["chain_ok"], done["chain_problem"]
    assert done["head"][0] == before["head"][0] + 1
