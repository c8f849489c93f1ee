"""The `aiom` console script, run as a newcomer runs it: a real process on a real file."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

AIOM = Path(sys.executable).with_name("aiom")


def run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {
        **os.environ,
        "AIOM_VAR_DIR": str(tmp_path),
        "AIOM_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        **env,
    }
    environ.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(  # noqa: S603 - our own console script
        [str(AIOM), *args],
        capture_output=True,
        text=True,
        env=environ,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli")
    result = run(path, "migrate", "--no-input", "-v", "0")
    assert result.returncode == 0, result.stderr
    return path


def test_console_script_wraps_django_commands(migrated: Path) -> None:
    result = run(migrated, "help")
    assert result.returncode == 0
    for command in ("migrate", "createsuperuser", "serve", "token", "audit", "demo"):
        assert command in result.stdout


def test_audit_verify_passes_then_names_the_tampered_event(migrated: Path) -> None:
    ok = run(migrated, "audit", "verify")
    assert ok.returncode == 0, ok.stderr
    assert "audit chain OK: 6 events verified" in ok.stdout  # 5 default themes, 1 policy
    with sqlite3.connect(migrated / "cli.sqlite3") as db:
        db.execute("UPDATE core_auditevent SET actor_name = 'mallory' WHERE seq = 3")
    broken = run(migrated, "audit", "verify")
    assert broken.returncode == 1
    assert "BROKEN at event #3" in broken.stderr


def test_token_create_for_unknown_user_is_a_clear_error(migrated: Path) -> None:
    result = run(migrated, "token", "create", "nobody")
    assert result.returncode == 1
    assert "no user named 'nobody'" in result.stderr


def test_settings_come_from_the_environment(tmp_path: Path) -> None:
    code = (
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DEBUG, s.ALLOWED_HOSTS, len(s.SECRET_KEY))"
    )
    result = run(
        tmp_path,
        "shell",
        "-c",
        code,
        AIOM_DATABASE_URL="postgresql://u@db.example:5433/aiom",
        AIOM_DEBUG="1",
        AIOM_ALLOWED_HOSTS="aiom.example.org, intranet",
        AIOM_SECRET_KEY="k" * 60,
    )
    assert result.returncode == 0, result.stderr
    assert "django.db.backends.postgresql True ['aiom.example.org', 'intranet'] 60" in result.stdout
    generated = run(tmp_path, "shell", "-c", code)
    assert "django.db.backends.sqlite3 False ['127.0.0.1', 'localhost'] " in generated.stdout
    key_file = tmp_path / "secret.key"
    assert key_file.stat().st_mode & 0o777 == 0o600
