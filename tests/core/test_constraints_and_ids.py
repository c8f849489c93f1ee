"""Duplicates and oversized ids answer 4xx naming what is wrong, on SQLite and PostgreSQL.

A unique or check constraint a write hits (a race past a service's check, or a constraint
no service checks) is named by model and field from the database's own error; an id past
64 bits (or written in digits `int` refuses) is refused before any query.
"""

from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client, RequestFactory

from aiom.core import integrity, tokens
from aiom.core.errors import InvalidInput
from aiom.core.ids import MAX_ID, is_id_text, parse_id
from aiom.core.refusals import BadInputMiddleware
from aiom.organisation.models import OrgUnit
from aiom.portfolio import services
from aiom.portfolio.models import Theme
from aiom.technology.models import Vendor
from aiom.value.models import KPI
from tests.conftest import World

HUGE = "99999999999999999999"  # past 64 bits
JUST_PAST = str(MAX_ID + 1)


def _violation(make: Any) -> IntegrityError:
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        make()
    return caught.value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1),
        (" 42 ", 42),
        (str(MAX_ID), MAX_ID),
        (JUST_PAST, None),
        (HUGE, None),
        ("0", None),
        ("-1", None),
        ("²", None),  # str.isdigit says yes, int says no
        ("٣", None),  # Arabic-Indic three: not ASCII
        ("1e3", None),
        ("", None),
        (None, None),
    ],
)
def test_request_ids_are_ascii_digits_within_64_bits(text: Any, expected: int | None) -> None:
    assert parse_id(text) == expected
    assert is_id_text(text) == (expected is not None)


def test_a_duplicate_theme_name_is_refused_by_the_service_in_any_case(world: World) -> None:
    with pytest.raises(InvalidInput) as created:
        services.create_theme(actor=world.ada, key="again", name=world.theme.name.upper())
    assert set(created.value.errors) == {"name"}
    other = services.create_theme(actor=world.ada, key="other", name="Other theme")
    with pytest.raises(InvalidInput) as renamed:
        services.update_theme(actor=world.ada, theme=other, name=f"  {world.theme.name} ")
    assert "exists" in renamed.value.errors["name"]
    other.refresh_from_db()
    assert other.name == "Other theme"
    # renaming a theme to its own name (spaces trimmed) is no conflict
    services.update_theme(actor=world.ada, theme=other, name=" Other theme ")


def test_a_unique_field_violation_names_the_field(world: World) -> None:
    exc = _violation(lambda: Theme.objects.create(key="dup", name=world.theme.name))
    refused = integrity.as_invalid_input(exc)
    assert refused is not None
    assert refused.errors == {"name": "another theme already has this name"}


def test_a_multi_field_unique_constraint_names_its_last_field(world: World) -> None:
    KPI.objects.create(use_case=world.alice_uc, name="Hours saved")
    exc = _violation(lambda: KPI.objects.create(use_case=world.alice_uc, name="Hours saved"))
    refused = integrity.as_invalid_input(exc)
    assert refused is not None
    assert refused.errors == {"name": "another KPI already has this name for this use case"}


def test_an_expression_unique_constraint_names_its_field(db: Any) -> None:
    Vendor.objects.create(name="Acme")
    exc = _violation(lambda: Vendor.objects.create(name="ACME"))
    refused = integrity.as_invalid_input(exc)
    assert refused is not None
    assert list(refused.errors) == ["name"]


def test_other_integrity_errors_stay_errors(world: World) -> None:
    exc = _violation(lambda: OrgUnit.objects.create(code=None, name="x"))  # type: ignore[misc]
    assert integrity.as_invalid_input(exc) is None


def test_a_constraint_a_page_view_hits_answers_409_naming_the_field(world: World) -> None:
    exc = _violation(lambda: Theme.objects.create(key="dup", name=world.theme.name))
    request = RequestFactory().post("/themes/")
    request.user = world.ada
    middleware = BadInputMiddleware(lambda r: None)  # type: ignore[arg-type,return-value]
    response = middleware.process_exception(request, exc)
    assert response is not None and response.status_code == 409
    assert "another theme already has this name" in response.content.decode()
    assert middleware.process_exception(request, ValueError("a bug")) is None


def test_duplicate_theme_names_through_the_api_answer_4xx(client: Client, world: World) -> None:
    _, plaintext = tokens.create_token(
        actor=None, user=world.ada, name="t", scopes=("read", "write", "admin")
    )
    bearer = {"Authorization": f"Bearer {plaintext}"}
    created = client.post(
        "/api/v1/themes",
        {"key": "fresh", "name": world.theme.name.lower()},
        content_type="application/json",
        headers=bearer,
    )
    assert created.status_code == 422
    assert created.json()["detail"][0]["loc"] == ["body", "name"]


@pytest.mark.parametrize("value", [HUGE, JUST_PAST, "²", "-5"])
@pytest.mark.parametrize("name", ["owner", "org_unit", "theme"])
def test_oversized_ids_in_the_use_case_filter(
    client: Client, login: Any, world: World, name: str, value: str
) -> None:
    page = login("alice").get("/use-cases/", {name: value})
    assert page.status_code == 200
    assert "Some filters were ignored" in page.content.decode()
    _, plaintext = tokens.create_token(actor=None, user=world.alice, name="t")
    api = client.get(
        "/api/v1/use-cases", {name: value}, headers={"Authorization": f"Bearer {plaintext}"}
    )
    assert api.status_code == 422
    assert api.json()["detail"][0]["loc"][-1] == name


PAGES_WITH_IDS = [
    "/use-cases/{}/",
    "/use-cases/{}/edit/",
    "/dashboard/?org_unit={}",
    "/backlog/?theme={}&org_unit={}",
    "/change/?org_unit={}",
    "/incidents/?org_unit={}",
    "/literacy/?org_unit={}",
    "/maturity/?org_unit={}",
    "/silos/?org_unit={}",
]


@pytest.mark.parametrize("value", [HUGE, JUST_PAST, "²"])
@pytest.mark.parametrize("template", PAGES_WITH_IDS)
def test_pages_answer_oversized_ids_without_a_5xx(
    login: Any, world: World, template: str, value: str
) -> None:
    client = login("ada")
    client.raise_request_exception = False
    response = client.get(template.format(value, value))
    assert response.status_code < 500, (template, value)
