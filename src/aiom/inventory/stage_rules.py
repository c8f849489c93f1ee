"""How a file's stage text becomes an aiom stage: exact values, keywords, regular expressions.

A mapping's `stage:` says, in this order of precedence: `values` (the whole cell, compared
as the mapping compares keys), `contains` ({stage: [keywords]}: a keyword found at the
start of a word, case-insensitive), `regex` ({stage: [patterns]}: searched, case-insensitive);
within `contains` and `regex` the first stage listed that matches wins. `blank:` (the stage
a blank cell becomes) must be stated: without it a blank stage is a row error naming the
column, never a silent intake. `unknown:` is `error` (the row is refused) or a stage.

Patterns are checked when the mapping loads: at most PATTERN_LIMIT characters, compiled,
and no repeated group that itself repeats or alternates, such as `(a+)+` or `(a|aa)*` (which
can take exponential time); each value is matched on its first TEXT_LIMIT characters only.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from aiom.inventory.readers import normalise_header
from aiom.portfolio.vocabulary import STAGE_KEYS

PATTERN_LIMIT = 200
TEXT_LIMIT = 1000
# a repeated group that itself repeats or alternates: (a+)+, (a|aa)*, (x{2,})+ ...
_NESTED = re.compile(r"\((?:[^()\\]|\\.)*[+*}|](?:[^()\\]|\\.)*\)\s*[+*{]")


@dataclass(frozen=True)
class StageValue:
    """One distinct stage text of a file (spaces collapsed; first spelling seen), its rows,
    and the stage it became (None: not mapped, the rows were refused) by which rule."""

    value: str
    count: int
    stage: str | None
    rule: str  # values, contains, regex, blank, unknown; "" when not mapped


class StageTally:
    """Counts each distinct stage text as the importer converts rows."""

    def __init__(self) -> None:
        self.seen: dict[str, list[Any]] = {}

    def add(self, text: str, stage: str, rule: str) -> None:
        """One row's stage text, the stage it became and how ("" rule: not mapped)."""
        entry = self.seen.setdefault(_key(text), [text, 0, stage if rule else None, rule])
        entry[1] += 1

    def values(self) -> list[StageValue]:
        found = [StageValue(str(v), int(n), s, str(r)) for v, n, s, r in self.seen.values()]
        return sorted(found, key=lambda v: (-v.count, v.value.casefold()))


@dataclass
class StageRules:
    values: dict[str, str] = field(default_factory=dict)
    contains: list[tuple[str, re.Pattern[str]]] = field(default_factory=list)
    regex: list[tuple[str, re.Pattern[str]]] = field(default_factory=list)
    blank: str | None = None
    unknown: str = "error"

    def match(self, text: str) -> tuple[str | None, str]:
        """(stage, how) for a non-blank cell; (None, "") when no rule matches it."""
        if _key(text) in self.values:
            return self.values[_key(text)], "values"
        sample = " ".join(text.split())[:TEXT_LIMIT]
        for stage, pattern in self.contains:  # keywords are casefolded, like the cell
            if pattern.search(sample.casefold()):
                return stage, "contains"
        for stage, pattern in self.regex:
            if pattern.search(sample):
                return stage, "regex"
        return None, ""


def _key(text: object) -> str:
    return normalise_header(text).casefold()


def parse(spec: Any, problems: list[str]) -> StageRules:
    """The `stage:` object of a mapping (its `column` is read by the mapping itself)."""
    rules = StageRules(unknown=str(spec.get("unknown", "error")))
    for raw, stage in (spec.get("values") or {}).items():
        if isinstance(raw, bool):
            problems.append(f"stage.values: quote the key {raw!r} (YAML reads yes/no)")
        _check_stage(f"stage.values.{raw}", stage, problems)
        rules.values[_key(raw)] = str(stage)
    for stage, words in _stage_lists(spec, "contains", problems):
        bad = [w for w in words if not _key(w)]
        if bad:
            problems.append(f"stage.contains.{stage}: blank keyword")
        pattern = "|".join(rf"\b{re.escape(_key(w))}" for w in words if _key(w))
        if pattern:
            rules.contains.append((stage, re.compile(pattern, re.IGNORECASE)))
    for stage, patterns in _stage_lists(spec, "regex", problems):
        for text in patterns:
            compiled = _pattern(f"stage.regex.{stage}", text, problems)
            if compiled is not None:
                rules.regex.append((stage, compiled))
    if "blank" in spec:
        blank = spec["blank"]
        _check_stage("stage.blank", blank, problems)
        rules.blank = str(blank)
    if rules.unknown != "error" and rules.unknown not in STAGE_KEYS:
        problems.append(f"stage.unknown: 'error' or a stage key ({', '.join(STAGE_KEYS)})")
    return rules


def _stage_lists(spec: Any, name: str, problems: list[str]) -> list[tuple[str, list[str]]]:
    given = spec.get(name)
    if given is None:
        return []
    if not isinstance(given, dict):
        problems.append(f"stage.{name}: an object of stage: [{name} ...] in order of precedence")
        return []
    out = []
    for stage, items in given.items():
        if _check_stage(f"stage.{name}.{stage}", stage, problems):
            listed = items if isinstance(items, list) else [items]
            out.append((str(stage), [str(i) for i in listed]))
    return out


def _check_stage(where: str, stage: Any, problems: list[str]) -> bool:
    if stage not in STAGE_KEYS:
        problems.append(f"{where}: '{stage}' is not a stage ({', '.join(STAGE_KEYS)})")
        return False
    return True


def _pattern(where: str, text: str, problems: list[str]) -> re.Pattern[str] | None:
    if not text.strip():
        problems.append(f"{where}: a blank pattern matches everything")
        return None
    if len(text) > PATTERN_LIMIT:
        problems.append(f"{where}: a pattern of at most {PATTERN_LIMIT} characters")
        return None
    if _NESTED.search(text):
        problems.append(
            f"{where}: '{text}' repeats a group that repeats or alternates (like (a+)+ or "
            "(a|aa)*), which can take exponential time; write it without that"
        )
        return None
    try:
        return re.compile(text, re.IGNORECASE)
    except re.error as exc:
        problems.append(f"{where}: '{text}' is not a regular expression ({exc})")
        return None
