"""A save that changes nothing writes nothing: no event, no version, no `updated_at`.

Each service an edit form posts to, called with the values the object already holds (as
the form sends them back: CRLF line breaks, ids for instances), returns the object and
leaves the row and the audit trail untouched; one real change still writes one event.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import models

from aiom.catalogue import services as catalogue
from aiom.core.changes import changed_fields
from aiom.core.models import AuditEvent
from aiom.lifecycle import services as lifecycle
from aiom.monitoring import services as monitoring
from aiom.obligations import services as obligations
from aiom.portfolio import services as portfolio
from aiom.technology import services as technology
from tests.browser.filled import LINES, Filled, build
from tests.browser.round_trip import differences, state
from tests.conftest import World

CRLF = LINES.replace("\n", "\r\n")


@pytest.fixture
def filled(world: World) -> Filled:
    return build(world)


def _same(f: Filled) -> dict[str, tuple[Callable[[], Any], models.Model]]:
    """Per service: a call that re-saves what is stored, and the row it must not touch."""
    ends_on, criteria = f.pilot.ends_on, f.pilot.exit_criteria
    return {
        "theme": (
            lambda: portfolio.update_theme(
                actor=None, theme=f.theme, objective=CRLF, targets=f.theme.targets
            ),
            f.theme,
        ),
        "data product": (
            lambda: catalogue.update_data_product(
                actor=None,
                product=f.product,
                description=CRLF,
                steward=f.steward.pk,
                upstream=list(f.product.upstream.all()),
                tags="branches, footfall",
            ),
            f.product,
        ),
        "retired data product": (
            lambda: catalogue.update_data_product(
                actor=None, product=f.retired, access_status="retired", description=CRLF
            ),
            f.retired,
        ),
        "vendor": (
            lambda: technology.update_record(
                actor=None, record=f.vendor, risk_notes=CRLF, contract_end=f.vendor.contract_end
            ),
            f.vendor,
        ),
        "model": (
            lambda: technology.update_record(
                actor=None, record=f.model, owners=[f.world.bob.pk, f.world.alice.pk]
            ),
            f.model,
        ),
        "platform": (
            lambda: technology.update_record(
                actor=None, record=f.platform, environments="sandbox, staging, production"
            ),
            f.platform,
        ),
        "pilot plan": (
            lambda: lifecycle.plan_pilot(
                actor=None, use_case=f.use_case, exit_criteria=criteria, ends_on=ends_on
            ),
            f.pilot,
        ),
        "obligation status": (
            lambda: obligations.set_status(
                actor=f.world.ada,
                use_case=f.use_case,
                obligation=f.obligation,
                status="not_applicable",
                reason="  Handled by the group-wide register. ",
            ),
            f.use_case.obligation_statuses.get(obligation=f.obligation),
        ),
        "incident status": (
            lambda: monitoring.change_status(
                actor=None, incident=f.incident, status="investigating", lessons_learned=None
            ),
            f.incident,
        ),
    }


@pytest.mark.parametrize(
    "name",
    [
        "theme",
        "data product",
        "retired data product",
        "vendor",
        "model",
        "platform",
        "pilot plan",
        "obligation status",
        "incident status",
    ],
)
def test_saving_what_is_stored_writes_nothing(filled: Filled, name: str) -> None:
    save, row = _same(filled)[name]
    before, events = state([row]), AuditEvent.objects.count()
    returned = save()
    assert returned.pk == row.pk
    assert not differences(before, state([row]))
    assert AuditEvent.objects.count() == events


def test_a_real_change_still_writes_one_event(filled: Filled) -> None:
    events = AuditEvent.objects.count()
    technology.update_record(actor=None, record=filled.vendor, risk_notes="Renegotiated.")
    assert AuditEvent.objects.count() == events + 1
    assert state([filled.vendor])[0]["risk_notes"] == "Renegotiated."


def test_changed_fields_compares_what_is_meant(filled: Filled) -> None:
    model, product = filled.model, filled.product
    alice, bob = filled.world.alice, filled.world.bob
    assert changed_fields(model, {"vendor": filled.vendor.pk, "owners": [bob, alice]}) == []
    assert changed_fields(model, {"vendor": None, "owners": [alice]}) == ["vendor", "owners"]
    assert changed_fields(product, {"description": CRLF, "personal_data": True}) == []
    assert changed_fields(product, {"description": LINES + " More."}) == ["description"]
