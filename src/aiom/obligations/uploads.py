"""Evidence files: what may be uploaded, and storing it atomically outside the web root.

A file is accepted when its extension is allowed AND its content agrees: PDF, PNG and
JPEG by their magic bytes, text/CSV/Markdown by decoding as UTF-8 (no NUL bytes), DOCX
and XLSX as a zip archive holding the part that makes them one (only the archive's
directory is read; nothing is extracted, no formula is evaluated; macro parts refuse
it). The stored content type is ours, never the client's. Files land under
`VAR_DIR/evidence/` with a random name: written to a temporary file in that directory,
then renamed, so a reader never sees half a file.
"""

import hashlib
import os
import re
import secrets
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from aiom.core.errors import InvalidInput

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TYPES: dict[str, str] = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".md": "text/markdown",
    ".docx": DOCX,
    ".xlsx": XLSX,
}
MAGIC = {
    "application/pdf": b"%PDF-",
    "image/png": b"\x89PNG\r\n\x1a\n",
    "image/jpeg": b"\xff\xd8\xff",
}
ZIP_PART = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml"}
TEXT_TYPES = frozenset({"text/plain", "text/csv", "text/markdown"})
STORED_NAME = re.compile(r"^[0-9a-f]{32}$")
ALLOWED = "PDF, PNG, JPEG, plain text, CSV, Markdown, DOCX or XLSX"


@dataclass(frozen=True)
class Stored:
    name: str  # the random file name under evidence_dir()
    original_name: str
    content_type: str
    size: int
    sha256: str

    @property
    def path(self) -> Path:
        return evidence_dir() / self.name


def max_bytes() -> int:
    return int(settings.AIOM_EVIDENCE_MAX_BYTES)


def evidence_dir() -> Path:
    return Path(settings.VAR_DIR) / "evidence"


def stored_path(name: str) -> Path:
    """The path of a stored file; refuses anything but our own random names."""
    if not STORED_NAME.match(name):
        raise ValueError("not a stored evidence file name")
    return evidence_dir() / name


def clean_name(name: str) -> str:
    """The client's file name without directories or control characters, at most 255."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip().lstrip(".")
    return base[-255:] or "evidence"


def content_type_for(name: str) -> str:
    """The content type the extension promises; InvalidInput when it is not allowed."""
    ext = Path(name).suffix.lower()
    if ext not in TYPES:
        raise InvalidInput({"file": f"“{ext or name}” files are not accepted; upload {ALLOWED}."})
    return TYPES[ext]


def sniff(path: Path, expected: str) -> str | None:
    """Why the content is not really `expected`, or None when it is."""
    with path.open("rb") as fh:
        head = fh.read(16)
    if expected in MAGIC:
        return None if head.startswith(MAGIC[expected]) else "its content is not that type"
    if expected in TEXT_TYPES:
        data = path.read_bytes()
        if b"\x00" in data:
            return "it contains binary data, not text"
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return "it is not UTF-8 text"
        return None
    if expected in ZIP_PART:
        if not zipfile.is_zipfile(path):
            return "it is not an Office Open XML archive"
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return "it is not a readable Office Open XML archive"
        if "[Content_Types].xml" not in names or ZIP_PART[expected] not in names:
            return "the archive is not that kind of document"
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            return "it contains macros"
        return None
    return "its type cannot be checked"  # pragma: no cover - TYPES and the checks agree


def store(chunks: Iterable[bytes], original_name: str) -> Stored:
    """Check and store an upload; InvalidInput({'file': ...}) on anything refused.

    The file is complete under its final name when this returns; the caller removes it
    (`discard`) if what it records about the file does not commit.
    """
    name = clean_name(original_name)
    expected = content_type_for(name)
    limit = max_bytes()
    folder = evidence_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    digest = hashlib.sha256()
    size = 0
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=".upload-")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise InvalidInput(
                        {"file": f"The file is larger than the limit of {limit // 1024:,} KB."}
                    )
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size == 0:
            raise InvalidInput({"file": "The file is empty."})
        problem = sniff(tmp, expected)
        if problem is not None:
            raise InvalidInput({"file": f"“{name}” is refused: {problem}. Upload {ALLOWED}."})
        final = secrets.token_hex(16)
        os.replace(tmp, folder / final)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return Stored(final, name, expected, size, digest.hexdigest())


def discard(name: str) -> None:
    """Remove a stored file (a rolled-back upload); a missing file is fine."""
    stored_path(name).unlink(missing_ok=True)
