"""/healthz and /readyz: no login, no cookies; readiness names what is wrong."""

from typing import Any
from unittest import mock

from django.db.migrations.executor import MigrationExecutor
from django.test import Client


def test_healthz_answers_ok_without_touching_the_database(client: Client) -> None:
    # no `db` fixture: any query here would raise
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert not response.cookies
    assert "no-cache" in response["Cache-Control"]


def test_readyz_is_ok_when_the_database_answers_and_is_migrated(client: Client, db: Any) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert not response.cookies


def test_readyz_names_unapplied_migrations(client: Client, db: Any) -> None:
    migration = mock.Mock(app_label="core", name="0099_future")
    migration.name = "0099_future"
    with mock.patch.object(MigrationExecutor, "migration_plan", return_value=[(migration, False)]):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "problems": {"migrations": "1 unapplied: core.0099_future"},
    }


def test_readyz_names_an_unreachable_database(client: Client, db: Any) -> None:
    from django.db import connections

    with mock.patch.object(
        type(connections["default"]), "cursor", side_effect=OSError("connection refused")
    ):
        response = client.get("/readyz")
    assert response.status_code == 503
    problems = response.json()["problems"]
    assert list(problems) == ["database"]
    assert "connection refused" in problems["database"]


def test_health_endpoints_need_no_login_and_refuse_writes(client: Client, db: Any) -> None:
    assert client.post("/healthz").status_code == 405
    assert client.get("/readyz").status_code == 200  # anonymous


def test_probes_are_not_redirected_to_https(client: Client, db: Any, settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/login/").status_code == 301
