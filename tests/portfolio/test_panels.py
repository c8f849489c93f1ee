"""The use-case page is its registered panels: one a test registers shows in its place,
answers its form through `panels.answer`, and a key registered twice is refused."""

import copy
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from aiom.core.registry import RegistryError, registry
from aiom.portfolio import panels
from aiom.portfolio.access import use_case_for
from aiom.portfolio.models import UseCase
from tests.conftest import World

TEMPLATE = "test_panel/_panel.html"
HX = {"HTTP_HX_REQUEST": "true"}


def probe_context(request: HttpRequest, use_case: UseCase) -> dict[str, Any]:
    return {"probe": {"title": use_case.title, "error": "", "done": ""}}


def probe_post(request: HttpRequest, pk: int) -> HttpResponse:
    """The test panel's form: refuses an empty `word`, else says it was heard."""
    uc = use_case_for(request, pk).use_case
    word = request.POST.get("word", "")
    if not word:
        return panels.answer(request, uc, "probe", error="Say a word.", anchor="#probe")
    return panels.answer(request, uc, "probe", done=f"Heard {word}.", anchor="#probe")


urlpatterns = [path("probe/<int:pk>/", probe_post), path("", include("aiom.urls"))]


@pytest.fixture(autouse=True)
def probe_panel(monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path) -> None:
    """A test app's panel between value (30) and catalogue (33), in a copy of the store."""
    (tmp_path / "test_panel").mkdir()
    (tmp_path / TEMPLATE).write_text(
        '<section class="card" id="probe"><h2>Probe of {{ probe.title }}</h2>'
        "{% if probe.error %}<p role=alert>{{ probe.error }}</p>{% endif %}"
        "{% if probe.done %}<p role=status>{{ probe.done }}</p>{% endif %}</section>"
    )
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [tmp_path, *templates[0]["DIRS"]]
    settings.TEMPLATES = templates
    settings.ROOT_URLCONF = __name__
    monkeypatch.setitem(registry, panels.STORE, dict(registry[panels.STORE]))
    panels.register("probe", TEMPLATE, probe_context, order=31)


def test_a_registered_panel_shows_in_its_place(world: World, login: Any) -> None:
    html = login("alice").get(f"/use-cases/{world.alice_uc.pk}/").content.decode()
    assert f"<h2>Probe of {world.alice_uc.title}</h2>" in html
    assert html.index('id="lifecycle"') < html.index('id="probe"') < html.index('id="timeline"')


def test_the_panel_answers_htmx_with_itself(world: World, login: Any) -> None:
    client = login("alice")
    heard = client.post(f"/probe/{world.alice_uc.pk}/", {"word": "hello"}, **HX)
    assert heard.status_code == 200
    assert heard.content.decode().startswith('<section class="card" id="probe">')
    assert "<p role=status>Heard hello.</p>" in heard.content.decode()
    refused = client.post(f"/probe/{world.alice_uc.pk}/", {}, **HX)
    assert (
        refused.status_code == 422 and "<p role=alert>Say a word.</p>" in refused.content.decode()
    )


def test_the_panel_answers_a_plain_post_with_the_page_at_its_anchor(
    world: World, login: Any
) -> None:
    client = login("alice")
    r = client.post(f"/probe/{world.alice_uc.pk}/", {"word": "hello"})
    assert r.status_code == 302 and r["Location"] == f"/use-cases/{world.alice_uc.pk}/#probe"
    assert "Heard hello." in client.get(r["Location"]).content.decode()


def test_a_key_registered_twice_is_refused() -> None:
    with pytest.raises(RegistryError, match="'probe' is registered twice"):
        panels.register("probe", TEMPLATE, probe_context, order=31)
    assert registry[panels.STORE]["probe"].order == 31


def test_the_shipped_page_order() -> None:
    """Every section is a panel, in the order the page always had."""
    keys = [p.key for p in panels.registered() if p.key != "probe"]
    assert keys == [
        "summary",
        "lifecycle",
        "assessment",
        "pilot_plan",
        "value",
        "catalogue",
        "similarity",
        "obligations",
        "change",
        "monitoring",
        "technology",
        "transparency",
        "reviews",
        "timeline",
    ]
    rows = panels.rows(panels.registered())
    assert [r.templates for r in rows if r.side_by_side] == [
        ("governance/_assessment_summary.html", "lifecycle/_pilot.html")
    ]
