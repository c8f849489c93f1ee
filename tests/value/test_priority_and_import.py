"""The scoring arithmetic (a table) and the all-or-nothing CSV import."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.core.models import AuditEvent
from aiom.value import priority, services
from aiom.value.models import KPI, Measurement
from aiom.value.policy import Criterion
from tests.conftest import World

CRITERIA = [
    Criterion(key="fit", label="Fit", kind="value", weight=2),
    Criterion(key="reach", label="Reach", kind="value", weight=1),
    Criterion(key="data", label="Data", kind="feasibility", weight=2),
    Criterion(key="complexity", label="Complexity", kind="feasibility", weight=1, inverse=True),
]


@pytest.mark.parametrize(
    ("scores", "value", "feasibility"),
    [
        ({"fit": 1, "reach": 1, "data": 1, "complexity": 5}, "0.00", "0.00"),
        ({"fit": 5, "reach": 5, "data": 5, "complexity": 1}, "100.00", "100.00"),
        ({"fit": 3, "reach": 3, "data": 3, "complexity": 3}, "50.00", "50.00"),
        ({"fit": 5, "reach": 1, "data": 4, "complexity": 2}, "66.67", "75.00"),
        ({"fit": 2, "reach": 4, "data": 1, "complexity": 4}, "41.67", "8.33"),
    ],
)
def test_value_and_feasibility(scores: dict[str, int], value: str, feasibility: str) -> None:
    assert priority.value_and_feasibility(CRITERIA, scores) == (
        Decimal(value),
        Decimal(feasibility),
    )


@pytest.mark.parametrize(
    ("value", "feasibility", "quadrant"),
    [
        (80, 80, "quick wins"),
        (80, 20, "strategic bets"),
        (20, 80, "fill-ins"),
        (20, 20, "reconsider"),
        (50, 50, "quick wins"),
    ],
)
def test_quadrant(value: int, feasibility: int, quadrant: str) -> None:
    assert priority.quadrant(Decimal(value), Decimal(feasibility)) == quadrant


def test_check_scores_names_each_problem() -> None:
    errors = priority.check_scores(CRITERIA, {"fit": 0, "reach": True, "data": 3, "x": 1})
    assert set(errors) == {"criteria.fit", "criteria.reach", "criteria.complexity", "criteria.x"}


def csv_file(text: str, *, bom: bool = False, name: str = "m.csv") -> SimpleUploadedFile:
    data = text.encode("utf-8")
    return SimpleUploadedFile(name, (b"\xef\xbb\xbf" if bom else b"") + data, "text/csv")


@pytest.fixture
def kpi(world: World) -> KPI:
    return services.define_kpi(
        actor=world.alice,
        use_case=world.alice_uc,
        name="Handling time",
        direction="lower",
        baseline=12,
        target=8,
    )


def test_good_file_with_bom_is_imported_in_one_event(world: World, kpi: KPI) -> None:
    d1, d2 = dt.date.today() - dt.timedelta(days=40), dt.date.today() - dt.timedelta(days=10)
    text = f"KPI,value,measured_on,source,note\nhandling time,10.5,{d1},ops,-first\n"
    text += f"Handling time,7.5,{d2},ops,=HYPERLINK(1)\n\n"
    report = services.import_measurements_csv(
        actor=world.alice, use_case=world.alice_uc, file=csv_file(text, bom=True)
    )
    assert report.created == 2 and report.per_kpi == {"Handling time": 2}
    assert report.value_realised_on == d2
    notes = list(Measurement.objects.order_by("measured_on").values_list("note", flat=True))
    assert notes == ["-first", "=HYPERLINK(1)"]  # text stays text
    event = AuditEvent.objects.filter(action="import_measurements").get()
    assert event.after["count"] == 2 and len(event.after["rows"]) == 2
    kpi.refresh_from_db()
    assert (kpi.target_met_on, kpi.last_measured_on) == (d2, d2)


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("Handling time,=1+1,2024-01-01", "formula"),
        ("Handling time,+7,2024-01-01", "formula"),
        ("Handling time,@SUM(A1),2024-01-01", "formula"),
        ("Handling time,-2+3,2024-01-01", "formula"),
        ("Handling time,7,01/02/2024", "measured_on"),
        ("Handling time,7,2999-01-01", "future"),
        ("Nothing,7,2024-01-01", "no active KPI"),
        ("Handling time,7", "cells"),
    ],
)
def test_one_bad_row_refuses_the_whole_file(world: World, kpi: KPI, row: str, problem: str) -> None:
    text = f"kpi,value,measured_on\nHandling time,9,2024-01-01\n{row}\n"
    with pytest.raises(InvalidInput) as exc:
        services.import_measurements_csv(
            actor=world.alice, use_case=world.alice_uc, file=csv_file(text)
        )
    assert list(exc.value.errors) == ["line 3"]
    assert problem in exc.value.errors["line 3"]
    assert not Measurement.objects.exists()
    assert not AuditEvent.objects.filter(action="import_measurements").exists()


def test_negative_plain_numbers_are_numbers(world: World, kpi: KPI) -> None:
    text = "kpi,value,measured_on\nHandling time,-3.25,2024-01-01\n"
    services.import_measurements_csv(actor=None, use_case=world.alice_uc, file=csv_file(text))
    assert Measurement.objects.get().value == Decimal("-3.25")


@pytest.mark.parametrize(
    ("payload", "key"),
    [
        (b"", "file"),
        (b"kpi,value\nHandling time,1\n", "line 1"),
        (b"kpi,value,measured_on\n", "file"),
        (b"kpi,value,measured_on\nHandling time,1,2024-01-01\n\x81\x8d", "file"),
        (b"x" * (2 * 1024 * 1024 + 1), "file"),
    ],
)
def test_file_level_refusals(world: World, kpi: KPI, payload: bytes, key: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        services.import_measurements_csv(
            actor=world.alice,
            use_case=world.alice_uc,
            file=SimpleUploadedFile("m.csv", payload, "text/csv"),
        )
    assert key in exc.value.errors


def test_import_permissions(world: World, kpi: KPI) -> None:
    text = "kpi,value,measured_on\nHandling time,9,2024-01-01\n"
    for persona in ("bob", "charlie", "pat", "rita"):
        with pytest.raises(PermissionDenied):
            services.import_measurements_csv(
                actor=world.persona(persona), use_case=world.alice_uc, file=csv_file(text)
            )
    services.update_kpi(actor=world.alice, kpi=kpi, owner=world.bob)
    report = services.import_measurements_csv(
        actor=world.bob, use_case=world.alice_uc, file=csv_file(text)
    )
    assert report.created == 1


def test_bad_files_are_named_by_the_one_tabular_rule(world: World, kpi: KPI, settings: Any) -> None:
    """core.tabular's rule for this path: Windows-1252 is read, a byte no encoding reads
    is named with its offset, the size limit names its setting, a formula is text."""

    def refused(data: bytes) -> dict[str, str]:
        with pytest.raises(InvalidInput) as exc:
            services.import_measurements_csv(
                actor=world.alice,
                use_case=world.alice_uc,
                file=SimpleUploadedFile("m.csv", data, "text/csv"),
            )
        return exc.value.errors

    good = "kpi,value,measured_on,note\nHandling time,4,2024-01-01,caf\u00e9 \u2013 ok\n"
    report = services.import_measurements_csv(
        actor=world.alice,
        use_case=world.alice_uc,
        file=SimpleUploadedFile("m.csv", good.encode("cp1252"), "text/csv"),
    )
    assert report.created == 1 and Measurement.objects.get().note == "caf\u00e9 \u2013 ok"
    bad = good.encode("cp1252").replace(b"ok", b"\x81k")
    assert refused(bad)["file"].startswith(f"m.csv: byte {bad.index(b'\x81'):,} (0x81)")
    settings.AIOM_TABLE_UPLOAD_MAX_BYTES = 40
    assert "AIOM_TABLE_UPLOAD_MAX_BYTES" in refused(good.encode())["file"]
    settings.AIOM_TABLE_UPLOAD_MAX_BYTES = 2 * 1024 * 1024
    formula = refused(b"kpi,value,measured_on\nHandling time,=1+1,2024-01-01\n")
    assert "looks like a formula" in formula["line 2"]
    unclosed = refused(b'kpi,value,measured_on\nHandling time,1,2024-01-01\n"x,1,2\n')
    assert "never closed" in unclosed["line 3"]
    assert Measurement.objects.count() == 1
