"""Adding and changing registry records through the web forms."""

from typing import Any

import pytest
from django.test import Client

from aiom.core.models import AuditEvent
from aiom.technology.models import AIModel, Vendor
from tests.conftest import World
from tests.technology.conftest import Registry


def as_ian(client: Client, reg: Registry) -> Client:
    client.force_login(reg.ian)
    return client


def test_an_ai_expert_adds_a_model(client: Client, world: World, reg: Registry) -> None:
    page = as_ian(client, reg).get("/registry/models/new/")
    assert page.status_code == 200 and "Add a model" in page.content.decode()
    response = client.post(
        "/registry/models/new/",
        {
            "name": "Llama",
            "version": "3.1",
            "vendor": "",
            "model_type": "generative_llm",
            "status": "active",
            "owners": [world.alice.pk],
            "evaluated_on": "2026-02-01",
        },
    )
    made = AIModel.objects.get(name="Llama")
    assert response.status_code == 302 and response["Location"] == f"/registry/models/{made.pk}/"
    assert made.in_house and list(made.owners.all()) == [world.alice]
    assert AuditEvent.objects.filter(action="create", object_id=str(made.pk)).exists()


def test_a_clash_is_shown_on_the_form(client: Client, reg: Registry) -> None:
    response = as_ian(client, reg).post("/registry/vendors/new/", {"name": "openai"})
    assert response.status_code == 422
    assert "a vendor with that name exists" in response.content.decode()
    assert Vendor.objects.count() == 2


def test_the_keeper_edits_their_vendor(login: Any, reg: Registry) -> None:
    client = login("bob")
    page = client.get(f"/registry/vendors/{reg.openai.pk}/edit/")
    assert page.status_code == 200 and 'value="OpenAI"' in page.content.decode()
    response = client.post(
        f"/registry/vendors/{reg.openai.pk}/edit/",
        {"name": "OpenAI", "dpa_signed": "on", "risk_notes": "US processing"},
    )
    assert response.status_code == 302
    assert Vendor.objects.get(pk=reg.openai.pk).risk_notes == "US processing"


@pytest.mark.parametrize(
    ("who", "url", "status"),
    [
        ("alice", "/registry/models/new/", 403),
        ("bob", "/registry/vendors/{acme}/edit/", 403),
        ("pat", "/registry/vendors/{openai}/edit/", 404),
        ("ada", "/registry/gadgets/new/", 404),
    ],
)
def test_refusals(login: Any, reg: Registry, who: str, url: str, status: int) -> None:
    path = url.format(acme=reg.acme.pk, openai=reg.openai.pk)
    assert login(who).get(path).status_code == status


def test_edit_buttons_follow_the_rights(login: Any, reg: Registry) -> None:
    edit = f"/registry/vendors/{reg.openai.pk}/edit/"
    assert edit in login("bob").get(f"/registry/vendors/{reg.openai.pk}/").content.decode()
    assert edit not in login("alice").get(f"/registry/vendors/{reg.openai.pk}/").content.decode()
    assert "/registry/models/new/" in login("ada").get("/registry/").content.decode()
    assert "/registry/models/new/" not in login("alice").get("/registry/").content.decode()
