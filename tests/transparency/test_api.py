from aiom.core.models import AuditEvent
from aiom.transparency.models import PublicationDecision
from aiom.transparency.register import PUBLIC_FIELDS
from tests.transparency.conftest import operational

ADMIN = ("read", "write", "admin")  # an administrator's token that acts as one
BODY = {
    "publish": True,
    "rationale": "Approved by the AI board.",
    "public_summary": "Drafts replies to letters.",
    "human_oversight": "Staff approve every reply.",
    "oversight_mode": "human_decides",
    "contact": "ai@example.org",
}


def test_public_register_needs_no_auth(reg, client):
    r = client.get("/api/v1/transparency/register")
    assert r.status_code == 200
    assert r["Cache-Control"] == "public, max-age=300"
    assert not r.cookies and "Cookie" not in r.get("Vary", "")
    body = r.json()
    assert body["organisation"] == "Group" and body["count"] == 1
    [entry] = body["use_cases"]
    assert entry["name"] == "Customer letter assistant" and entry["tier"] == "Medium"
    # EntryOut spells out the API's contract; it must be the feeds' columns, in their order
    assert list(entry) == PUBLIC_FIELDS


def test_decide_through_the_api(world, client, bearer):
    uc = operational(world, "Letter assistant")
    r = client.post(
        f"/api/v1/use-cases/{uc.pk}/publication",
        BODY,
        content_type="application/json",
        headers=bearer("ada", ADMIN),
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["published"] is True and body["reasons"] == []
    assert body["decided_by"] == world.ada.pk and body["reference"].startswith("AI-")
    stored = PublicationDecision.objects.get()
    assert stored.pk == body["id"] and stored.publish
    assert AuditEvent.objects.filter(action="publication.decide", actor=world.ada).exists()


def test_api_refusals(world, client, bearer):
    uc = operational(world, "Letter assistant", stage="pilot")
    url = f"/api/v1/use-cases/{uc.pk}/publication"
    r = client.post(url, BODY, content_type="application/json", headers=bearer("ada", ADMIN))
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "publish"]
    r = client.post(url, BODY, content_type="application/json", headers=bearer("alice"))
    assert r.status_code == 403
    r = client.post(url, BODY, content_type="application/json", headers=bearer("ada", ("read",)))
    assert r.status_code == 403
    secret = f"/api/v1/use-cases/{world.wealth_secret.pk}/publication"
    r = client.post(secret, BODY, content_type="application/json", headers=bearer("bob"))
    assert r.status_code == 404
    assert client.post(url, BODY, content_type="application/json").status_code == 401
    assert not PublicationDecision.objects.exists()
