"""Evidence uploads: size limit, types by extension AND content, stored outside the web root."""

import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from aiom.core.errors import InvalidInput
from aiom.obligations import uploads
from tests.obligations.conftest import DOCX, JPEG, PDF, PNG, XLSX, office, stored_files

ACCEPTED = [
    ("report.pdf", PDF, "application/pdf"),
    ("screen.png", PNG, "image/png"),
    ("photo.JPG", JPEG, "image/jpeg"),
    ("photo.jpeg", JPEG, "image/jpeg"),
    ("notes.txt", "Trainings completed: 12 of 12 ✓".encode(), "text/plain"),
    ("people.csv", b"name,course\nAlice,AI basics\n", "text/csv"),
    ("review.md", b"# Peer review\n\nNo findings.\n", "text/markdown"),
    ("plan.docx", DOCX, uploads.DOCX),
    ("metrics.xlsx", XLSX, uploads.XLSX),
]


@pytest.mark.parametrize(("name", "data", "content_type"), ACCEPTED)
def test_accepted_types(name: str, data: bytes, content_type: str, var_dir: Path) -> None:
    stored = uploads.store([data], name)
    assert stored.content_type == content_type
    assert stored.path.read_bytes() == data
    assert stored.path.parent == var_dir / "evidence"


REFUSED = [
    ("tool.exe", b"MZ\x90\x00", "not accepted"),
    ("page.html", b"<html><script>alert(1)</script>", "not accepted"),
    ("image.svg", b"<svg onload='x'/>", "not accepted"),
    ("macro.docm", DOCX, "not accepted"),
    ("noextension", PDF, "not accepted"),
    ("fake.pdf", b"<html>not a pdf</html>", "not that type"),
    ("fake.png", JPEG, "not that type"),
    ("fake.jpg", PNG, "not that type"),
    ("binary.txt", b"text\x00with nul", "binary data"),
    ("latin1.csv", "naïve".encode("latin-1"), "not UTF-8"),
    ("zip.docx", PDF, "not an Office Open XML archive"),
    ("sheet.docx", XLSX, "not that kind of document"),
    ("doc.xlsx", DOCX, "not that kind of document"),
    (
        "macros.xlsx",
        office("[Content_Types].xml", "xl/workbook.xml", "xl/vbaProject.bin"),
        "contains macros",
    ),
    ("empty.pdf", b"", "empty"),
]


@pytest.mark.parametrize(("name", "data", "says"), REFUSED)
def test_refused_types_leave_nothing_behind(
    name: str, data: bytes, says: str, var_dir: Path
) -> None:
    with pytest.raises(InvalidInput) as caught:
        uploads.store([data], name)
    assert says in caught.value.errors["file"]
    assert stored_files(var_dir) == []


def test_the_size_limit_is_a_setting(settings: Any, var_dir: Path) -> None:
    settings.AIOM_EVIDENCE_MAX_BYTES = 1024
    ok = uploads.store([b"a" * 1024], "exactly.txt")
    assert ok.size == 1024
    with pytest.raises(InvalidInput, match="larger than the limit of 1 KB"):
        uploads.store([b"a" * 1000, b"b" * 25], "too-big.txt")
    assert stored_files(var_dir) == [ok.path]


def test_the_default_limit_is_ten_megabytes() -> None:
    assert "AIOM_EVIDENCE_MAX_BYTES" not in os.environ  # settings read it once, at start
    assert uploads.max_bytes() == 10 * 1024 * 1024


def test_files_are_stored_outside_the_web_root_with_random_names(var_dir: Path) -> None:
    a = uploads.store([PDF], "same.pdf")
    b = uploads.store([PDF], "same.pdf")
    assert a.name != b.name and uploads.STORED_NAME.match(a.name)
    assert a.sha256 == b.sha256
    web_roots = [Path(settings.STATIC_ROOT)] + [Path(p) for p in settings.STATICFILES_DIRS]
    media_root = getattr(settings, "MEDIA_ROOT", "")
    if media_root:
        web_roots.append(Path(media_root))
    for root in web_roots:
        assert not a.path.resolve().is_relative_to(root.resolve())
    assert a.path.resolve().is_relative_to(Path(settings.VAR_DIR).resolve())
    assert oct(os.stat(var_dir / "evidence").st_mode & 0o777) == "0o700"
    assert [p for p in (var_dir / "evidence").iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(
    ("given", "clean"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\temp\\report.pdf", "report.pdf"),
        ("..hidden.txt", "hidden.txt"),
        ("line\nbreak.txt", "linebreak.txt"),
        ("", "evidence"),
    ],
)
def test_client_names_are_cleaned(given: str, clean: str) -> None:
    assert uploads.clean_name(given) == clean


@pytest.mark.parametrize("name", ["../secret.key", "abc", "0" * 31 + "/", "A" * 32])
def test_only_our_own_names_resolve(name: str) -> None:
    with pytest.raises(ValueError, match="not a stored evidence file name"):
        uploads.stored_path(name)
