"""Real `aiom` processes against a database of their own (never pytest's test database).

SQLite: a file migrated once per session, copied for each test. PostgreSQL (when the suite
runs on it): a database migrated once per session, cloned as a template for each test.
"""

import csv
import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings

REPO = Path(__file__).resolve().parents[2]
SEPARATOR = " \u203a "  # the aiom preset's org-unit path separator


def on_postgresql() -> bool:
    return "postgresql" in settings.DATABASES["default"]["ENGINE"]


def _pg_params() -> dict[str, Any]:
    s = settings.DATABASES["default"]
    return {
        "host": s.get("HOST") or "127.0.0.1",
        "port": s.get("PORT") or 5432,
        "user": s.get("USER") or "",
        "password": s.get("PASSWORD") or "",
    }


def pg_url(name: str) -> str:
    p = _pg_params()
    auth = quote(p["user"]) + (f":{quote(p['password'])}" if p["password"] else "")
    return f"postgresql://{auth}@{p['host']}:{p['port']}/{name}"


def pg_admin(sql: str) -> None:
    import psycopg

    p = _pg_params()
    with psycopg.connect(
        host=p["host"],
        port=p["port"],
        user=p["user"],
        password=p["password"] or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(sql)


def env_for(url: str, var_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        AIOM_DATABASE_URL=url,
        AIOM_VAR_DIR=str(var_dir),
        AIOM_SECRET_KEY="reliability-tests-" + "x" * 40,
        AIOM_AUDIT_KEY="reliability-tests-audit-" + "k" * 40,  # the template's var is not theirs
        AIOM_LOG_LEVEL="WARNING",
        PYTHONPATH=os.pathsep.join([str(REPO / "src"), str(REPO)]),
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


class Child:
    """How to run `aiom` and the test child against one database."""

    def __init__(self, url: str, var_dir: Path) -> None:
        self.url, self.var_dir = url, var_dir
        self.env = env_for(url, var_dir)

    def aiom(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603
            [sys.executable, "-m", "aiom", *args],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def popen(self, *args: str, module: str = "aiom") -> subprocess.Popen[bytes]:
        return subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", module, *args],
            cwd=REPO,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )

    def run_child(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603
            [sys.executable, "-m", "tests.reliability.child", *args],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def snapshot(self) -> dict[str, Any]:
        import json

        done = self.run_child("snapshot")
        assert done.returncode == 0, done.stderr
        return dict(json.loads(done.stdout))

    def import_csv(self, path: Path) -> subprocess.CompletedProcess[str]:
        return self.aiom("import", str(path), "--preset", "aiom")


def must(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def migrate(url: str, var_dir: Path) -> None:
    must(Child(url, var_dir).aiom("migrate", "-v0"))


@contextmanager
def template_database(tmp: Path) -> Iterator[str]:
    """A migrated database to copy from: a SQLite file path, or a PostgreSQL database name."""
    if on_postgresql():
        name = f"aiom_rel_tpl_{os.getpid()}"
        pg_admin(f'DROP DATABASE IF EXISTS "{name}"')
        pg_admin(f'CREATE DATABASE "{name}"')
        try:
            migrate(pg_url(name), tmp)
            yield name
        finally:
            pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        path = tmp / "template.sqlite3"
        migrate(f"sqlite:///{path}", tmp)
        yield str(path)


@contextmanager
def fresh_database(template: str, tmp: Path) -> Iterator[Child]:
    if on_postgresql():
        name = f"aiom_rel_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        try:
            yield Child(pg_url(name), tmp)
        finally:
            pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        path = tmp / "aiom.sqlite3"
        shutil.copyfile(template, path)
        yield Child(f"sqlite:///{path}", tmp)


def inventory_csv(path: Path, rows: int, *, entered_days_ago: int = 60) -> Path:
    """An inventory in aiom's own export columns: `rows` use cases in intake."""
    entered = dt.date.today() - dt.timedelta(days=entered_days_ago)
    proposed = (entered - dt.timedelta(days=10)).isoformat()
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(
            ["external_id", "title", "org_unit_path", "stage", "proposed_on", "stage_entered_on"]
        )
        for i in range(1, rows + 1):
            unit = f"Group{SEPARATOR}Division {i % 7}"
            row = [
                f"rel-{i}",
                f"Generated use case {i}",
                unit,
                "intake",
                proposed,
                entered.isoformat(),
            ]
            out.writerow(row)
    return path


def read_until(proc: subprocess.Popen[bytes], needle: bytes, timeout: float = 120) -> bytes:
    """Read the child's stderr until `needle` appears; the bytes read so far."""
    assert proc.stderr is not None
    seen = b""
    deadline = time.monotonic() + timeout
    os.set_blocking(proc.stderr.fileno(), False)
    while needle not in seen:
        if time.monotonic() > deadline or proc.poll() is not None:
            rest = proc.stderr.read() or b""
            raise AssertionError(f"never saw {needle!r}: {(seen + rest)[-2000:]!r}")
        chunk = proc.stderr.read(4096)
        if chunk:
            seen += chunk
        else:
            time.sleep(0.01)
    return seen


def wait_for_file(path: Path, proc: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None:
            err = proc.stderr.read() if proc.stderr else b""
            raise AssertionError(f"the child exited {proc.returncode} first: {err[-2000:]!r}")
        assert time.monotonic() < deadline, f"no {path} within {timeout} s"
        time.sleep(0.02)


def kill(proc: subprocess.Popen[bytes]) -> int:
    proc.send_signal(signal.SIGKILL)
    return proc.wait(timeout=30)
