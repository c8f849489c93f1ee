"""Control characters and unpaired surrogates are refused for every text, centrally.

The rule (aiom.core.text) runs before every model save, so no service can store such text
whichever interface called it, and the middleware refuses them in query strings, NUL in
form bodies and anything in API JSON bodies before a view runs. Each refusal names the
field; none is a 5xx.
"""

import json
from typing import Any

import pytest
from django.test import Client

from aiom.core import text
from aiom.core.errors import InvalidInput
from aiom.core.models import AuditEvent
from aiom.portfolio import services
from aiom.portfolio.models import Theme, UseCase
from tests.conftest import World


@pytest.mark.parametrize(
    ("value", "refused"),
    [
        ("plain text, ümlauts, emoji 🙂 and — dashes", None),
        ("tab\tnewline\ncarriage return\r", None),
        ("del \x7f and C1 \x85 are not C0", None),
        ("nul \x00", "a control character (U+0000) at position 5"),
        ("\x07bell", "a control character (U+0007) at position 1"),
        ("vertical\x0btab", "a control character (U+000B)"),
        ("escape \x1b[31m", "a control character (U+001B)"),
        ("unit separator \x1f", "a control character (U+001F)"),
        ("lone \ud800 high", "an unpaired surrogate (U+D800)"),
        ("lone \udfff low", "an unpaired surrogate (U+DFFF)"),
    ],
)
def test_which_text_is_refused(value: str, refused: str | None) -> None:
    found = text.problem(value)
    if refused is None:
        assert found is None
    else:
        assert found is not None and refused in found


def test_json_values_are_searched_keys_and_all() -> None:
    data = {"ok": ["fine", {"deep\x01key": "x", "metric": "a\x02"}]}
    found = dict(text.problems_in(data))
    assert set(found) == {("ok", 1, "deep\x01key"), ("ok", 1, "metric")}
    assert text.dotted(("targets", 0, "metric")) == "targets[0].metric"


def test_a_service_cannot_store_a_control_character_in_any_text_field(world: World) -> None:
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as refused:
        services.create_theme(actor=world.ada, key="ops", name="Ops", description="a\x07b")
    assert set(refused.value.errors) == {"description"}
    assert "U+0007" in refused.value.errors["description"]
    assert not Theme.objects.filter(key="ops").exists()
    assert AuditEvent.objects.count() == events


def test_a_save_of_other_fields_is_not_blocked_by_old_text(world: World) -> None:
    """Rows stored before the rule may hold such text: a save that writes other fields only
    (Django's last_login on sign-in, say) still works; one that writes the text is refused."""
    Theme.objects.filter(pk=world.theme.pk).update(description="old \x07 text")
    theme = Theme.objects.get(pk=world.theme.pk)
    theme.position = 7
    theme.save(update_fields=["position"])
    with pytest.raises(InvalidInput):
        theme.save(update_fields=["position", "description"])


def test_json_field_text_is_checked_too(world: World) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.update_theme(
            actor=world.ada,
            theme=world.theme,
            targets=[{"metric": "Hours\x00saved", "target": 5, "unit": "", "by": ""}],
        )
    assert set(refused.value.errors) == {"targets[0].metric"}


def test_a_lone_surrogate_is_refused_before_the_database_sees_it(world: World) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.update_use_case(actor=world.alice, use_case=world.alice_uc, title="Bad \udc80")
    assert set(refused.value.errors) == {"title"}
    world.alice_uc.refresh_from_db()
    assert "\udc80" not in world.alice_uc.title


def _bearer(world: World) -> dict[str, str]:
    from aiom.core import tokens

    _, plaintext = tokens.create_token(actor=None, user=world.alice, name="t")
    return {"Authorization": f"Bearer {plaintext}"}


@pytest.mark.parametrize(
    "raw_title", [r"A \u0000 nul", r"An \u001b escape", r"A lone \ud800 surrogate"]
)
def test_api_bodies_with_refused_text_answer_422_naming_the_field(
    client: Client, world: World, raw_title: str
) -> None:
    body = '{"title": "%s", "problem": "ok"}' % raw_title  # noqa: UP031 - raw JSON escapes
    response = client.patch(
        f"/api/v1/use-cases/{world.alice_uc.pk}",
        body,
        content_type="application/json",
        headers=_bearer(world),
    )
    assert response.status_code == 422, response.content
    (item,) = response.json()["detail"]
    assert item["loc"] == ["body", "title"]
    world.alice_uc.refresh_from_db()
    assert world.alice_uc.version == 1


def test_an_api_body_is_checked_whatever_its_content_type_claims(
    client: Client, world: World
) -> None:
    """A search stores nothing (no save hook would refuse it): the middleware must."""
    response = client.generic(
        "POST",
        "/api/v1/use-cases/similar",
        b'{"title": "A \\u0000 nul"}',
        content_type="text/plain",
        headers=_bearer(world),
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "title"]


def test_api_query_parameters_with_control_characters_answer_422(
    client: Client, world: World
) -> None:
    response = client.get("/api/v1/use-cases?q=a%00b", headers=_bearer(world))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "q"]


def test_page_query_parameters_with_control_characters_answer_400(login: Any, world: World) -> None:
    response = login("alice").get("/use-cases/?q=%1Bcards")
    assert response.status_code == 400
    html = response.content.decode()
    assert "query.q" in html and "U+001B" in html


def test_a_page_form_with_a_control_character_gets_a_form_error_and_keeps_the_input(
    login: Any, world: World
) -> None:
    client = login("alice")
    response = client.post(
        f"/use-cases/{world.alice_uc.pk}/edit/",
        {
            "title": "Mortgage\x0bsummariser",
            "org_unit": world.retail.pk,
            "owner": world.alice.pk,
            "ai_type": "generative",
            "sourcing": "buy",
            "vendor": "Acme",
            "environment": "sandbox",
            "version": "1",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "U+000B" in html
    assert 'value="Acme"' in html  # what was typed is still in the form
    assert UseCase.objects.get(pk=world.alice_uc.pk).version == 1


def test_a_browser_form_with_nul_gets_a_form_error(login: Any, world: World) -> None:
    response = login("alice").post(
        f"/use-cases/{world.alice_uc.pk}/edit/",
        "title=a%00b&version=1",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 422
    assert "Null characters are not allowed" in response.content.decode()


def test_json_bodies_elsewhere_are_untouched(client: Client, world: World) -> None:
    """Only the API's JSON is read by the middleware; a page posting JSON is the view's."""
    response = client.post(
        "/login/", json.dumps({"username": "a\x01"}), content_type="application/json"
    )
    assert response.status_code == 200


def test_a_measurement_import_names_the_line_and_column_of_a_control_character(
    world: World,
) -> None:
    """A bulk import skips save(): its parser refuses the row itself, naming line and column."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from aiom.value import services as value
    from aiom.value.models import Measurement

    value.define_kpi(actor=world.alice, use_case=world.alice_uc, name="Handling time", target=8)
    data = "kpi,value,measured_on,note\nHandling time,7,2026-01-05,fine\n"
    data += "Handling time,6,2026-01-06,bad\x1bnote\n"
    upload = SimpleUploadedFile("m.csv", data.encode("utf-8"), "text/csv")
    with pytest.raises(InvalidInput) as refused:
        value.import_measurements_csv(actor=world.alice, use_case=world.alice_uc, file=upload)
    assert set(refused.value.errors) == {"line 3"}
    assert refused.value.errors["line 3"].startswith("note contains a control character (U+001B)")
    assert not Measurement.objects.exists()


@pytest.mark.parametrize("depth", [900, 100_000])
def test_a_deeply_nested_api_body_is_a_4xx(client: Client, world: World, depth: int) -> None:
    response = client.post(
        "/api/v1/use-cases/similar",
        '{"title": ' + "[" * depth + "]" * depth + "}",
        content_type="application/json",
        headers=_bearer(world),
    )
    assert 400 <= response.status_code < 500
