"""Production settings from the environment, `aiom check --deploy`, headers and the CSP."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = REPO / "src" / "aiom" / "templates"
AIOM = Path(sys.executable).with_name("aiom")


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIOM_", "DJANGO_"))}
    # A production install names its mail server; the SMTP backend follows from it.
    env.update(
        AIOM_SECRET_KEY=secrets.token_urlsafe(50), AIOM_EMAIL_HOST="smtp.example.org", **extra
    )
    return env


def _settings(**extra: str) -> dict[str, Any]:
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "names = ['SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT', "
        "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_PROXY_SSL_HEADER', "
        "'AIOM_LOG_FORMAT']; "
        "print(json.dumps({n: getattr(settings, n, None) for n in names}))"
    )
    env = _env(DJANGO_SETTINGS_MODULE="aiom.settings", **extra)
    out = subprocess.run(  # noqa: S603 - our own interpreter and console script
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def test_check_deploy_is_clean_for_the_production_environment() -> None:
    env = _env(AIOM_DEBUG="0", AIOM_TLS="1")
    out = subprocess.run(  # noqa: S603 - our own interpreter and console script
        [str(AIOM), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


def test_check_deploy_warns_without_tls() -> None:
    # the checks are live: the same command without AIOM_TLS fails on cookies and HSTS
    out = subprocess.run(  # noqa: S603 - our own interpreter and console script
        [str(AIOM), "check", "--deploy", "--fail-level", "WARNING"],
        env=_env(AIOM_DEBUG="0"),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert out.returncode != 0
    for check in ["security.W004", "security.W008", "security.W012", "security.W016"]:
        assert check in out.stderr


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {"AIOM_TLS": "1"},
            [True, True, True, 31536000, True, None, "json"],
        ),
        (
            {"AIOM_SECURE_COOKIES": "1", "AIOM_PROXY_SSL_HEADER": "X-Forwarded-Proto"},
            [True, True, False, 31536000, True, ["HTTP_X_FORWARDED_PROTO", "https"], "json"],
        ),
        ({}, [False, False, False, 0, False, None, "json"]),
        ({"AIOM_DEBUG": "1", "AIOM_TLS": "1"}, [False, False, False, 0, False, None, "text"]),
        ({"AIOM_LOG_FORMAT": "text"}, [False, False, False, 0, False, None, "text"]),
    ],
)
def test_transport_security_follows_the_environment(env: dict[str, str], expected: list) -> None:
    assert list(_settings(**env).values()) == expected


def test_security_headers_on_every_page(client: Client, db: Any) -> None:
    response = client.get("/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp
    assert "'unsafe-eval'" not in csp
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "'nonce-" in script_src
    assert "frame-ancestors 'none'" in csp


def test_no_template_has_an_inline_script_without_nonce_or_an_inline_style() -> None:
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "nonce=" not in tag:
                offenders.append(f"{path.relative_to(TEMPLATES)}: {tag}")
        if re.search(r"\sstyle\s*=", text):
            offenders.append(f"{path.relative_to(TEMPLATES)}: style=")
        if re.search(r"\son[a-z]+\s*=\s*[\"']", text):
            offenders.append(f"{path.relative_to(TEMPLATES)}: inline event handler")
    assert offenders == []


def test_upload_limits_and_file_permissions(settings: Any) -> None:
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 10 * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 2 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == 2000
    assert settings.FILE_UPLOAD_PERMISSIONS == 0o640
    assert not str(settings.MEDIA_ROOT).startswith(str(settings.STATIC_ROOT))


def test_passwords_are_hashed_and_validated(settings: Any, db: Any) -> None:
    from django.contrib.auth.password_validation import get_default_password_validators

    names = {type(v).__name__ for v in get_default_password_validators()}
    assert {"MinimumLengthValidator", "CommonPasswordValidator"} <= names


def test_an_oversized_body_is_refused_before_the_view(client: Client, world: Any) -> None:
    client.force_login(world.alice)
    big = "x" * (10 * 1024 * 1024 + 1)
    response = client.post("/api/v1/use-cases", big, content_type="application/json")
    assert response.status_code in (400, 413)
