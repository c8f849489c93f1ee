"""The web import: upload → preview → confirm → result, for administrators only."""

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


def _file(tmp_path: Path, rows: list[dict[str, str]] | None = None) -> SimpleUploadedFile:
    rows = rows or [
        omb_row(id="W-1", use_case_name="Web one"),
        omb_row(id="W-2", use_case_name="Web two"),
    ]
    data = omb_csv(tmp_path, rows).read_bytes()
    return SimpleUploadedFile("inventory.csv", data, content_type="text/csv")


def _preview(client: Client, upload: SimpleUploadedFile, **extra: str) -> tuple[int, str, str]:
    response = client.post(
        reverse("inventory:upload"), {"file": upload, "preset": "omb-2025", **extra}
    )
    body = response.content.decode()
    token = body.split('name="token" value="')[1].split('"')[0] if 'name="token"' in body else ""
    return response.status_code, body, token


def test_upload_preview_confirm_result(login: object, world: World, tmp_path: Path) -> None:
    client: Client = login("ada")  # type: ignore[operator]
    assert client.get(reverse("inventory:upload")).status_code == 200
    status, body, token = _preview(client, _file(tmp_path))
    assert status == 200
    assert "Import preview" in body and "omb-cftc-dcr" in body
    assert UseCase.objects.filter(title__startswith="Web").count() == 0  # a preview writes nothing
    assert ImportRun.objects.get().dry_run
    response = client.post(reverse("inventory:confirm"), {"token": token})
    assert response.status_code == 200
    assert "Imported" in response.content.decode()
    assert UseCase.objects.filter(title__startswith="Web").count() == 2
    assert UseCase.objects.get(title="Web one").proposed_by == world.ada
    assert ImportRun.objects.filter(dry_run=False, created=2, actor=world.ada).exists()
    again = client.post(reverse("inventory:confirm"), {"token": token})
    assert again.status_code == 400  # the stored file is gone once imported


def test_preview_lists_problems_by_line_and_column(login: object, tmp_path: Path) -> None:
    client: Client = login("ada")  # type: ignore[operator]
    rows = [
        omb_row(id="W-1", use_case_name="Ok"),
        omb_row(id="W-2", use_case_name="Bad", development_stage="Odd"),
    ]
    status, body, token = _preview(client, _file(tmp_path, rows))
    assert status == 200
    assert "unknown stage &#x27;Odd&#x27; (not mapped)" in body
    assert '<td class="num">3</td><td>development_stage</td>' in body
    assert token == ""  # strict and invalid: nothing to confirm
    status, body, token = _preview(client, _file(tmp_path, rows), skip_invalid="on")
    assert token


@pytest.mark.parametrize("persona", ["alice", "bob", "charlie", "pat", "rita"])
def test_only_administrators(login: object, persona: str, tmp_path: Path) -> None:
    client: Client = login(persona)  # type: ignore[operator]
    assert client.get(reverse("inventory:upload")).status_code == 403
    status, _, _ = _preview(client, _file(tmp_path))
    assert status == 403
    assert client.post(reverse("inventory:confirm"), {"token": "x"}).status_code == 403


def test_anonymous_is_sent_to_log_in(client: Client, world: World) -> None:
    response = client.get(reverse("inventory:upload"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_different_file_cannot_be_confirmed(login: object, tmp_path: Path) -> None:
    client: Client = login("ada")  # type: ignore[operator]
    _, _, token = _preview(client, _file(tmp_path))
    signed = uploads.unsign(token)
    assert signed is not None
    stored = uploads.path_of(signed["stored"])
    assert stored is not None
    stored.write_bytes(
        omb_csv(tmp_path, [omb_row(id="EVIL", use_case_name="Swapped")]).read_bytes()
    )
    response = client.post(reverse("inventory:confirm"), {"token": token})
    assert response.status_code == 400
    assert "not the one previewed" in response.content.decode()
    forged = client.post(reverse("inventory:confirm"), {"token": token[:-2] + "xx"})
    assert forged.status_code == 400
    assert not UseCase.objects.filter(title="Swapped").exists()


def test_another_admins_token_is_refused(login: object, world: World, tmp_path: Path) -> None:
    client: Client = login("ada")  # type: ignore[operator]
    _, _, token = _preview(client, _file(tmp_path))
    signed = uploads.unsign(token)
    assert signed is not None
    other = uploads.sign({**signed, "user": world.alice.pk})
    assert client.post(reverse("inventory:confirm"), {"token": other}).status_code == 400


@pytest.mark.parametrize(
    ("name", "content_type", "size", "message"),
    [
        ("inventory.exe", "text/csv", 10, "only .csv, .xlsx and .json"),
        ("inventory.csv", "application/x-msdownload", 10, "cannot have the content type"),
        ("inventory.json", "image/png", 10, "cannot have the content type"),
        ("inventory.csv", "text/csv", uploads.MAX_BYTES + 1, "the limit is 20 MB"),
    ],
)
def test_upload_limits(
    login: object, name: str, content_type: str, size: int, message: str
) -> None:
    client: Client = login("ada")  # type: ignore[operator]
    upload = SimpleUploadedFile(name, b"a" * size, content_type=content_type)
    response = client.post(reverse("inventory:upload"), {"file": upload})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert ImportRun.objects.count() == 0


def test_stored_uploads_live_outside_the_web_root(login: object, tmp_path: Path) -> None:
    from django.conf import settings

    client: Client = login("ada")  # type: ignore[operator]
    _, _, token = _preview(client, _file(tmp_path))
    signed = uploads.unsign(token)
    assert signed is not None
    stored = uploads.path_of(signed["stored"])
    assert stored is not None
    for root in [getattr(settings, "STATIC_ROOT", None), getattr(settings, "MEDIA_ROOT", None)]:
        if root:
            assert not str(stored).startswith(str(root))
    assert uploads.path_of("../../etc/passwd") is None
    assert stored.name not in ("inventory.csv",)
    assert client.get(f"/static/{stored.name}").status_code == 404


def test_an_oversized_request_is_refused_before_reading(login: object) -> None:
    client: Client = login("ada")  # type: ignore[operator]
    response = client.post(
        reverse("inventory:upload"),
        data=b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(uploads.MAX_BYTES + 10**6),
    )
    assert response.status_code == 413
    assert "larger than the 20 MB limit" in response.content.decode()
