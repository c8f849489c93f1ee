import io

import pytest

from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.core.models import AuditEvent
from aiom.literacy.imports import import_training_csv
from aiom.literacy.models import TrainingRecord

HEADER = "username_or_email,course,provider,level,completed_on,expires_on\n"
GOOD = HEADER + (
    "bob,AI Act basics,Academy,awareness,2026-01-10,2028-01-10\n"
    "RITA@example.com,Reviewing AI,Risk Co,Reviewer,2026-02-01,\n"
)


def _file(text: str, encoding: str = "utf-8") -> io.BytesIO:
    return io.BytesIO(text.encode(encoding))


def test_good_file_stores_every_row_with_audit(world):
    report = import_training_csv(actor=world.ada, file=_file(GOOD))
    assert (report.created, report.skipped, report.people) == (2, 0, 2)
    rita = TrainingRecord.objects.get(person=world.rita)
    assert (rita.level, rita.source, rita.expires_on, rita.recorded_by) == (
        "reviewer",
        "csv",
        None,
        world.ada,
    )
    events = AuditEvent.objects.filter(action="training.import")
    assert events.count() == 2 and {e.actor for e in events} == {world.ada}


def test_reimport_skips_identical_rows(world):
    import_training_csv(actor=world.ada, file=_file(GOOD))
    report = import_training_csv(actor=world.ada, file=_file(GOOD))
    assert (report.created, report.skipped) == (0, 2)
    assert TrainingRecord.objects.count() == 2


def test_one_bad_row_refuses_all(world):
    bad = GOOD + "nobody,X,Y,awareness,2026-01-01,\nbob,X,Y,guru,=NOW(),\n"
    with pytest.raises(InvalidInput) as exc:
        import_training_csv(actor=world.ada, file=_file(bad))
    errors = exc.value.errors
    assert errors["line 4: username_or_email"] == "'nobody' is no active person"
    assert "formula" in errors["line 5: completed_on"]
    assert "guru" in errors["line 5: level"]
    assert not TrainingRecord.objects.exists()
    assert not AuditEvent.objects.filter(action="training.import").exists()


def test_bad_dates_and_missing_columns(world):
    with pytest.raises(InvalidInput) as exc:
        import_training_csv(actor=world.ada, file=_file(HEADER + "bob,X,Y,awareness,10/01/2026,\n"))
    assert "not a date" in exc.value.errors["line 2: completed_on"]
    with pytest.raises(InvalidInput) as exc:
        import_training_csv(actor=world.ada, file=_file("username_or_email,course\nbob,X\n"))
    assert "provider" in exc.value.errors["line 1: header"]


def test_bom_is_accepted(world):
    report = import_training_csv(actor=world.ada, file=_file("\ufeff" + GOOD))
    assert report.created == 2


def test_cp1252_is_accepted(world):
    text = HEADER + "bob,Données et IA \u2013 niveau 1,Académie,awareness,2026-01-10,\n"
    import_training_csv(actor=world.ada, file=_file(text, "cp1252"))
    assert TrainingRecord.objects.get().course == "Données et IA \u2013 niveau 1"


def test_oversized_file_is_refused(world):
    big = GOOD + "#" * 2 * 1024 * 1024
    with pytest.raises(InvalidInput) as exc:
        import_training_csv(actor=world.ada, file=_file(big))
    assert "2 MB" in exc.value.errors["file"]


@pytest.mark.parametrize("name", ["alice", "bob", "charlie", "pat", "rita"])
def test_only_admins_import(world, name):
    with pytest.raises(PermissionDenied):
        import_training_csv(actor=getattr(world, name), file=_file(GOOD))


def test_bad_files_are_named_by_the_one_tabular_rule(world, settings):
    """core.tabular's rule for this path: a byte no encoding reads is named with its
    offset, the size limit names its setting, a formula date is refused, lines counted
    where a record begins (a quoted cell may span lines)."""

    def refused(data: bytes) -> dict[str, str]:
        with pytest.raises(InvalidInput) as exc:
            import_training_csv(actor=world.ada, file=io.BytesIO(data))
        return exc.value.errors

    bad = GOOD.encode("cp1252").replace(b"Academy", b"Acad\x81my")
    assert refused(bad)["file"].startswith(f"the file: byte {bad.index(b'\x81'):,} (0x81)")
    settings.AIOM_TABLE_UPLOAD_MAX_BYTES = 40
    assert "AIOM_TABLE_UPLOAD_MAX_BYTES" in refused(GOOD.encode())["file"]
    settings.AIOM_TABLE_UPLOAD_MAX_BYTES = 2 * 1024 * 1024
    formula = HEADER + 'bob,"Two\nlines",Academy,awareness,=TODAY(),\n'
    assert "looks like a formula" in refused(formula.encode())["line 2: completed_on"]
    after = (
        HEADER
        + 'bob,"Two\nlines",Academy,awareness,2026-01-10,\nnobody,X,Y,awareness,2026-01-10,\n'
    )
    assert "is no active person" in refused(after.encode())["line 4: username_or_email"]
    assert not TrainingRecord.objects.exists()
