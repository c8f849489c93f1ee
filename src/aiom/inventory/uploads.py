"""Uploaded inventory files for the web import: kept in a private temp folder, never served.

A file is stored under a random name (never the uploader's) in `<tmp>/aiom-imports`, readable
only by this process's user; the confirm step finds it by a signed token that also names
its sha256, so a different file cannot be confirmed. An uploaded mapping is kept beside the
file (`<stored>.mapping`), bound into the token by its own sha256; a background job's live
progress is `<stored>.progress` (see inventory/jobs.py). Caveat: files of abandoned previews
are removed after a day, on the next upload (a queued job's files included).
"""

import hashlib
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

from django.core import signing
from django.core.files.uploadedfile import UploadedFile

MAX_BYTES = 20 * 1024 * 1024
EXTENSIONS = {".csv": "csv", ".xlsx": "xlsx", ".json": "json"}
CONTENT_TYPES = {
    "csv": {"text/csv", "application/csv", "text/plain", "application/vnd.ms-excel"},
    "xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    "json": {"application/json", "text/json", "text/plain"},
}
SALT = "aiom.inventory.import-confirm"
TOKEN_MAX_AGE = 3600
_NAME_ALPHABET = set("0123456789abcdef")


def upload_dir() -> Path:
    folder = Path(tempfile.gettempdir()) / "aiom-imports"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def check(upload: "UploadedFile[Any]") -> str | None:
    """Why the upload is refused (size, extension, content type, first bytes), or None."""
    name = upload.name or ""
    ext = Path(name).suffix.lower()
    if ext not in EXTENSIONS:
        return "only .csv, .xlsx and .json files can be imported"
    if (upload.size or 0) > MAX_BYTES:
        return f"the file is {upload.size or 0:,} bytes; the limit is 20 MB"
    content_type = (upload.content_type or "").split(";")[0].strip().lower()
    if content_type not in CONTENT_TYPES[EXTENSIONS[ext]]:
        return f"a {ext} file cannot have the content type {content_type or '(none)'}"
    # The name and the browser's content type are claims; the first bytes are evidence.
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if EXTENSIONS[ext] == "xlsx" and not head.startswith(b"PK\x03\x04"):
        return "the .xlsx file is not an Excel workbook"
    if EXTENSIONS[ext] != "xlsx" and b"\x00" in head:
        return f"the {ext} file is not text"
    return None


def store(upload: "UploadedFile[Any]") -> tuple[str, str]:
    """Save the upload under a random name; returns (stored name, sha256)."""
    folder = upload_dir()
    cutoff = time.time() - 86400
    for old in folder.iterdir():
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    stored = secrets.token_hex(16)
    digest = hashlib.sha256()
    with (folder / stored).open("xb") as fh:
        for chunk in upload.chunks():
            digest.update(chunk)
            fh.write(chunk)
    return stored, digest.hexdigest()


def valid_name(stored: str) -> bool:
    return len(stored) == 32 and set(stored) <= _NAME_ALPHABET


def path_of(stored: str) -> Path | None:
    if not valid_name(stored):
        return None
    path = upload_dir() / stored
    return path if path.is_file() else None


def beside(stored: str, suffix: str) -> Path:
    """The path of a file kept with the stored upload (`mapping`, `progress`)."""
    if not valid_name(stored) or suffix not in ("mapping", "progress"):
        raise ValueError(f"no such stored upload part: {stored}.{suffix}")
    return upload_dir() / f"{stored}.{suffix}"


def store_mapping(stored: str, text: str) -> str:
    """Keep an uploaded mapping's text with the stored upload; returns its sha256."""
    data = text.encode("utf-8")
    with beside(stored, "mapping").open("xb") as fh:
        fh.write(data)
    return hashlib.sha256(data).hexdigest()


def read_mapping(stored: str) -> tuple[str, str] | None:
    """The stored mapping's (text, sha256), or None when there is none."""
    path = beside(stored, "mapping")
    if not path.is_file():
        return None
    data = path.read_bytes()
    return data.decode("utf-8", errors="replace"), hashlib.sha256(data).hexdigest()


def discard(stored: str) -> None:
    """Remove the stored upload and everything kept with it."""
    if not valid_name(stored):
        return
    for path in (upload_dir() / stored, beside(stored, "mapping"), beside(stored, "progress")):
        path.unlink(missing_ok=True)


def sign(data: dict[str, Any]) -> str:
    return signing.dumps(data, salt=SALT)


def unsign(token: str) -> dict[str, Any] | None:
    try:
        data = signing.loads(token, salt=SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    return data if isinstance(data, dict) else None
