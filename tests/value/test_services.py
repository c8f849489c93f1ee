"""Value services: return value, stored row, audit event; permissions for every persona."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.core.models import AuditEvent
from aiom.lifecycle.services import transition
from aiom.value import services
from aiom.value.models import KPI, Adoption, Feedback, Measurement, PriorityScore
from tests.conftest import World

TODAY = dt.date.today()
SCORES = {
    "strategic_fit": 5,
    "expected_benefit": 4,
    "reach": 3,
    "data_readiness": 4,
    "technical_complexity": 2,
    "change_effort": 3,
}
RATIONALE = "Strong fit with the customer experience objective and clean data."


def last_event(obj: Any) -> AuditEvent:
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).latest("seq")


def kpi_for(world: World, **kw: Any) -> KPI:
    fields: dict[str, Any] = {"name": "Handling time", "unit": "min", "baseline": 12, "target": 8}
    fields["direction"] = "lower"
    fields.update(kw)
    return services.define_kpi(actor=world.alice, use_case=world.alice_uc, **fields)


def test_define_kpi_returns_stores_and_audits(world: World) -> None:
    kpi = kpi_for(world, owner=world.bob)
    stored = KPI.objects.get(pk=kpi.pk)
    assert (stored.name, stored.owner_id) == ("Handling time", world.bob.pk)
    assert stored.target == Decimal(8)
    event = last_event(kpi)
    assert event.action == "create" and event.actor_id == world.alice.pk
    assert event.after["target"] == "8.0000" and event.after["direction"] == "lower"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": ""}, "name"),
        ({"direction": "sideways"}, "direction"),
        ({"target": "lots"}, "target"),
        ({"cadence_days": 0}, "cadence_days"),
    ],
)
def test_define_kpi_refuses_bad_input(world: World, fields: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        kpi_for(world, **fields)
    assert field in exc.value.errors


def test_kpi_names_are_unique_per_use_case(world: World) -> None:
    kpi_for(world)
    with pytest.raises(InvalidInput) as exc:
        kpi_for(world, name="handling TIME")
    assert "name" in exc.value.errors


def test_partner_cannot_own_a_kpi(world: World) -> None:
    with pytest.raises(InvalidInput) as exc:
        kpi_for(world, owner=world.pat)
    assert "owner" in exc.value.errors


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("alice", True),
        ("bob", False),
        ("charlie", False),
        ("pat", False),
        ("ada", True),
        ("rita", False),
    ],
)
def test_who_may_define_kpis(world: World, persona: str, allowed: bool) -> None:
    def go() -> KPI:
        return services.define_kpi(
            actor=world.persona(persona), use_case=world.alice_uc, name="Adoption rate"
        )

    if allowed:
        assert go().pk
    else:
        with pytest.raises(PermissionDenied):
            go()


def test_record_measurement_derives_dates(world: World) -> None:
    kpi = kpi_for(world)
    d = TODAY - dt.timedelta(days=60)
    m = services.record_measurement(actor=world.alice, kpi=kpi, value="11.5", measured_on=d)
    assert Measurement.objects.get(pk=m.pk).value == Decimal("11.5")
    assert last_event(m).after == {
        "kpi": kpi.pk,
        "value": "11.5000",
        "measured_on": d.isoformat(),
        "source": "",
        "note": "",
    }
    kpi.refresh_from_db()
    assert (kpi.last_measured_on, kpi.target_met_on) == (d, None)
    services.record_measurement(actor=world.alice, kpi=kpi, value=7.9, measured_on=TODAY)
    kpi.refresh_from_db()
    world.alice_uc.refresh_from_db()
    assert kpi.target_met_on == TODAY and world.alice_uc.value_realised_on == TODAY
    assert world.alice_uc.version == 1  # derived, not an edit
    assert last_event(world.alice_uc).action == "value_realised"


def test_higher_is_better_and_measurements_out_of_order(world: World) -> None:
    kpi = kpi_for(world, name="Precision", direction="higher", baseline=55, target=75)
    days = [TODAY - dt.timedelta(days=n) for n in (10, 90, 40)]
    for day, value in zip(days, (80, 76, 60), strict=True):
        services.record_measurement(actor=None, kpi=kpi, value=value, measured_on=day)
    kpi.refresh_from_db()
    assert kpi.target_met_on == days[1]  # the earliest date meeting it, entered second
    assert kpi.last_measured_on == days[0]
    world.alice_uc.refresh_from_db()
    assert world.alice_uc.value_realised_on == days[1]


def test_use_case_date_is_the_earliest_of_active_kpis(world: World) -> None:
    a = kpi_for(world)
    b = kpi_for(world, name="Precision", direction="higher", baseline=55, target=75)
    early, late = TODAY - dt.timedelta(days=100), TODAY - dt.timedelta(days=20)
    services.record_measurement(actor=None, kpi=a, value=7, measured_on=late)
    services.record_measurement(actor=None, kpi=b, value=90, measured_on=early)
    world.alice_uc.refresh_from_db()
    assert world.alice_uc.value_realised_on == early
    services.retire_kpi(actor=world.alice, kpi=b)
    world.alice_uc.refresh_from_db()
    assert world.alice_uc.value_realised_on == late


def test_a_later_target_edit_recomputes(world: World) -> None:
    kpi = kpi_for(world)
    day = TODAY - dt.timedelta(days=30)
    services.record_measurement(actor=None, kpi=kpi, value=7.5, measured_on=day)
    services.update_kpi(actor=world.alice, kpi=kpi, target=7)
    kpi.refresh_from_db()
    world.alice_uc.refresh_from_db()
    assert kpi.target_met_on is None and world.alice_uc.value_realised_on is None
    assert last_event(kpi).before["target_met_on"] == day.isoformat()
    assert last_event(world.alice_uc).action == "value_unrealised"
    services.update_kpi(actor=world.alice, kpi=kpi, direction="higher")
    kpi.refresh_from_db()
    assert kpi.target_met_on == day


def test_measurement_refusals(world: World) -> None:
    kpi = kpi_for(world)
    with pytest.raises(InvalidInput) as exc:
        services.record_measurement(
            actor=None, kpi=kpi, value="=1+1", measured_on=TODAY + dt.timedelta(days=1)
        )
    assert set(exc.value.errors) == {"value", "measured_on"}
    services.retire_kpi(actor=None, kpi=kpi)
    with pytest.raises(InvalidInput) as exc:
        services.record_measurement(actor=None, kpi=kpi, value=1, measured_on=TODAY)
    assert "kpi" in exc.value.errors


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("alice", True),
        ("bob", True),  # the KPI's owner
        ("charlie", False),
        ("pat", False),
        ("ada", True),
        ("rita", False),
    ],
)
def test_who_may_record(world: World, persona: str, allowed: bool) -> None:
    kpi = kpi_for(world, owner=world.bob)

    def go() -> Measurement:
        return services.record_measurement(
            actor=world.persona(persona), kpi=kpi, value=9, measured_on=TODAY
        )

    if allowed:
        assert go().recorded_by_id == world.persona(persona).pk  # type: ignore[union-attr]
    else:
        with pytest.raises(PermissionDenied):
            go()


def test_adoption_is_upserted_per_period(world: World) -> None:
    start = TODAY.replace(day=1) - dt.timedelta(days=31)
    end = start + dt.timedelta(days=27)
    row = services.record_adoption(
        actor=world.alice,
        use_case=world.alice_uc,
        period_start=start,
        period_end=end,
        active_users=10,
        usage=100,
    )
    again = services.record_adoption(
        actor=world.alice,
        use_case=world.alice_uc,
        period_start=start,
        period_end=end,
        active_users=12,
        usage=130,
    )
    assert again.pk == row.pk and Adoption.objects.get().active_users == 12
    event = last_event(row)
    assert event.action == "update" and event.before["active_users"] == 10
    with pytest.raises(InvalidInput) as exc:
        services.record_adoption(
            actor=None,
            use_case=world.alice_uc,
            period_start=start,
            period_end=start - dt.timedelta(days=1),
            active_users=-1,
            usage=1,
        )
    assert set(exc.value.errors) == {"period_end", "active_users"}
    with pytest.raises(PermissionDenied):
        services.record_adoption(
            actor=world.bob,
            use_case=world.alice_uc,
            period_start=start,
            period_end=end,
            active_users=1,
            usage=1,
        )


@pytest.mark.parametrize(
    ("persona", "use_case", "allowed"),
    [
        ("bob", "alice_uc", True),
        ("charlie", "alice_uc", True),
        ("pat", "alice_uc", False),  # partners see it but never write (issue 13)
        ("pat", "alice_secret", False),
        ("charlie", "alice_secret", False),
        ("rita", "wealth_secret", True),
    ],
)
def test_who_may_give_feedback(world: World, persona: str, use_case: str, allowed: bool) -> None:
    def go() -> Feedback:
        return services.give_feedback(
            actor=world.persona(persona),
            use_case=getattr(world, use_case),
            rating=4,
            comment="Saves me time.",
        )

    if allowed:
        fb = go()
        assert Feedback.objects.get(pk=fb.pk).given_by_id == world.persona(persona).pk  # type: ignore[union-attr]
        assert last_event(fb).after["rating"] == 4
    else:
        with pytest.raises(PermissionDenied):
            go()


@pytest.mark.parametrize("rating", [0, 6, True, "5"])
def test_feedback_rating_must_be_1_to_5(world: World, rating: Any) -> None:
    with pytest.raises(InvalidInput):
        services.give_feedback(actor=world.bob, use_case=world.alice_uc, rating=rating)


def test_score_priority(world: World) -> None:
    first = services.score_priority(
        actor=world.ada, use_case=world.alice_uc, criteria=SCORES, rationale=RATIONALE
    )
    # value: (100*2 + 75*2 + 50*1) / 5 = 80; feasibility: (75*2 + 75 + 50) / 4 = 68.75
    assert (first.value_score, first.feasibility_score) == (Decimal("80"), Decimal("68.75"))
    event = last_event(first)
    assert event.action == "score" and event.policy_version == first.policy_version
    second = services.score_priority(
        actor=world.ada, use_case=world.alice_uc, criteria=SCORES, rationale=RATIONALE
    )
    current = PriorityScore.objects.filter(use_case=world.alice_uc, is_current=True)
    assert list(current) == [second]


def test_score_priority_refusals(world: World) -> None:
    with pytest.raises(InvalidInput) as exc:
        services.score_priority(
            actor=world.ada,
            use_case=world.alice_uc,
            criteria={**SCORES, "reach": 6, "vibes": 3},
            rationale="short",
        )
    assert set(exc.value.errors) == {"criteria.reach", "criteria.vibes", "rationale"}
    missing = {k: v for k, v in SCORES.items() if k != "reach"}
    with pytest.raises(InvalidInput) as exc:
        services.score_priority(
            actor=world.ada, use_case=world.alice_uc, criteria=missing, rationale=RATIONALE
        )
    assert set(exc.value.errors) == {"criteria.reach"}


def test_score_only_in_the_policy_stages(world: World) -> None:
    transition(actor=None, use_case=world.alice_uc, to_stage="rejected", reason="Duplicate idea.")
    world.alice_uc.refresh_from_db()
    with pytest.raises(InvalidInput) as exc:
        services.score_priority(
            actor=world.ada, use_case=world.alice_uc, criteria=SCORES, rationale=RATIONALE
        )
    assert "stage" in exc.value.errors


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("alice", False),  # the owner does not prioritise their own proposal
        ("bob", False),
        ("charlie", False),
        ("pat", False),
        ("ada", True),
        ("rita", False),
    ],
)
def test_who_may_score(world: World, persona: str, allowed: bool) -> None:
    def go() -> PriorityScore:
        return services.score_priority(
            actor=world.persona(persona),
            use_case=world.alice_uc,
            criteria=SCORES,
            rationale=RATIONALE,
        )

    if allowed:
        assert go().is_current
    else:
        with pytest.raises(PermissionDenied):
            go()
