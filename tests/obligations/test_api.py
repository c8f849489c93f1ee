"""/use-cases/{id}/obligations (GET, PUT status, POST evidence) and /obligations/crosswalk."""

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from aiom.obligations import services
from aiom.obligations.models import Evidence, ObligationStatus
from tests.conftest import World
from tests.obligations.conftest import PDF

API = "/api/v1"
KEY = "operator_literacy"


def put(client: Client, url: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    return client.put(url, json.dumps(body), content_type="application/json", headers=headers)


def test_list_obligations(world: World, client: Client, bearer: Any) -> None:
    services.set_status(actor=world.alice, use_case=world.alice_uc, obligation=KEY, status="met")
    services.add_evidence(
        actor=world.alice, use_case=world.alice_uc, obligation=KEY, chunks=[PDF], filename="r.pdf"
    )
    r = client.get(f"{API}/use-cases/{world.alice_uc.pk}/obligations", headers=bearer("bob"))
    assert r.status_code == 200
    body = r.json()
    assert (body["pack"], body["tier"], body["open"]) == ("default", "", 1)
    items = {o["key"]: o for o in body["obligations"]}
    assert set(items) == {"incident_reporting", "operator_literacy"}
    item = items[KEY]
    assert (item["status"], item["updated_by"]) == ("met", "Alice Example")
    assert {"framework": "eu-ai-act", "id": "Art. 4", "note": "AI literacy"} in item["references"]
    [ev] = item["evidence"]
    assert ev["file_name"] == "r.pdf" and ev["content_type"] == "application/pdf"
    assert ev["download_url"] == f"/obligations/evidence/{ev['id']}/"
    assert ev["api_download_url"] == f"{API}/obligations/evidence/{ev['id']}/file"
    assert items["incident_reporting"]["status"] == "open"


@pytest.mark.parametrize(("name", "status"), [("charlie", 404), ("pat", 404), ("ada", 200)])
def test_invisible_use_cases_answer_404(
    world: World, client: Client, bearer: Any, name: str, status: int
) -> None:
    r = client.get(f"{API}/use-cases/{world.alice_secret.pk}/obligations", headers=bearer(name))
    assert r.status_code == status


def test_put_status(world: World, client: Client, bearer: Any) -> None:
    url = f"{API}/use-cases/{world.alice_uc.pk}/obligations/{KEY}"
    r = put(client, url, {"status": "not_applicable"}, bearer("alice"))
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "reason"]
    r = put(client, url, {"status": "not_applicable", "reason": "Batch only"}, bearer("alice"))
    assert r.status_code == 200
    assert (r.json()["status"], r.json()["reason"]) == ("not_applicable", "Batch only")
    assert ObligationStatus.objects.get().reason == "Batch only"
    assert put(client, url, {"status": "met"}, bearer("bob")).status_code == 403
    assert put(client, url, {"status": "met"}, bearer("rita")).status_code == 200
    r = put(client, url, {"status": "met"}, bearer("alice", scopes=("read",)))
    assert r.status_code == 403
    missing = f"{API}/use-cases/{world.alice_uc.pk}/obligations/risk_management_system"
    assert put(client, missing, {"status": "met"}, bearer("alice")).status_code == 422


def test_post_evidence_link_and_file(world: World, client: Client, bearer: Any) -> None:
    url = f"{API}/use-cases/{world.alice_uc.pk}/obligations/{KEY}/evidence"
    r = client.post(url, {"url": "https://example.com/lms", "note": "LMS"}, headers=bearer("alice"))
    assert r.status_code == 201, r.content
    assert (r.json()["url"], r.json()["download_url"]) == ("https://example.com/lms", None)
    upload = SimpleUploadedFile("sheet.pdf", PDF, content_type="application/octet-stream")
    r = client.post(url, {"file": upload}, headers=bearer("alice"))
    assert r.status_code == 201, r.content
    assert r.json()["content_type"] == "application/pdf" and r.json()["size"] == len(PDF)
    fake = SimpleUploadedFile("fake.pdf", b"<html>", content_type="application/pdf")
    r = client.post(url, {"file": fake}, headers=bearer("alice"))
    assert r.status_code == 422 and "not that type" in r.json()["detail"][0]["msg"]
    r = client.post(url, {"url": "https://example.com/x"}, headers=bearer("rita"))
    assert r.status_code == 403
    assert Evidence.objects.count() == 2


def test_crosswalk_api(world: World, client: Client, bearer: Any) -> None:
    services.set_status(actor=None, use_case=world.alice_secret, obligation=KEY, status="met")
    r = client.get(f"{API}/obligations/crosswalk?framework=eu-ai-act", headers=bearer("ada"))
    assert r.status_code == 200
    rows = {row["reference"]: row for row in r.json()["rows"]}
    assert (rows["Art. 4"]["met"], rows["Art. 4"]["open"]) == (1, 2)
    assert rows["Art. 4"]["use_cases"]["met"] == [
        {"id": world.alice_secret.pk, "title": world.alice_secret.title}
    ]
    r = client.get(f"{API}/obligations/crosswalk?framework=eu-ai-act", headers=bearer("charlie"))
    rows = {row["reference"]: row for row in r.json()["rows"]}
    assert (rows["Art. 4"]["met"], rows["Art. 4"]["open"]) == (0, 2)
    r = client.get(f"{API}/obligations/crosswalk?framework=gdpr", headers=bearer("ada"))
    assert r.status_code == 404


@pytest.mark.parametrize(
    ("name", "status"),
    [("alice", 200), ("bob", 200), ("charlie", 404), ("pat", 404), ("ada", 200), ("rita", 200)],
)
def test_api_download_per_persona(
    world: World, client: Client, bearer: Any, name: str, status: int
) -> None:
    ev = services.add_evidence(
        actor=None, use_case=world.alice_secret, obligation=KEY, chunks=[PDF], filename="r.pdf"
    )
    r = client.get(f"{API}/obligations/evidence/{ev.pk}/file", headers=bearer(name))
    assert r.status_code == status
    if status == 200:
        assert b"".join(r.streaming_content) == PDF  # type: ignore[attr-defined]
        assert r["Content-Disposition"] == 'attachment; filename="r.pdf"'
        assert r["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"{API}/obligations/evidence/{ev.pk}/file").status_code == 401
