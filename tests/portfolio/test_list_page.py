"""The portfolio list page: one aggregate for the count and the stage bar, filter choices
rendered once, queries that do not grow with the portfolio or the organisation."""

import pytest

from aiom.organisation import services as org
from aiom.portfolio import list_page, services, views
from aiom.portfolio.models import UseCase
from tests.conftest import World
from tests.query_counts import Budget


@pytest.mark.parametrize(
    ("choices", "selected", "expected"),
    [
        ([(1, "A"), (2, "B")], None, '<option value="1">A</option><option value="2">B</option>'),
        (
            [(1, "A"), (2, "B")],
            2,
            '<option value="1">A</option><option value="2" selected>B</option>',
        ),
        ([(1, "A")], "1", '<option value="1" selected>A</option>'),
        ([(3, "<R&D>")], 4, '<option value="3">&lt;R&amp;D&gt;</option>'),
        ([], 1, ""),
    ],
)
def test_select_options_mark_the_choice_and_escape_labels(choices, selected, expected) -> None:
    assert list_page.select_options(choices, selected) == expected


def test_count_and_pages_come_from_the_stage_counts(
    login, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for i in range(3):
        services.create_use_case(
            actor=None, title=f"Extra {i}", org_unit=world.cards, owner=world.alice
        )
    client = login("ada")
    total = UseCase.objects.count()
    html = client.get("/use-cases/").content.decode()
    assert f'id="result-count">{total}<' in html
    assert f"Page 1 of {(total + 1) // 2}" in html
    intake = UseCase.objects.filter(stage="intake").count()
    html = client.get("/use-cases/", {"stage": "intake", "page": 2}).content.decode()
    assert f'id="result-count">{intake}<' in html
    assert f"Page 2 of {(intake + 1) // 2}" in html
    # Bob sees fewer than Ada (Charlie's confidential use case): his count is his own
    seen_by_bob = UseCase.objects.visible_to(world.bob).count()
    assert seen_by_bob < total
    html = login("bob").get("/use-cases/").content.decode()
    assert f'id="result-count">{seen_by_bob}<' in html


def test_filter_form_marks_the_chosen_unit_and_theme(login, world: World) -> None:
    html = (
        login("ada")
        .get("/use-cases/", {"org_unit": world.cards.pk, "theme": world.theme.pk})
        .content.decode()
    )
    assert f'<option value="{world.cards.pk}" selected>— — {world.cards.name}</option>' in html
    assert f'<option value="{world.theme.pk}" selected>{world.theme.name}</option>' in html
    assert f'<option value="{world.retail.pk}">— {world.retail.name}</option>' in html


def test_queries_do_not_grow_with_org_units_and_themes(
    login, world: World, query_budget: Budget
) -> None:
    client = login("bob")
    client.get("/use-cases/")
    with query_budget("list_page_with_more_units_and_themes"):
        client.get("/use-cases/")
    for i in range(20):
        unit = org.create_org_unit(actor=None, name=f"Unit {i}", parent=world.retail)
        services.create_use_case(actor=None, title=f"In unit {i}", org_unit=unit, owner=world.alice)
        services.create_theme(actor=world.ada, key=f"theme-{i}", name=f"Theme {i}")
    with query_budget("list_page_with_more_units_and_themes"):
        html = client.get("/use-cases/").content.decode()
    assert "Unit 19" in html
    assert "Theme 19" in html
