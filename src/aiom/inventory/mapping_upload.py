"""An uploaded mapping file for the web import: size and encoding, then
`mapping.load_mapping`; every refusal is a MappingError listing what is wrong.

`load_mapping` reads the YAML within `core.safe_yaml`'s limits (depth, aliases, expanded
size), so a hostile mapping costs little and answers 400, never 500.
"""

from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile

from aiom.inventory.mapping import Mapping, MappingError, load_mapping

MAX_BYTES = 256 * 1024  # the largest shipped preset is under 10 KB
EXTENSIONS = (".yaml", ".yml")


def parse_text(text: str) -> Mapping:
    """The mapping `text` describes, or MappingError naming every problem."""
    return load_mapping(text, default_name="mapping")


def parse(upload: "UploadedFile[Any]") -> tuple[str, Mapping]:
    """The uploaded mapping's text and the Mapping it describes."""
    name = upload.name or ""
    if Path(name).suffix.lower() not in EXTENSIONS:
        raise MappingError([f"a mapping file is YAML (.yaml or .yml), not '{name}'"])
    if (upload.size or 0) > MAX_BYTES:
        raise MappingError(
            [f"the mapping file is {upload.size or 0:,} bytes; the limit is {MAX_BYTES:,}"]
        )
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise MappingError([f"the mapping file is larger than {MAX_BYTES:,} bytes"])
    if b"\x00" in data:
        raise MappingError(["the mapping file is not text"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MappingError([f"the mapping file is not UTF-8 (byte {exc.start})"]) from exc
    return text, parse_text(text)
