"""A mapping file: which column feeds which use-case field, and how values translate.

Presets are mapping files shipped in `presets/`; `load_mapping` validates either kind and
names every problem. Caveat: YAML 1.1 reads unquoted `yes`/`no`/`on`/`off` keys as
booleans, so value maps must quote them (`"yes": true`); a boolean key is refused.
"""

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from aiom.core import safe_yaml
from aiom.inventory import duplicates as duplicate_ids
from aiom.inventory import owners as owner_table
from aiom.inventory import placeholders as nothing_values
from aiom.inventory import row_filters, set_aside, stage_rules
from aiom.inventory.date_specs import DateSpec, date_spec
from aiom.inventory.readers import normalise_header
from aiom.portfolio.vocabulary import STAGE_KEYS, AIType, Environment, Sourcing

PRESETS_DIR = Path(__file__).parent / "presets"
TEXT_FIELDS = ("title", "problem", "description", "value_hypothesis", "risk_notes", "vendor")
EXTRA_FIELDS: tuple[str, ...] = ("proposed_on", "stage_entered_on", "theme")
EXTRA_FIELDS += ("expected_benefit_amount", "expected_benefit_currency")
CHOICE_VALUES = {"ai_type": AIType.values, "sourcing": Sourcing.values}
CHOICE_VALUES["environment"] = Environment.values
FLAG_FIELDS = ("customer_facing", "personal_data", "automated_decisions", "confidential")
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


class MappingError(Exception):
    """A mapping file that cannot be used; `problems` lists what is wrong, by key."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def key(text: object) -> str:
    """How headers and enumerated values compare: trimmed, spaces collapsed, casefolded."""
    return normalise_header(text).casefold()


@dataclass
class Rule:
    """One way to derive a choice or flag; the first rule that yields a value wins."""

    columns: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    present: Any = None
    contains: list[tuple[Any, re.Pattern[str]]] = field(default_factory=list)
    default: Any = None


@dataclass
class TextSpec:
    columns: list[str]
    labels: dict[str, str] = field(default_factory=dict)


@dataclass
class Mapping:
    name: str
    label: str = ""
    detect: list[str] = field(default_factory=list)
    required: list[str] = field(default_factory=list)
    aliases: dict[str, list[str]] = field(default_factory=dict)
    id_prefix: str = ""
    id_column: str = ""
    id_placeholders: set[str] = field(default_factory=set)
    id_fallback: list[str] = field(default_factory=list)
    id_source_column: str = ""  # a column naming each row's source (aiom's own exports)
    org_levels: list[tuple[str, str]] = field(default_factory=list)
    org_path: dict[str, str] = field(default_factory=dict)
    owner_email: str = ""
    texts: dict[str, TextSpec] = field(default_factory=dict)
    rules: dict[str, list[Rule]] = field(default_factory=dict)
    stage_column: str = ""
    stage: stage_rules.StageRules = field(default_factory=stage_rules.StageRules)
    placeholders: frozenset[str] = nothing_values.DEFAULT_KEYS
    row_filter: row_filters.RowFilter = field(default_factory=row_filters.RowFilter)
    duplicates: duplicate_ids.Policy = field(default_factory=duplicate_ids.Policy)
    skip_rows: frozenset[str] = frozenset()
    contact: list[str] = field(default_factory=list)
    owners: dict[str, str] = field(default_factory=dict)  # file value key: user reference
    unescape_formulas: bool = False
    json_records: str = ""
    date_specs: dict[str, DateSpec] = field(default_factory=dict)  # date_format, day_first
    # a column holding a JSON object of source attributes (aiom's own exports)
    attributes_column: str = ""
    # how an export writes use cases back in the file's columns (inventory/source_format.py)
    export: dict[str, Any] = field(default_factory=dict)

    def columns(self) -> set[str]:
        """Every column the mapping reads (templates' placeholders included)."""
        cols = {*self.required, self.id_column, *self.id_fallback, self.owner_email}
        cols |= {*self.contact, *self.row_filter.columns(), *self.duplicates.columns}
        cols.add(self.id_source_column)
        cols |= set(_PLACEHOLDER.findall(self.id_prefix))
        for name, code in self.org_levels:
            cols |= {name, *_PLACEHOLDER.findall(code)}
        cols |= set(self.org_path.values()) - {self.org_path.get("separator", "")}
        cols.add(self.stage_column)
        for spec in self.texts.values():
            cols |= set(spec.columns)
        for rules in self.rules.values():
            for rule in rules:
                cols |= set(rule.columns)
        return {c for c in cols if c}


def preset_names() -> list[str]:
    return sorted(p.stem for p in PRESETS_DIR.glob("*.yaml"))


def load_preset(name: str) -> Mapping:
    if name not in preset_names():
        raise MappingError([f"no preset '{name}'; one of {', '.join(preset_names())}"])
    return _preset_text_to_mapping((PRESETS_DIR / f"{name}.yaml").read_text(encoding="utf-8"), name)


@cache
def _preset_text_to_mapping(text: str, name: str) -> Mapping:
    return load_mapping(text, default_name=name, base=PRESETS_DIR)


def load_mapping(text: str, *, default_name: str = "mapping", base: Path | None = None) -> Mapping:
    """A mapping from its YAML text; `base` is its file's folder (for `owners_file`)."""
    data = safe_yaml.load(text, what="a mapping", error=MappingError)
    if not isinstance(data, dict):
        raise MappingError(["a mapping file is a YAML object (name, fields, stage, ...)"])
    try:
        return _mapping(data, default_name, base)
    except (AttributeError, TypeError, KeyError, ValueError) as exc:
        # a key holding the wrong kind of value (a text where an object belongs, ...)
        raise MappingError([f"a key holds the wrong kind of value ({exc!r})"]) from exc


def _mapping(data: dict[str, Any], default_name: str, base: Path | None = None) -> Mapping:
    problems: list[str] = []
    m = Mapping(name=str(data.get("name") or default_name), label=str(data.get("label", "")))
    m.detect = [str(c) for c in data.get("detect", [])]
    m.required = [str(c) for c in data.get("required", [])]
    m.aliases = {str(k): [str(a) for a in v] for k, v in (data.get("aliases") or {}).items()}
    ext = data.get("external_id") or {}
    m.id_prefix = str(ext.get("prefix", f"{m.name}:"))
    m.id_column = str(ext.get("column", ""))
    m.id_placeholders = {key(p) for p in ext.get("placeholders", [])}
    m.id_fallback = [str(c) for c in ext.get("fallback", [])]
    m.id_source_column = str(ext.get("source_column", ""))
    if len(m.name) > 60:
        problems.append("name: at most 60 characters (it names the source of the ids)")
    if not m.id_column and not m.id_fallback:
        problems.append("external_id: give a column, a fallback list of columns, or both")
    org = data.get("org_units") or []
    if isinstance(org, dict):
        m.org_path = {str(k): str(v) for k, v in org.items()}
    else:
        m.org_levels = [(str(lv["name"]), str(lv.get("code", ""))) for lv in org]
    if not m.org_levels and not m.org_path:
        problems.append("org_units: at least one level (name column, code template)")
    m.owner_email = str(data.get("owner_email") or "")
    m.contact = [str(c) for c in _as_list(data.get("contact") or [])]
    m.owners = owner_table.parse(data, base, problems)
    m.placeholders = nothing_values.parse(data.get("placeholders"), problems)
    m.row_filter = row_filters.parse(data, problems)
    m.duplicates = duplicate_ids.parse(data.get("duplicates"), problems)
    m.skip_rows = set_aside.parse_skip_rows(data.get("skip_rows"), problems)
    for fname, spec in (data.get("fields") or {}).items():
        if fname not in TEXT_FIELDS + EXTRA_FIELDS:
            problems.append(f"fields.{fname}: not an importable text or date field")
        elif isinstance(spec, str):
            m.texts[fname] = TextSpec([spec])
        else:
            labels = {str(k): str(v) for k, v in (spec.get("labels") or {}).items()}
            columns = spec.get("columns") or ([spec["column"]] if spec.get("column") else [])
            m.texts[fname] = TextSpec([str(c) for c in columns], labels)
            if fname in ("proposed_on", "stage_entered_on"):
                m.date_specs[fname] = date_spec(fname, spec, problems)
    if "title" not in m.texts:
        problems.append("fields.title: required (the column holding the use case's name)")
    for fname, spec in (data.get("choices") or {}).items():
        if fname not in CHOICE_VALUES and fname not in FLAG_FIELDS:
            problems.append(f"choices.{fname}: not a choice or yes/no field")
            continue
        m.rules[fname] = [_rule(fname, r, problems) for r in _as_list(spec)]
    stage = data.get("stage") or {}
    m.stage_column = str(stage.get("column", ""))
    m.stage = stage_rules.parse(stage, problems)
    if not m.stage_column and m.stage.blank is None:
        problems.append(
            "stage: give the column holding each row's stage, or blank: <stage> "
            f"(the stage every row gets; one of {', '.join(STAGE_KEYS)})"
        )
    m.unescape_formulas = bool(data.get("unescape_formulas", False))
    m.json_records = str(data.get("json_records") or "")
    m.attributes_column = str(data.get("source_attributes_column") or "")
    m.export = dict(data.get("export") or {})
    if problems:
        raise MappingError(problems)
    return m


def _as_list(spec: Any) -> list[Any]:
    return spec if isinstance(spec, list) else [spec]


def _rule(fname: str, spec: Any, problems: list[str]) -> Rule:
    if not isinstance(spec, dict):
        problems.append(f"choices.{fname}: each rule is an object")
        return Rule()
    columns = spec.get("columns") or ([spec["column"]] if spec.get("column") else [])
    rule = Rule(columns=[str(c) for c in columns], present=spec.get("present"))
    rule.default = spec.get("default")
    for raw, value in (spec.get("values") or {}).items():
        if isinstance(raw, bool):
            problems.append(f"choices.{fname}.values: quote the key {raw!r} (YAML reads yes/no)")
        rule.values[key(raw)] = value
    for value, words in (spec.get("contains") or {}).items():
        pattern = "|".join(rf"\b{re.escape(str(w).casefold())}" for w in words)
        rule.contains.append((value, re.compile(pattern)))
    allowed = CHOICE_VALUES.get(fname)
    outputs = [*rule.values.values(), rule.present, rule.default, *(v for v, _ in rule.contains)]
    for out in outputs:
        if out is None:
            continue
        if allowed is not None and out not in allowed:
            problems.append(f"choices.{fname}: '{out}' is not one of {', '.join(allowed)}")
        if allowed is None and not isinstance(out, bool):
            problems.append(f"choices.{fname}: a yes/no field maps to true or false, not {out!r}")
    return rule


def render(template: str, lookup: Any) -> str:
    """Fill `{column}` placeholders with that column's (trimmed) value."""
    return _PLACEHOLDER.sub(lambda mt: str(lookup(mt.group(1))).strip(), template)
