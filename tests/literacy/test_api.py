import io
from typing import Any

import pytest

from aiom.literacy.models import TrainingRecord
from tests.literacy.test_imports import GOOD

ADMIN = ("read", "write", "admin")  # an administrator's token that acts as one

API = "/api/v1"


def test_list_is_scoped(trained: Any, bearer: Any, client: Any) -> None:
    ada = client.get(f"{API}/training-records", headers=bearer("ada", ADMIN)).json()
    assert ada["count"] == 5
    bob = client.get(f"{API}/training-records", headers=bearer("bob")).json()
    assert [r["person_name"] for r in bob["items"]] == ["Bob Example"]
    alice = client.get(f"{API}/training-records", headers=bearer("alice")).json()
    assert {r["person"] for r in alice["items"]} == {trained.alice.pk, trained.bob.pk}
    only = client.get(f"{API}/training-records?level=reviewer", headers=bearer("ada", ADMIN)).json()
    assert only["count"] == 1


def test_create_record(world: Any, bearer: Any, client: Any) -> None:
    body = {
        "person": world.bob.pk,
        "course": "Basics",
        "level": "awareness",
        "completed_on": "2026-01-10",
    }
    r = client.post(
        f"{API}/training-records",
        body,
        content_type="application/json",
        headers=bearer("ada", ADMIN),
    )
    assert r.status_code == 201 and r.json()["course"] == "Basics"
    assert TrainingRecord.objects.get().person == world.bob
    r = client.post(
        f"{API}/training-records", body, content_type="application/json", headers=bearer("bob")
    )
    assert r.status_code == 403
    r = client.post(
        f"{API}/training-records",
        body | {"level": "guru"},
        content_type="application/json",
        headers=bearer("ada", ADMIN),
    )
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "level"]
    r = client.post(
        f"{API}/training-records",
        body,
        content_type="application/json",
        headers=bearer("ada", scopes=("read",)),
    )
    assert r.status_code == 403


def test_import(world: Any, bearer: Any, client: Any) -> None:
    upload = io.BytesIO(GOOD.encode())
    upload.name = "hr.csv"
    r = client.post(
        f"{API}/training-records/import", {"file": upload}, headers=bearer("ada", ADMIN)
    )
    assert r.status_code == 200 and r.json() == {"created": 2, "skipped": 0, "people": 2}
    bad = io.BytesIO(b"username_or_email,course,provider,level,completed_on\nzed,a,b,awareness,x\n")
    bad.name = "bad.csv"
    r = client.post(f"{API}/training-records/import", {"file": bad}, headers=bearer("ada", ADMIN))
    assert r.status_code == 422
    assert {d["loc"][1] for d in r.json()["detail"]} == {
        "line 2: username_or_email",
        "line 2: completed_on",
    }


@pytest.mark.parametrize(("name", "status"), [("ada", 200), ("bob", 200), ("pat", 403)])
def test_coverage(trained: Any, bearer: Any, client: Any, name: str, status: int) -> None:
    r = client.get(f"{API}/literacy/coverage?org_unit={trained.retail.pk}", headers=bearer(name))
    assert r.status_code == status
    if status == 200:
        body = r.json()
        assert (body["people"], body["trained"], body["people_share"]) == (2, 1, 0.5)
        assert body["target"] == 0.8 and body["meets_target"] is False
        assert any(row["role"] == "business_owner" for row in body["by_role"])


def test_coverage_unknown_unit_and_anonymous(trained: Any, bearer: Any, client: Any) -> None:
    assert (
        client.get(
            f"{API}/literacy/coverage?org_unit=999999", headers=bearer("ada", ADMIN)
        ).status_code
        == 404
    )
    assert client.get(f"{API}/literacy/coverage").status_code == 401
