"""Adversaries probe ids: an object they may not see answers exactly as one that does not
exist (404, the same body, page and API), never 403, so its existence never leaks.

One test per kind of object with an access helper (portfolio.access, catalogue.access,
technology.access, monitoring.access, governance.review_access). The outsider is an
internal person who may not see the object where such a person exists (confidential use
cases, their incidents and reviews); data products and registry records are hidden from
partners only, so there both adversaries are partners: Pat (scoped to Retail) and Paula
(partner for the whole organisation).
"""

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from aiom.catalogue import services as catalogue
from aiom.core import tokens
from aiom.governance.assessments import services as assessments
from aiom.governance.reviews import services as reviews
from aiom.lifecycle import services as lifecycle
from aiom.monitoring import services as monitoring
from aiom.organisation.models import Role
from aiom.portfolio import services as portfolio
from aiom.technology import services as technology
from tests.answers import MEDIUM
from tests.conftest import World, make_person
from tests.lifecycle.conftest import CRITERIA, advance, meet_obligations

MISSING = 10_000_000
# What differs between two renderings of one page for one person: the CSP nonce, the CSRF
# token and the request id.
_PER_REQUEST = re.compile(rb'(nonce|value|content|data-request-id)="[^"]*"')


def _page(user: User, url: str) -> tuple[int, bytes]:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    return response.status_code, _PER_REQUEST.sub(rb'\1=""', response.content)


def _api(user: User, url: str) -> tuple[int, bytes]:
    _, plaintext = tokens.create_token(actor=None, user=user, name="probe", scopes=("read",))
    response = Client().get(url, headers={"Authorization": f"Bearer {plaintext}"})
    return response.status_code, response.content


def assert_alike(adversaries: list[User], page: str, api: str, pk: int) -> None:
    """Each adversary gets the same 404 for `pk` as for an id that does not exist."""
    for user in adversaries:
        for fetch, url in ((_page, page), (_api, api)):
            hidden = fetch(user, url.format(pk=pk))
            missing = fetch(user, url.format(pk=MISSING))
            assert hidden[0] == 404, (user.username, url, hidden[0])
            assert hidden == missing, (user.username, url)


@pytest.fixture
def paula(world: World) -> User:
    return make_person("paula", None, (Role.PARTNER, None))


def test_use_case(world: World) -> None:
    # alice_secret: confidential, in Retail; Charlie is in Wealth, Pat a Retail partner.
    assert_alike(
        [world.charlie, world.pat],
        "/use-cases/{pk}/",
        "/api/v1/use-cases/{pk}",
        world.alice_secret.pk,
    )


def test_data_product(world: World, paula: User) -> None:
    hidden = catalogue.create_data_product(
        actor=world.ada, name="Retail customers", domain=world.retail, classification="internal"
    )
    assert_alike(
        [world.pat, paula], "/data-products/{pk}/", "/api/v1/data-products/{pk}", hidden.pk
    )


@pytest.mark.parametrize("kind", ["models", "platforms", "vendors"])
def test_registry_record(world: World, paula: User, kind: str) -> None:
    made: dict[str, Any] = {
        "models": lambda: technology.create_model(
            actor=world.ada, name="Fraud scorer", model_type="predictive"
        ),
        "platforms": lambda: technology.create_platform(actor=world.ada, name="LLM gateway"),
        "vendors": lambda: technology.create_vendor(actor=world.ada, name="Acme AI"),
    }
    record = made[kind]()
    assert_alike(
        [world.pat, paula],
        f"/registry/{kind}/{{pk}}/",
        f"/api/v1/registry/{kind}/{{pk}}",
        record.pk,
    )
    # the edit form too: 404 before any "may not change" answer
    assert_alike(
        [world.pat, paula],
        f"/registry/{kind}/{{pk}}/edit/",
        f"/api/v1/registry/{kind}/{{pk}}",
        record.pk,
    )


def test_incident(world: World) -> None:
    incident = monitoring.report_incident(
        actor=world.alice,
        use_case=world.alice_secret,
        title="Wrong answer about fees",
        occurred_at=timezone.now() - dt.timedelta(days=2),
        severity="low",
        harms=["people"],
        people_affected=12,
    )
    assert_alike(
        [world.charlie, world.pat], "/incidents/{pk}/", "/api/v1/incidents/{pk}", incident.pk
    )


def test_review(world: World) -> None:
    uc = portfolio.update_use_case(
        actor=world.alice,
        use_case=world.alice_uc,
        sponsor=world.ada,
        problem="Underwriters spend hours reading applicant documents by hand.",
        value_hypothesis="Cut reading time by a third without more errors.",
    )
    assessments.assess(actor=world.alice, use_case=uc, answers=MEDIUM)
    meet_obligations(uc)
    uc = advance(uc, world.alice, "feasibility", "risk_review")
    lifecycle.plan_pilot(
        actor=world.alice,
        use_case=uc,
        exit_criteria=CRITERIA,
        ends_on=timezone.localdate() + dt.timedelta(days=90),
    )
    review = reviews.request_review(actor=world.alice, use_case=uc, to_stage="pilot")
    portfolio.update_use_case(actor=world.alice, use_case=uc, confidential=True)
    assert_alike([world.charlie, world.pat], "/reviews/{pk}/", "/api/v1/reviews/{pk}", review.pk)
