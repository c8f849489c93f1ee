"""Owners by e-mail or by the mapping's table; the source's contact kept when it is nobody."""

from pathlib import Path

import pytest

from aiom.inventory.importer import run_import
from aiom.inventory.mapping import load_mapping
from aiom.portfolio.models import UseCase
from tests.conftest import World
from tests.inventory.small_files import mapping_text, row, small_csv, small_import


def _owner_contact(external_id: str) -> tuple[str, str]:
    uc = UseCase.objects.get(external_id=f"small:{external_id}")
    return (uc.owner.username if uc.owner else "", uc.contact)


def test_a_contact_that_is_nobody_in_aiom_is_kept(world: World, tmp_path: Path) -> None:
    rows = [
        row(id="1", name="a", mail="AI@agency.gov"),
        row(id="2", name="b", mail="https://agency.gov/ai"),
        row(id="3", name="c", mail="BOB@example.com"),  # a user: the owner, not a contact
        row(id="4", name="d", mail="N/A"),
    ]
    report = small_import(tmp_path, rows, owner_email="mail", contact="mail")
    assert report.written, [str(p) for p in report.problems]
    assert _owner_contact("1") == ("", "AI@agency.gov")
    assert _owner_contact("2") == ("", "https://agency.gov/ai")
    assert _owner_contact("3") == ("bob", "")
    assert _owner_contact("4") == ("", "")
    assert (report.owners_matched, report.contacts_kept) == (1, 2)


def test_several_contact_columns_are_joined(world: World, tmp_path: Path) -> None:
    rows = [row(id="1", name="a", mail="Team X", vendor="x@agency.gov")]
    small_import(tmp_path, rows, contact=["mail", "vendor"])
    assert _owner_contact("1") == ("", "Team X; x@agency.gov")


def test_the_owners_table_matches_names_and_mailboxes_to_users(
    world: World, tmp_path: Path
) -> None:
    rows = [
        row(id="1", name="a", mail="ai@AGENCY.gov"),
        row(id="2", name="b", mail="Team  X"),
        row(id="3", name="c", mail="Pat Partner"),
        row(id="4", name="d", mail="Charlie@Example.com"),  # not in the table: e-mail works
    ]
    owners = {"AI@agency.gov": "ada@example.com", "team x": "bob", "Pat Partner": "pat"}
    report = small_import(tmp_path, rows, contact="mail", owners=owners)
    assert report.written, [str(p) for p in report.problems]
    assert _owner_contact("1") == ("ada", "")
    assert _owner_contact("2") == ("bob", "")
    assert _owner_contact("3") == ("", "Pat Partner")  # partners are never owners
    assert "Pat Partner is an external partner: not owner" in [p.message for p in report.warnings]
    assert _owner_contact("4") == ("charlie", "")


def test_an_owners_file_beside_the_mapping(world: World, tmp_path: Path) -> None:
    (tmp_path / "owners.csv").write_text("in the file,user\nTeam X,bob\n", encoding="utf-8")
    (tmp_path / "map.yaml").write_text(mapping_text(contact="mail", owners_file="owners.csv"))
    mapping = load_mapping((tmp_path / "map.yaml").read_text(), base=tmp_path)
    path = small_csv(tmp_path, [row(id="1", name="a", mail="team x")])
    assert run_import(path, actor=None, mapping=mapping).written
    assert _owner_contact("1") == ("bob", "")


@pytest.mark.parametrize("user", ["nobody", "nobody@example.com"])
def test_a_table_naming_nobody_in_aiom_refuses_the_file(
    world: World, tmp_path: Path, user: str
) -> None:
    rows = [row(id="1", name="a", mail="Team X")]
    report = small_import(tmp_path, rows, contact="mail", owners={"Team X": user})
    assert not report.written
    (error,) = report.errors
    assert (error.line, error.column) == (0, "owners")
    assert error.message == f"owners: '{user}' (for 'team x') is no active user in aiom"
    assert not UseCase.objects.filter(external_source="small").exists()
