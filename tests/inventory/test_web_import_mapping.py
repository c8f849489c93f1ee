"""The web import with an uploaded mapping file: previewed with it, confirmed with exactly
it (the token binds its sha256), and a bad mapping shown as its list of problems."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from aiom.inventory import uploads
from aiom.inventory.models import ImportRun
from aiom.portfolio.models import UseCase
from tests.conftest import World
from tests.inventory.conftest import omb_csv, omb_row

pytestmark = pytest.mark.django_db

MAPPING = """\
name: city-register
external_id: {prefix: "city:", column: id}
org_units:
  - {name: agency_name, code: "city-{agency}"}
fields:
  title: use_case_name
  problem: problem_solved
stage:
  column: development_stage
  values: {Pilot: pilot, Retired: retired}
  blank: intake
"""


def _file(tmp_path: Path) -> SimpleUploadedFile:
    rows = [omb_row(id="M-1", use_case_name="Mapped one"), omb_row(id="M-2", use_case_name="Two")]
    data = omb_csv(tmp_path, rows).read_bytes()
    return SimpleUploadedFile("register.csv", data, content_type="text/csv")


def _mapping(text: str = MAPPING, name: str = "city.yaml") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="application/x-yaml")


def _preview(client: Client, **data: object) -> tuple[int, str, str]:
    response = client.post(reverse("inventory:upload"), data)
    body = response.content.decode()
    token = body.split('name="token" value="')[1].split('"')[0] if 'name="token"' in body else ""
    return response.status_code, body, token


def test_a_mapping_file_is_previewed_and_confirmed(
    login: object, world: World, tmp_path: Path
) -> None:
    client: Client = login("ada")  # type: ignore[operator]
    status, body, token = _preview(client, file=_file(tmp_path), mapping_file=_mapping())
    assert status == 200, body
    assert "with your mapping file" in body and "city-register" in body
    assert not UseCase.objects.filter(title="Mapped one").exists()
    signed = uploads.unsign(token)
    assert signed is not None and len(signed["mapping_sha256"]) == 64
    assert uploads.read_mapping(signed["stored"]) is not None  # kept with the upload
    response = client.post(reverse("inventory:confirm"), {"token": token})
    assert response.status_code == 200, response.content.decode()
    made = UseCase.objects.get(title="Mapped one")
    assert made.external_source == "city-register" and made.external_id == "city:M-1"
    assert made.stage == "pilot"
    assert ImportRun.objects.filter(dry_run=False, preset="city-register", created=2).exists()
    assert uploads.read_mapping(signed["stored"]) is None  # removed with the upload


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("name: [unclosed", "bad.yaml", "not valid YAML"),
        ("- a list\n- not an object\n", "bad.yaml", "a mapping file is a YAML object"),
        ("name: x\nfields: {}\n", "bad.yaml", "fields.title: required"),
        ("name: x\nfields: {title: t}\n", "bad.yaml", "external_id: give a column"),
        (MAPPING.replace("pilot,", "flying,"), "bad.yaml", "&#x27;flying&#x27; is not a stage"),
        (MAPPING, "mapping.txt", "a mapping file is YAML (.yaml or .yml)"),
        ("a: &a [1]\n" + "".join(f"b{i}: *a\n" for i in range(201)), "bad.yml", "aliases"),
        ("x: " + "[" * 40 + "]" * 40 + "\n", "bad.yml", "nested more than"),
    ],
)
def test_a_bad_mapping_is_shown_as_its_problems(
    login: object, tmp_path: Path, text: str, name: str, expected: str
) -> None:
    client: Client = login("ada")  # type: ignore[operator]
    status, body, token = _preview(client, file=_file(tmp_path), mapping_file=_mapping(text, name))
    assert status == 422
    assert expected in body
    assert "The mapping cannot be used" in body or "mapping file is YAML" in body
    assert token == ""
    assert ImportRun.objects.count() == 0


def test_every_problem_of_a_mapping_is_listed(login: object, tmp_path: Path) -> None:
    client: Client = login("ada")  # type: ignore[operator]
    text = "name: x\norg_units: []\nfields: {}\n"
    status, body, _ = _preview(client, file=_file(tmp_path), mapping_file=_mapping(text))
    assert status == 422
    assert body.count("The mapping cannot be used") == 4  # id, org units, title, stage
    assert '<ul class="error"' in body


def test_an_oversized_or_binary_mapping_is_refused(login: object, tmp_path: Path) -> None:
    client: Client = login("ada")  # type: ignore[operator]
    big = "# " + "x" * (300 * 1024) + "\n" + MAPPING
    status, body, _ = _preview(client, file=_file(tmp_path), mapping_file=_mapping(big))
    assert status == 422 and "the limit is 262,144" in body
    binary = SimpleUploadedFile("m.yaml", b"name: x\x00\xff", content_type="application/x-yaml")
    status, body, _ = _preview(client, file=_file(tmp_path), mapping_file=binary)
    assert status == 422 and "not text" in body


def test_a_preset_and_a_mapping_together_are_refused(login: object, tmp_path: Path) -> None:
    client: Client = login("ada")  # type: ignore[operator]
    status, body, _ = _preview(
        client, file=_file(tmp_path), mapping_file=_mapping(), preset="omb-2025"
    )
    assert status == 422 and "not both" in body


def test_a_swapped_mapping_at_confirm_is_refused(login: object, tmp_path: Path) -> None:
    client: Client = login("ada")  # type: ignore[operator]
    _, _, token = _preview(client, file=_file(tmp_path), mapping_file=_mapping())
    signed = uploads.unsign(token)
    assert signed is not None
    # another mapping in place of the previewed one: every row becomes "retired"
    uploads.beside(signed["stored"], "mapping").write_text(
        MAPPING.replace("Pilot: pilot", "Pilot: retired")
    )
    response = client.post(reverse("inventory:confirm"), {"token": token})
    assert response.status_code == 400
    assert "The stored mapping is not the one previewed" in response.content.decode()
    uploads.beside(signed["stored"], "mapping").unlink()  # a mapping removed: refused too
    response = client.post(reverse("inventory:confirm"), {"token": token})
    assert response.status_code == 400
    assert "The stored mapping is not the one previewed" in response.content.decode()
    assert not UseCase.objects.filter(title="Mapped one").exists()
