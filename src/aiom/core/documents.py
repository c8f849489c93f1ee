"""Strict YAML documents (the policy, the maturity model): errors that name their path.

A document model refuses unknown keys; `validate` turns pydantic's errors into lines
like `gates.pilot_to_scaling.requires[2]: unknown check 'kpi_baselne'`. A whole-document
consistency check reports "path: message" parts joined by "; ", which are split back out.
"""

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DocumentError(ValueError):
    """A document that does not validate; `problems` are 'path: message' lines."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def path(loc: tuple[Any, ...], root: str) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not str(part).startswith("function-"):
            out += f".{part}" if out else str(part)
    return out or root


def validate[M: BaseModel](
    model: type[M], data: Any, *, root: str, error: type[DocumentError]
) -> M:
    """`model` validated from `data`, or `error` listing every problem with its path."""
    if not isinstance(data, dict):
        raise error([f"{root}: the document must be a mapping of keys to values"])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems: list[str] = []
        for e in exc.errors():
            message = str(e["msg"]).removeprefix("Value error, ")
            if e["type"] == "extra_forbidden":
                message = f"unknown key '{e['loc'][-1]}'"
                where = path(tuple(e["loc"][:-1]), root)
            else:
                where = path(tuple(e["loc"]), root)
            if where == root and e["type"] == "value_error":  # names its own paths
                problems.extend(message.split("; "))
            else:
                problems.append(f"{where}: {message}")
        raise error(problems) from exc
