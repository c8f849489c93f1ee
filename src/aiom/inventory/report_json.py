"""A Report as JSON (kept on a finished ImportJob) and back, so the job's page renders the
same report templates as the preview.

Every dataclass field of Report is kept, whatever it holds: nested dataclasses become
objects, counters and other mappings objects, sets and tuples lists, dates ISO text. Read
back, `problems` are Problems again and the counters Counters; any other field (the
structured sections other parts of the importer add) is kept as plain JSON, which the
templates read with the same dotted names.
"""

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Mapping
from typing import Any

from aiom.inventory.report import Problem, Report


def jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
        for name in _properties(type(value)):
            data.setdefault(name, jsonable(getattr(value, name)))
        return data
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _properties(cls: type) -> list[str]:
    """A nested section's read-only properties (its templates may read them); not Report's
    own (errors, warnings, blocked), which a rebuilt Report computes again."""
    if issubclass(cls, Report | Problem):
        return []
    return [n for n in dir(cls) if not n.startswith("_") and isinstance(getattr(cls, n), property)]


def to_json(report: Report) -> dict[str, Any]:
    data: dict[str, Any] = jsonable(report)
    return data


def from_json(data: dict[str, Any]) -> Report:
    names = {f.name for f in dataclasses.fields(Report)}
    kwargs = {k: v for k, v in data.items() if k in names}
    kwargs["problems"] = [Problem(**p) for p in data.get("problems", [])]
    for name in ("by_source_stage", "by_stage", "placeholders_blanked"):
        if name in names:
            kwargs[name] = Counter(data.get(name) or {})
    return Report(**kwargs)
