"""The import job runner as the real separate process the web import launches
(`python -m aiom.cli import_jobs run ID`), against a database of its own: it runs a job to
done; killed in the middle of the import, it leaves nothing written and the job reads, then
is swept, as interrupted."""

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability import procs

SETUP = """
import hashlib, shutil, sys
from pathlib import Path
from aiom.inventory import uploads
from aiom.inventory.services import create_import_job
from aiom.organisation.models import Role
from tests.conftest import make_person
source = Path(sys.argv[-1])
ada = make_person("ada", None, (Role.ADMINISTRATOR, None))
stored = "9" * 32
shutil.copyfile(source, uploads.upload_dir() / stored)
sha = hashlib.sha256(source.read_bytes()).hexdigest()
job = create_import_job(actor=ada, file_name=source.name, sha256=sha, stored=stored,
                        total=0, preset="aiom")
print(job.pk)
"""
STATE = """
from aiom.inventory.models import ImportJob
from aiom.portfolio.models import UseCase
job = ImportJob.objects.get()
print(job.state, job.done, job.total, UseCase.objects.count(), job.error, sep="|")
"""


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with procs.template_database(tmp_path_factory.mktemp("template")) as template:
        yield template


@pytest.fixture
def child(template_db: str, tmp_path: Path) -> Iterator[procs.Child]:
    with procs.fresh_database(template_db, tmp_path) as handle:
        handle.env["TMPDIR"] = str(tmp_path)  # the upload folder of these processes
        handle.env["AIOM_IMPORT_JOB_STALE_SECONDS"] = "2"
        yield handle


def _python(child: procs.Child, code: str) -> str:
    return procs.must(child.aiom("shell", "-c", code))


def _job(child: procs.Child, tmp_path: Path, rows: int) -> str:
    path = procs.inventory_csv(tmp_path / "register.csv", rows)
    code = SETUP.replace("sys.argv[-1]", repr(str(path)))
    return _python(child, code).strip().splitlines()[-1]


def _runner(child: procs.Child, job_id: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 - what aiom.inventory.launch.start launches
        [sys.executable, "-m", "aiom.cli", "import_jobs", "run", job_id],
        cwd=procs.REPO,
        env=child.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _state(child: procs.Child) -> list[str]:
    return _python(child, STATE).strip().splitlines()[-1].split("|")


def test_the_runner_process_runs_a_job_to_done(child: procs.Child, tmp_path: Path) -> None:
    job_id = _job(child, tmp_path, 30)
    runner = _runner(child, job_id)
    _, err = runner.communicate(timeout=300)
    assert runner.returncode == 0, err.decode()[-2000:]
    assert _state(child)[:4] == ["done", "30", "30", "30"]


def test_a_killed_runner_writes_nothing_and_reads_as_interrupted(
    child: procs.Child, tmp_path: Path
) -> None:
    job_id = _job(child, tmp_path, 3000)
    runner = _runner(child, job_id)
    progress = tmp_path / "aiom-imports" / ("9" * 32 + ".progress")
    deadline = time.monotonic() + 300
    while True:  # kill it once it is writing (inside the import's transaction)
        assert runner.poll() is None, runner.stderr.read() if runner.stderr else b""
        assert time.monotonic() < deadline, "the runner never started writing"
        try:
            if json.loads(progress.read_text())["phase"] == "writing":
                break
        except (OSError, ValueError):
            pass
        time.sleep(0.05)
    runner.send_signal(signal.SIGKILL)
    runner.wait(timeout=30)
    state, _, _, use_cases, _ = _state(child)
    assert (state, use_cases) == ("running", "0")  # the row says running; nothing written
    time.sleep(2.5)  # the heartbeat goes stale (AIOM_IMPORT_JOB_STALE_SECONDS=2)
    listed = procs.must(child.aiom("import_jobs", "list"))
    assert "\tinterrupted\t" in listed
    swept = procs.must(child.aiom("import_jobs", "sweep"))
    assert "1 interrupted import jobs recorded as failed" in swept
    state, _, _, use_cases, error = _state(child)
    assert (state, use_cases) == ("failed", "0") and error.startswith("interrupted")
    assert not progress.exists() and not os.path.exists(tmp_path / "aiom-imports" / ("9" * 32))
