"""Turn one file row into the use case it describes, or into the reasons it cannot be one.

Length limits: a title or external id over its limit makes the row invalid (a cut name
would silently become another name); longer text fields (problem, description, value
hypothesis, risk notes, vendor) are truncated to the limit with a warning on that row.
Control characters (other than tab and line breaks) and unpaired surrogates are removed
from every cell, with a warning naming the column. External ids are normalised as
`portfolio.external_ids` says; a row's source is the mapping's name, or the file's own
source column when the mapping names one (the `aiom` preset: aiom's exports).
"""

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from aiom.core import tabular
from aiom.inventory.date_columns import DateColumns
from aiom.inventory.date_specs import DATE_FIELDS
from aiom.inventory.mapping import FLAG_FIELDS, Mapping, key, render
from aiom.inventory.report import Problem
from aiom.portfolio import external_ids
from aiom.portfolio.services import TEXT_LIMITS
from aiom.portfolio.vocabulary import FIRST_STAGE

HARD_LIMITS = ("title", "external_id")
ORG_NAME_LIMIT = 120
ORG_CODE_LIMIT = 40
# What no text field keeps: C0/C1 controls but tab and line breaks, DEL, lone surrogates.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


@dataclass
class Planned:
    """A row as aiom would store it; `org_path` is [(name, code)] from the top level down."""

    line: int
    external_id: str = ""
    source: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    org_path: list[tuple[str, str]] = field(default_factory=list)
    stage: str = FIRST_STAGE
    source_stage: str = ""
    owner_email: str = ""
    problems: list[Problem] = field(default_factory=list)
    stage_rule: str = ""  # how the stage was found (values, contains, regex, blank, unknown)
    contact: str = ""  # the source's contact (see inventory/owners.py)
    blanked: dict[str, str] = field(default_factory=dict)  # column: placeholder read as blank

    @property
    def valid(self) -> bool:
        return not any(p.error for p in self.problems)


class Columns:
    """Column lookup by normalised, casefolded header, with the mapping's aliases."""

    def __init__(self, headers: list[str], mapping: Mapping) -> None:
        self.index = {key(h): h for h in headers}
        self.aliases = {key(k): [key(a) for a in v] for k, v in mapping.aliases.items()}
        self.found: dict[str, str | None] = {}
        self.dates: DateColumns | None = None  # the file's date columns (importer sets it)

    def header(self, name: str) -> str | None:
        if name not in self.found:
            candidates = (key(name), *self.aliases.get(key(name), []))
            self.found[name] = next((self.index[c] for c in candidates if c in self.index), None)
        return self.found[name]

    def missing(self, names: list[str]) -> list[str]:
        return [n for n in names if self.header(n) is None]


def convert(line: int, row: dict[str, str], mapping: Mapping, cols: Columns) -> Planned:
    plan = Planned(line=line, source=mapping.name)
    cleaned: set[str] = set()

    def read(name: str) -> str:
        header = cols.header(name)
        value = row.get(header, "") if header else ""
        if CONTROL.search(value):
            value = CONTROL.sub("", value)
            if name not in cleaned:
                cleaned.add(name)
                problem(
                    name,
                    "control characters removed (the file holds characters that "
                    "are not text, e.g. NUL or escape codes)",
                    False,
                )
        if mapping.unescape_formulas and tabular.NEUTRALISED.match(value):
            value = value[1:]
        if "\r" in value:  # line ends as LF, as the forms store them (XLSX cannot hold CR)
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        return value.strip()

    def get(name: str) -> str:  # placeholders (N/A, TBD, ...) read as blank
        value = read(name)
        if value and key(value) in mapping.placeholders:
            plan.blanked.setdefault(name, value)
            return ""
        return value

    def problem(column: str, message: str, error: bool = True) -> None:
        plan.problems.append(Problem(line, column, message, error))

    _identify(plan, mapping, cols, get)
    for fname, spec in mapping.texts.items():
        parts = [(c, get(c)) for c in spec.columns]
        if spec.labels:
            text = "\n\n".join(f"{spec.labels.get(c, c)}: {v}" for c, v in parts if v)
        else:
            text = "\n\n".join(v for _, v in parts if v)
        column = spec.columns[0] if spec.columns else fname
        if fname in DATE_FIELDS:
            continue  # read below, in the day/month order settled for the whole file
        elif fname == "expected_benefit_amount":
            plan.values[fname] = _amount(text, column, plan)
        elif fname in TEXT_LIMITS and len(text) > TEXT_LIMITS[fname]:
            limit = TEXT_LIMITS[fname]
            if fname in HARD_LIMITS:
                problem(column, f"{fname} is {len(text)} characters; the limit is {limit}")
            else:
                problem(column, f"{fname} truncated from {len(text)} to {limit} characters", False)
            plan.values[fname] = text[:limit].strip()
        else:
            plan.values[fname] = text
    if not plan.values.get("title"):
        problem(mapping.texts["title"].columns[0], "blank title: a use case needs a name")
    for fname, rules in mapping.rules.items():
        value = _apply_rules(fname, rules, get, plan, read)
        if value is not None:
            plan.values[fname] = value
    _stage(plan, mapping, get, read)
    if cols.dates is None:  # converted outside an import: no file-wide day/month order
        cols.dates = DateColumns(mapping, cols.header, timezone.localdate())
    plan.problems += cols.dates.apply(line, get, plan.values, plan.stage)
    cols.dates.first_stage(plan.values, plan.stage)
    plan.org_path = _org_path(mapping, get, plan)
    plan.owner_email = get(mapping.owner_email).casefold() if mapping.owner_email else ""
    plan.contact = "; ".join(dict.fromkeys(v for v in map(get, mapping.contact) if v))
    if len(plan.contact) > TEXT_LIMITS["contact"]:
        problem(mapping.contact[0], f"contact cut to {TEXT_LIMITS['contact']} characters", False)
        plan.contact = plan.contact[: TEXT_LIMITS["contact"]].strip()
    return plan


def _identify(plan: Planned, mapping: Mapping, cols: Columns, get: Any) -> None:
    """The row's external id (normalised) and source, or a problem naming the id column."""
    column = mapping.id_column or "external id"
    if mapping.id_source_column and cols.header(mapping.id_source_column):
        plan.source = get(mapping.id_source_column)  # blank: set by hand where it came from
        if len(plan.source) > external_ids.SOURCE_LIMIT:
            plan.problems.append(
                Problem(plan.line, mapping.id_source_column, "a source name that long is no id")
            )
    try:
        plan.external_id = external_ids.normalise(_external_id(mapping, get))
    except external_ids.ControlCharacterError as exc:  # tabs or line breaks inside the id
        plan.problems.append(Problem(plan.line, column, str(exc)))
        return
    limit = TEXT_LIMITS["external_id"]
    if not plan.external_id:
        message = "no external id (the id column and its fallback are blank)"
        plan.problems.append(Problem(plan.line, column, message))
    elif len(plan.external_id) > limit:
        plan.problems.append(Problem(plan.line, column, f"external id longer than {limit}"))


def _external_id(mapping: Mapping, get: Any) -> str:
    prefix = render(mapping.id_prefix, get)
    raw = get(mapping.id_column) if mapping.id_column else ""
    if raw and key(raw) not in mapping.id_placeholders:
        return prefix + raw
    if mapping.id_fallback:
        basis = "\x1f".join(key(get(c)) for c in mapping.id_fallback)
        if basis.strip("\x1f"):
            return prefix + "row-" + hashlib.sha256(basis.encode()).hexdigest()[:16]
    return ""


def _apply_rules(fname: str, rules: list[Any], get: Any, plan: Planned, read: Any = None) -> Any:
    for rule in rules:
        if rule.values:  # an explicit value wins over a placeholder ("n/a": false)
            for text in [(read or get)(c) for c in rule.columns]:
                if key(text) in rule.values:
                    return rule.values[key(text)]
        texts = [get(c) for c in rule.columns]
        if rule.values:
            odd = [t for t in texts if t and key(t) not in rule.values]
            if odd and fname in FLAG_FIELDS:
                plan.problems.append(
                    Problem(plan.line, rule.columns[0], f"'{odd[0]}' is not yes or no", False)
                )
        if rule.present is not None and any(texts):
            return rule.present
        for value, pattern in rule.contains:
            if any(pattern.search(t.casefold()) for t in texts):
                return value
        if rule.default is not None:
            return rule.default
    return None


def _stage(plan: Planned, mapping: Mapping, get: Any, read: Any) -> None:
    """The row's stage by the mapping's stage rules (inventory/stage_rules.py)."""
    rules, column = mapping.stage, mapping.stage_column
    raw = read(column) if column else ""
    plan.source_stage = " ".join(raw.split())
    if raw and key(raw) in rules.values:  # an explicit value, even a placeholder's
        plan.stage, plan.stage_rule = rules.values[key(raw)], "values"
        return
    if not (get(column) if column else ""):
        if rules.blank is None:
            message = (
                f"blank stage in column '{column}' (the mapping does not say which stage a "
                "blank becomes: stage.blank)"
            )
            plan.problems.append(Problem(plan.line, column, message))
        else:
            plan.stage, plan.stage_rule = rules.blank, "blank"
        return
    stage, how = rules.match(raw)
    if stage is not None:
        plan.stage, plan.stage_rule = stage, how
    elif rules.unknown == "error":
        shown = raw if len(raw) <= 80 else raw[:77] + "..."
        plan.problems.append(Problem(plan.line, column, f"unknown stage '{shown}' (not mapped)"))
    else:
        plan.stage, plan.stage_rule = rules.unknown, "unknown"
        plan.problems.append(
            Problem(plan.line, column, f"unknown stage '{raw}' imported as {plan.stage}", False)
        )


def _org_path(mapping: Mapping, get: Any, plan: Planned) -> list[tuple[str, str]]:
    path: list[tuple[str, str]] = []
    if mapping.org_path:
        sep = mapping.org_path.get("separator", " \u203a ")
        names = [n.strip() for n in get(mapping.org_path["names"]).split(sep) if n.strip()]
        codes = [c.strip() for c in get(mapping.org_path["codes"]).split("/") if c.strip()]
        if len(codes) != len(names):
            codes = [""] * len(names)
        pairs = list(zip(names, codes, strict=True))
    else:
        pairs = [(get(n), render(c, get) if c else "") for n, c in mapping.org_levels]
    for name, code in pairs:
        if not name or (path and key(name) == key(path[-1][0])):
            continue  # a blank level, or a bureau named like its agency: no extra unit
        if len(name) > ORG_NAME_LIMIT:
            plan.problems.append(
                Problem(plan.line, "org unit", f"name cut to {ORG_NAME_LIMIT} characters", False)
            )
            name = name[:ORG_NAME_LIMIT].strip()
        path.append((name, slugify(code or name)[:ORG_CODE_LIMIT].strip("-")))
    if not path:
        plan.problems.append(Problem(plan.line, "org unit", "no org unit (blank columns)"))
    return path


def _amount(text: str, column: str, plan: Planned) -> Decimal | None:
    if not text:
        return None
    try:
        return Decimal(text).quantize(Decimal("0.01"))
    except InvalidOperation:
        plan.problems.append(Problem(plan.line, column, f"'{text}' is not an amount", False))
        return None
