"""The obligations pack as data (`policies/obligations.yaml`): schema and loader.

An obligation applies when any of its conditions matches a use case's tier and facts
(see `derive`). References name a framework and an id in it; the pack's own words carry
the meaning, never the standards' text. Errors name their path, as the policy's do.
"""

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator

from aiom.core import safe_yaml
from aiom.core.documents import DocumentError, Strict, validate
from aiom.portfolio.vocabulary import STAGE_KEYS, AIType

POLICIES_DIR = Path(__file__).resolve().parent.parent / "policies"
PACK_FILES = {"default": POLICIES_DIR / "obligations.yaml"}
FRAMEWORKS = ("eu-ai-act", "nist-ai-rmf", "iso-42001")

Framework = Literal["eu-ai-act", "nist-ai-rmf", "iso-42001"]
TierKey = Literal["low", "medium", "high"]


class PackError(DocumentError):
    """An obligations pack that does not validate; `problems` are 'path: message' lines."""


class FrameworkInfo(Strict):
    key: Framework
    label: str = Field(min_length=1)
    edition: str = ""


class Reference(Strict):
    framework: Framework
    id: str = Field(min_length=1, max_length=40)
    note: str = ""


class Condition(Strict):
    """Every fact it names must match; a fact it leaves out matches anything."""

    tier: list[TierKey] | None = Field(None, min_length=1)
    ai_type: list[str] | None = Field(None, min_length=1)
    stage: list[str] | None = Field(None, min_length=1)
    customer_facing: bool | None = None
    personal_data: bool | None = None
    automated_decisions: bool | None = None

    @model_validator(mode="after")
    def _known(self) -> "Condition":
        problems = []
        for value in self.ai_type or ():
            if value not in AIType.values:
                problems.append(f"ai_type: unknown AI type '{value}'")
        for value in self.stage or ():
            if value not in STAGE_KEYS:
                problems.append(f"stage: unknown stage '{value}'")
        if problems:
            raise ValueError("; ".join(problems))
        return self


class Obligation(Strict):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,47}$")
    title: str = Field(min_length=1, max_length=120)
    summary: str = Field(min_length=1)
    applies_when: list[Condition] | None = Field(None, min_length=1)
    from_stage: str
    references: list[Reference] = Field(min_length=1)

    @model_validator(mode="after")
    def _stage(self) -> "Obligation":
        if self.from_stage not in STAGE_KEYS:
            raise ValueError(f"from_stage: unknown stage '{self.from_stage}'")
        return self


class Pack(Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9_-]{0,31}$")
    title: str
    description: str = ""
    frameworks: list[FrameworkInfo] = Field(min_length=1)
    obligations: list[Obligation] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> "Pack":
        problems: list[str] = []
        keys = [o.key for o in self.obligations]
        for i, key in enumerate(keys):
            if key in keys[:i]:
                problems.append(f"obligations[{i}].key: '{key}' is used twice")
        described = {f.key for f in self.frameworks}
        for i, o in enumerate(self.obligations):
            seen: set[tuple[str, str]] = set()
            for j, ref in enumerate(o.references):
                where = f"obligations[{i}].references[{j}]"
                if ref.framework not in described:
                    problems.append(f"{where}.framework: '{ref.framework}' is not in frameworks")
                if (ref.framework, ref.id) in seen:
                    problems.append(f"{where}.id: '{ref.id}' is listed twice")
                seen.add((ref.framework, ref.id))
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def obligation(self, key: str) -> Obligation | None:
        return next((o for o in self.obligations if o.key == key), None)

    def framework(self, key: str) -> FrameworkInfo | None:
        return next((f for f in self.frameworks if f.key == key), None)


@dataclass(frozen=True)
class Loaded:
    sha256: str
    pack: Pack


def parse_pack(data: Any) -> Pack:
    """A validated pack, or PackError listing every problem with its path."""
    return validate(Pack, data, root="(pack)", error=PackError)


def load_text(text: str) -> Loaded:
    data = safe_yaml.load(text, what="an obligations pack", error=PackError)
    return Loaded(hashlib.sha256(text.encode("utf-8")).hexdigest(), parse_pack(data))


@cache
def load(name: str = "default") -> Loaded:
    """A shipped pack by name, parsed once per process (a changed file needs a restart)."""
    if name not in PACK_FILES:
        raise PackError([f"(pack): no obligations pack named '{name}'"])
    return load_text(PACK_FILES[name].read_text(encoding="utf-8"))
