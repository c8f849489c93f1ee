"""Write use cases back in the columns of the file a mapping reads (`aiom export --format X`).

The inverse of a mapping, so that import -> export -> import changes nothing and the
exported file holds what the imported one held. A preset that can be written back lists
its file's columns under `export.columns` (the file's order). Each cell comes from:

- a text field the mapping fills (`fields:`): aiom's current value. A field composed of
  several labelled columns ("System outputs: ...\\n\\nData: ...") is decomposed back into
  them (`decompose`); text without those labels (typed in aiom) goes whole into the first
  column, or the one `export.free_text` names. Dates are written as ISO at their
  precision (2022-03-14, 2022-03, 2022; a quarter as Q3 2023); an unknown date is blank
  unless the file's text could not be read as a date (then that text, kept as a source
  attribute).
- the external id, the org-unit columns and the owner / contact column: from the use
  case's external id (the mapping's prefix removed; an id the import derived from other
  columns because the file gave none is written blank), its org unit and the units above
  it (a level the import merged into its parent, blank or named like it, is blank), its
  owner's e-mail or else its contact.
- every other column: the use case's source attributes (the text the import kept).
- stage and choices: the kept text while it still gives aiom's current value (the
  mapping is run on the written row to check); where aiom's value has changed since the
  import (a lifecycle move, an edit), aiom's value through the `export.values` table
  (e.g. operational -> Deployed). Use cases from another source are written with the
  tables always, and `export.defaults` fill what they leave blank.

Caveat: what a file's text became in aiom beyond these rules (a truncated description,
a unit matched to another's spelling) is written as aiom holds it; roundtrip.py lists
those normalisations, and docs/inventory-import.md documents them.
"""

import re
from collections.abc import Iterable
from typing import Any

from django.utils.text import slugify

from aiom.core.partial_dates import shown
from aiom.inventory.convert import ORG_CODE_LIMIT, Columns, convert
from aiom.inventory.mapping import Mapping, TextSpec, key, load_preset, preset_names
from aiom.organisation.models import OrgUnit
from aiom.portfolio.models import UseCase

DATE_PRECISION = {
    "proposed_on": "proposed_precision",
    "stage_entered_on": "stage_entered_precision",
}
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
_DERIVED = re.compile(r"row-[0-9a-f]{16}")  # inventory.convert: an id made from other columns
_DISTINCT = re.compile(r"~[0-9a-f]{8}$")  # inventory.duplicates: distinct_by's suffix


def formats() -> list[str]:
    """The presets an export can write back (those that list their file's columns)."""
    return [n for n in preset_names() if load_preset(n).export.get("columns")]


def columns(mapping: Mapping) -> list[str]:
    return [str(c) for c in mapping.export.get("columns", [])]


def table(mapping: Mapping, fname: str) -> dict[str, str]:
    """The export's words for a field's aiom values (`export.values.<field>`)."""
    found = (mapping.export.get("values") or {}).get(fname) or {}
    return {str(k): str(v) for k, v in found.items()}


def decompose(spec: TextSpec, text: str, free_text: str = "") -> dict[str, str]:
    """The columns a labelled composite text was made of (the import's join, undone).

    The import writes "<label>: <value>" for each non-blank column, in the columns' order,
    joined by a blank line. Each part is found by its label at the start of the text or
    after a blank line, labels in order; text that does not start with a label is free
    text for `free_text` (default: the first column).
    """
    if not spec.labels or len(spec.columns) < 2:
        return {spec.columns[0]: text} if spec.columns else {}
    out = dict.fromkeys(spec.columns, "")
    heads = [(c, f"{spec.labels.get(c, c)}: ") for c in spec.columns]
    starts = [(i, c, h) for i, (c, h) in enumerate(heads) if text.startswith(h)]
    if not text or not starts:
        out[free_text or spec.columns[0]] = text
        return out
    index, column, head = starts[0]
    rest = text[len(head) :]
    while True:
        cut = None
        for j in range(index + 1, len(heads)):
            at = rest.find("\n\n" + heads[j][1])
            if at >= 0 and (cut is None or at < cut[0]):
                cut = (at, j)
        if cut is None:
            out[column] = rest
            return out
        out[column] = rest[: cut[0]]
        index, column, head = cut[1], heads[cut[1]][0], heads[cut[1]][1]
        rest = rest[cut[0] + 2 + len(head) :]


class Writer:
    """Writes use cases in the columns of `mapping`'s file."""

    def __init__(self, mapping: Mapping) -> None:
        self.mapping = mapping
        self.columns = columns(mapping)
        self.index = {key(c): c for c in self.columns}
        self.cols = Columns(self.columns, mapping)
        self.units = {u.pk: u for u in OrgUnit.objects.all()}
        self.tables = {str(f): table(mapping, str(f)) for f in mapping.export.get("values") or {}}
        self.defaults = {str(k): str(v) for k, v in (mapping.export.get("defaults") or {}).items()}
        self.free_text = {
            str(k): str(v) for k, v in (mapping.export.get("free_text") or {}).items()
        }

    def rows(self, use_cases: Iterable[UseCase]) -> list[dict[str, str]]:
        """The rows; `columns` then also holds every kept column the preset does not list."""
        return [self.row(uc) for uc in use_cases]

    def row(self, uc: UseCase) -> dict[str, str]:
        m = self.mapping
        own = uc.external_source == m.name
        row: dict[str, str] = {}
        for header, value in (uc.source_attributes or {}).items():
            if key(header) not in self.index:  # a column the preset does not list: appended
                self.index[key(header)] = header
                self.columns.append(header)
            self._put(row, header, value)
        for fname, spec in m.texts.items():
            self._text(row, uc, fname, spec)
        self._org(row, uc)
        contact = uc.owner.email if uc.owner_id and uc.owner else uc.contact
        for column in m.contact:
            self._put(row, column, uc.contact)
        if m.owner_email:
            self._put(row, m.owner_email, contact)
        self._id(row, uc, own)
        self._choices(row, uc, own)
        if own:
            self._dates_not_needed(row, uc)
        if not own:
            for column, value in self.defaults.items():
                if not self._get(row, column):
                    self._put(row, column, value)
        return row

    def _put(self, row: dict[str, str], column: str, value: str) -> None:
        """Write a cell; a field's value never hides the text the import kept in that
        column while the field still holds what the import made of it: blank (a
        placeholder such as N/A) or that text cut to the field's limit."""
        header = self.index.get(key(column))
        if header is None:
            return
        kept = row.get(header, "")
        if not kept or not kept.strip().startswith(value):
            row[header] = value

    def _get(self, row: dict[str, str], column: str) -> str:
        header = self.index.get(key(column))
        return row.get(header, "") if header else ""

    def _text(self, row: dict[str, str], uc: UseCase, fname: str, spec: TextSpec) -> None:
        if not spec.columns:
            return
        if fname in DATE_PRECISION:
            day = getattr(uc, fname)
            if day is not None:  # unknown: blank, or the unreadable text kept as attribute
                self._put(row, spec.columns[0], shown(day, getattr(uc, DATE_PRECISION[fname])))
            return
        value: Any = getattr(uc, fname)
        if fname == "theme":
            text = value.key if value is not None else ""
        elif value is None:
            text = ""
        else:
            text = str(value)
        for column, part in decompose(spec, text, self.free_text.get(fname, "")).items():
            self._put(row, column, part)

    def _chain(self, uc: UseCase) -> list[OrgUnit]:
        return [self.units[i] for i in uc.org_unit.ancestor_ids() if i in self.units]

    def _org(self, row: dict[str, str], uc: UseCase) -> None:
        levels = self.mapping.org_levels
        if not levels:
            return
        chain = self._chain(uc)
        top = _level_start(chain, levels[0][1], lambda c: self._get(row, c))
        below = chain[top:]
        for i, (name_column, code) in enumerate(levels):
            unit = below[i] if i < len(below) else None
            self._put(row, name_column, unit.name if unit else "")
            for column, value in _template_values(code, unit.code if unit else "").items():
                if not self._get(row, column):
                    self._put(row, column, value)

    def _id(self, row: dict[str, str], uc: UseCase, own: bool) -> None:
        m = self.mapping
        if not m.id_column:
            return
        if not own:
            text = uc.external_id.rsplit(":", 1)[-1] if uc.external_id else f"AIOM-{uc.pk}"
            self._put(row, m.id_column, text)
            return
        prefix_values = _prefix_values(m.id_prefix, uc.external_id)
        for column, value in prefix_values.items():
            if not self._get(row, column):
                self._put(row, column, value)
        prefix = _PLACEHOLDER.sub(lambda mt: self._get(row, mt.group(1)).strip(), m.id_prefix)
        text = uc.external_id
        if key(text[: len(prefix)]) == key(prefix):
            text = text[len(prefix) :]
        if m.duplicates.mode == "distinct_by":  # the policy's suffix: the import adds it
            text = _DISTINCT.sub("", text)
        if m.id_fallback and _DERIVED.fullmatch(text):
            text = ""  # the file gave no id: the import derived one from other columns
        self._put(row, m.id_column, text)

    def _choices(self, row: dict[str, str], uc: UseCase, own: bool) -> None:
        """Kept stage and choice words where they still give aiom's value, else aiom's."""
        if not self.tables:
            return
        derived = convert(0, row, self.mapping, self.cols) if own else None
        for fname, table in self.tables.items():
            current = uc.stage if fname == "stage" else getattr(uc, fname, None)
            if derived is not None:
                then = derived.stage if fname == "stage" else derived.values.get(fname)
                if then == current:
                    continue
            column = self._column_of(fname)
            wanted = table.get(_as_key(current))
            if column and wanted is not None:
                self._put(row, column, wanted)

    def _dates_not_needed(self, row: dict[str, str], uc: UseCase) -> None:
        """Leave out a date the import gets without its column (a use case in its first
        stage entered it when proposed; a date read only in some stages): the file had it
        blank, or held text the import kept as a source attribute."""
        for fname, precision in DATE_PRECISION.items():
            spec = self.mapping.texts.get(fname)
            day = getattr(uc, fname)
            if spec is None or not spec.columns or day is None:
                continue
            header = self.index.get(key(spec.columns[0]))
            if header is None or row.get(header) != shown(day, getattr(uc, precision)):
                continue
            kept = _kept(uc.source_attributes or {}, spec.columns[0])
            trial = {**row, header: kept}
            derived = convert(0, trial, self.mapping, self.cols)
            same = derived.values.get(fname) == day and derived.values.get(
                precision, getattr(uc, precision)
            ) == getattr(uc, precision)
            if same:
                row[header] = kept

    def _column_of(self, fname: str) -> str:
        if fname == "stage":
            return self.mapping.stage_column
        columns = [c for rule in self.mapping.rules.get(fname, []) for c in rule.columns]
        return str(
            self.mapping.export.get("choice_columns", {}).get(fname) or next(iter(columns), "")
        )


def _kept(attributes: dict[str, str], column: str) -> str:
    return next((v for k, v in attributes.items() if key(k) == key(column)), "")


def _as_key(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _level_start(chain: list[OrgUnit], code_template: str, lookup: Any) -> int:
    """Where the mapping's top level sits in a unit chain (an import may have had a root)."""
    names = _PLACEHOLDER.findall(code_template)
    if names and all(lookup(n).strip() for n in names):
        rendered = slugify(_PLACEHOLDER.sub(lambda mt: lookup(mt.group(1)).strip(), code_template))
        rendered = rendered[:ORG_CODE_LIMIT].strip("-")
        for i, unit in enumerate(chain):
            if unit.code == rendered:
                return i
    literal = slugify(code_template.split("{", 1)[0])
    if literal:
        for i, unit in enumerate(chain):
            if unit.code.startswith(literal):
                return i
    return 0


def _template_values(template: str, text: str) -> dict[str, str]:
    """The value of a code template's one trailing placeholder, read back from a unit code.

    Best effort: codes are slugs (lower case), so this only fills a column that neither the
    source attributes nor the external id gave (use cases from another source).
    """
    names = _PLACEHOLDER.findall(template)
    if not text or len(names) != 1 or not template.endswith("}"):
        return {}
    literal = slugify(template.split("{", 1)[0])
    if literal and text.startswith(literal):
        return {names[0]: text[len(literal) :].lstrip("-")}
    return {names[0]: text}


def _pattern(template: str) -> tuple[str, list[str]]:
    names = _PLACEHOLDER.findall(template)
    parts = _PLACEHOLDER.split(template)
    pattern = "".join(re.escape(p) if i % 2 == 0 else "(.*?)" for i, p in enumerate(parts))
    return pattern, names


def _prefix_values(template: str, external_id: str) -> dict[str, str]:
    """The placeholders of an id prefix, read back from an external id."""
    if not _PLACEHOLDER.search(template):
        return {}
    pattern, names = _pattern(template)
    found = re.match(pattern, external_id)
    if found is None:
        return {}
    return dict(zip(names, found.groups(), strict=True))
