"""The use-case panel, its forms (htmx and plain), and evidence download per persona."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from aiom.core.registry import registry
from aiom.obligations import services, uploads
from aiom.obligations.models import Evidence, ObligationStatus
from aiom.obligations.reading import overview
from aiom.portfolio import panels
from aiom.portfolio import services as portfolio
from tests.conftest import PERSONAS, World
from tests.obligations.conftest import PDF
from tests.query_counts import Budget

KEY = "operator_literacy"
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def only_our_panel(monkeypatch: pytest.MonkeyPatch) -> None:
    """The use-case page with this app's panel alone, whatever other apps register."""
    monkeypatch.setitem(
        registry, panels.STORE, {"obligations": registry[panels.STORE]["obligations"]}
    )


def evidence_on(world: World, use_case: Any, data: bytes = PDF) -> Evidence:
    return services.add_evidence(
        actor=None, use_case=use_case, obligation=KEY, chunks=[data], filename="record.pdf"
    )


def test_the_use_case_page_shows_obligations_with_references(world: World, login: Any) -> None:
    uc = portfolio.update_use_case(
        actor=world.alice, use_case=world.alice_uc, customer_facing=True, ai_type="generative"
    )
    services.add_evidence(
        actor=world.alice,
        use_case=uc,
        obligation="transparency_notice",
        url="https://intranet.example.com/notice",
        note="The banner text",
    )
    body = login("alice").get(reverse("portfolio:detail", args=[uc.pk])).content.decode()
    assert 'id="obligations"' in body
    assert "Tell users they are dealing with AI" in body
    assert "EU AI Act <strong>Art. 50(1)</strong>" in body
    assert "https://intranet.example.com/notice" in body and "The banner text" in body
    assert "Alice Example" in body  # who added the evidence
    assert reverse("obligations:status", args=[uc.pk, KEY]) in body
    assert 'enctype="multipart/form-data"' in body
    assert "style=" not in body.split('id="obligations"')[1].split("</section>")[0]


def test_forms_are_shown_only_to_those_who_may_use_them(world: World, login: Any) -> None:
    url = reverse("portfolio:detail", args=[world.alice_uc.pk])
    status_url = reverse("obligations:status", args=[world.alice_uc.pk, KEY])
    evidence_url = reverse("obligations:evidence", args=[world.alice_uc.pk, KEY])
    seen = {}
    for name in ("alice", "bob", "rita"):
        body = login(name).get(url).content.decode()
        seen[name] = (status_url in body, evidence_url in body)
    assert seen == {"alice": (True, True), "bob": (False, False), "rita": (True, False)}


def test_set_status_with_htmx_answers_the_partial(world: World, login: Any) -> None:
    url = reverse("obligations:status", args=[world.alice_uc.pk, KEY])
    response = login("alice").post(url, {"status": "met"}, **HX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="card" id="obligations">')
    assert "Marked met." in body
    assert ObligationStatus.objects.get(obligation=KEY).status == "met"


def test_a_refused_status_answers_422_with_the_reason(world: World, login: Any) -> None:
    url = reverse("obligations:status", args=[world.alice_uc.pk, KEY])
    response = login("alice").post(url, {"status": "not_applicable"}, **HX)
    assert response.status_code == 422
    assert "say why this obligation does not apply" in response.content.decode()
    response = login("bob").post(url, {"status": "met"}, **HX)
    assert response.status_code == 422
    assert not ObligationStatus.objects.exists()


def test_invisible_use_case_answers_404(world: World, login: Any) -> None:
    url = reverse("obligations:status", args=[world.wealth_secret.pk, KEY])
    assert login("alice").post(url, {"status": "met"}).status_code == 404
    panel = reverse("obligations:panel", args=[world.wealth_secret.pk])
    assert login("alice").get(panel).status_code == 404


def test_upload_evidence_through_the_form(world: World, login: Any) -> None:
    url = reverse("obligations:evidence", args=[world.alice_uc.pk, KEY])
    upload = SimpleUploadedFile("record.pdf", PDF, content_type="text/html")
    response = login("alice").post(url, {"file": upload, "note": "Signed sheet"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/use-cases/{world.alice_uc.pk}/#obligations")
    ev = Evidence.objects.get()
    assert ev.content_type == "application/pdf"  # ours, not the client's claim
    bad = SimpleUploadedFile("script.html", b"<script>", content_type="application/pdf")
    response = login("alice").post(url, {"file": bad}, follow=True)
    assert "files are not accepted" in response.content.decode()
    assert Evidence.objects.count() == 1


# Who may download evidence on Alice's CONFIDENTIAL use case: those who may see it.
DOWNLOAD = {
    "alice": 200,
    "bob": 200,  # same unit
    "charlie": 404,
    "pat": 404,  # partners never see confidential work
    "ada": 200,
    "rita": 200,
    "anonymous": 302,  # to the sign-in page
}


@pytest.mark.parametrize("name", PERSONAS)
def test_download_per_persona(world: World, login: Any, name: str) -> None:
    ev = evidence_on(world, world.alice_secret)
    response = login(name).get(reverse("obligations:download", args=[ev.pk]))
    assert response.status_code == DOWNLOAD[name]
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="record.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"


def test_partner_may_download_from_a_visible_use_case(world: World, login: Any) -> None:
    ev = evidence_on(world, world.alice_uc)
    assert login("pat").get(reverse("obligations:download", args=[ev.pk])).status_code == 200


def test_link_evidence_and_missing_files_answer_404(world: World, client: Client) -> None:
    link = services.add_evidence(
        actor=None, use_case=world.alice_uc, obligation=KEY, url="https://example.com/x"
    )
    client.force_login(world.alice)
    assert client.get(reverse("obligations:download", args=[link.pk])).status_code == 404
    ev = evidence_on(world, world.alice_uc)
    uploads.discard(ev.stored_name)
    assert client.get(reverse("obligations:download", args=[ev.pk])).status_code == 404


def test_the_panel_reads_in_a_fixed_number_of_queries(world: World, query_budget: Budget) -> None:
    def count() -> None:
        uc = type(world.alice_uc).objects.get(pk=world.alice_uc.pk)
        with query_budget("panel"):  # the policy, the statuses, the evidence
            overview(uc)

    services.set_status(actor=None, use_case=world.alice_uc, obligation=KEY, status="met")
    evidence_on(world, world.alice_uc)
    count()
    for i in range(5):
        services.add_evidence(
            actor=world.alice,
            use_case=world.alice_uc,
            obligation="incident_reporting",
            url=f"https://example.com/{i}",
        )
    count()
