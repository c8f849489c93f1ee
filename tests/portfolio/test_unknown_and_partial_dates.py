"""Dates a source does not give stay unknown; a partial date keeps its precision."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from aiom.core.errors import InvalidInput
from aiom.core.partial_dates import Precision, known, shown, start_of
from aiom.inventory.bulk import create_imported_use_cases
from aiom.lifecycle.models import StageChange
from aiom.portfolio import services
from aiom.portfolio.models import UseCase
from tests.conftest import World

D = dt.date(2023, 8, 17)


@pytest.mark.parametrize(
    ("precision", "start", "text"),
    [
        (Precision.DAY, dt.date(2023, 8, 17), "2023-08-17"),
        (Precision.MONTH, dt.date(2023, 8, 1), "2023-08"),
        (Precision.QUARTER, dt.date(2023, 7, 1), "Q3 2023"),
        (Precision.YEAR, dt.date(2023, 1, 1), "2023"),
    ],
)
def test_a_partial_date_is_the_start_of_its_period_shown_as_the_period(
    precision: str, start: dt.date, text: str
) -> None:
    assert start_of(D, precision) == start
    assert shown(start, precision) == text


def test_an_unknown_date_is_shown_as_unknown_and_known_refuses_it() -> None:
    assert shown(None) == "unknown"
    assert known(D) == D
    with pytest.raises(ValueError, match="unknown"):
        known(None)


@pytest.mark.django_db
def test_an_import_without_dates_stores_none_not_the_import_day(world: World) -> None:
    _made, refused = create_imported_use_cases(
        actor=None,
        rows=[
            {"title": "No dates", "org_unit": world.retail, "stage": "pilot"},
            {
                "title": "Month only",
                "org_unit": world.retail,
                "stage": "intake",
                "proposed_on": dt.date(2022, 3, 1),
                "proposed_precision": "month",
            },
        ],
        message="test import",
    )
    assert refused == []
    undated = UseCase.objects.get(title="No dates")
    assert (undated.proposed_on, undated.stage_entered_on) == (None, None)
    assert undated.days_in_stage() is None
    entry = StageChange.objects.get(use_case=undated)
    assert entry.on is None  # the entry into pilot happened on a day the file does not give
    month = UseCase.objects.get(title="Month only")
    assert (month.proposed_on, month.proposed_precision) == (dt.date(2022, 3, 1), "month")


@pytest.mark.django_db
def test_a_proposal_made_in_aiom_is_proposed_today(world: World) -> None:
    uc = services.create_use_case(
        actor=world.alice, title="Made here", org_unit=world.retail, owner=world.alice
    )
    assert uc.proposed_on == uc.stage_entered_on == timezone.localdate()
    assert uc.proposed_precision == "day"


@pytest.mark.django_db
def test_a_person_typing_a_day_over_a_partial_date_makes_it_a_day(world: World) -> None:
    (uc,), _ = create_imported_use_cases(
        actor=None,
        rows=[
            {
                "title": "Year only",
                "org_unit": world.retail,
                "owner": world.alice,
                "proposed_on": dt.date(2021, 1, 1),
                "proposed_precision": "year",
            }
        ],
        message="test import",
    )
    same = services.update_use_case(actor=world.alice, use_case=uc, proposed_on=dt.date(2021, 1, 1))
    assert same.proposed_precision == "year"  # sent back unchanged: still the year
    moved = services.update_use_case(
        actor=world.alice, use_case=uc, proposed_on=dt.date(2021, 6, 14)
    )
    assert (moved.proposed_on, moved.proposed_precision) == (dt.date(2021, 6, 14), "day")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "bad"),
    [
        ({"proposed_precision": "week"}, "proposed_precision"),
        ({"source_attributes": {"a": {"nested": "no"}}}, "source_attributes"),
        ({"source_attributes": ["a", "b"]}, "source_attributes"),
        ({"source_attributes": {"big": "x" * 200_001}}, "source_attributes"),
        ({"contact": "x" * 501}, "contact"),
    ],
)
def test_bad_precision_attributes_or_contact_name_the_field(
    world: World, fields: dict[str, Any], bad: str
) -> None:
    with pytest.raises(InvalidInput) as err:
        services.create_use_case(
            actor=world.alice, title="T", org_unit=world.retail, owner=world.alice, **fields
        )
    assert bad in err.value.errors
