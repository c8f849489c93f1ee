"""Source attributes: the columns of an imported file that no use-case field keeps as text.

An import keeps, per use case, every column whose text no field stores, as
`UseCase.source_attributes` ({header: value}): the columns the mapping does not read at
all, and the columns it only interprets (a stage word, a yes/no, a classification that a
rule turns into a choice), whose words are otherwise lost. A column whose text a field
stores (a title, a description part, the external id, an org unit's name, the owner's
e-mail) is not kept twice: an export writes it back from that field.

Values are kept as read (surrounding whitespace included, so an export writes them back
unchanged), with three exceptions that every text field shares: control characters are
removed, line ends are LF (CRLF and CR read as LF), and a spreadsheet formula escape
(`'` before = + - @) that aiom's own exports add is undone when the mapping says
`unescape_formulas`. Blank cells are dropped. A date
column whose text could not be read as a date is kept too (the field stays unknown, the
words are not lost). Headers are the file's, as the reader normalises them (trimmed,
inner whitespace collapsed).

A mapping may name a column holding a JSON object of attributes (`source_attributes_column`,
the `aiom` preset: aiom's own exports carry them that way); its entries are merged first.
"""

import json
from collections.abc import Iterable
from typing import Any

from aiom.core import tabular
from aiom.inventory.convert import CONTROL, ORG_NAME_LIMIT
from aiom.inventory.date_specs import DATE_FIELDS
from aiom.inventory.mapping import Mapping, key


def stored_columns(mapping: Mapping) -> set[str]:
    """Keys of the columns whose text a field stores (see the module docstring)."""
    cols = {mapping.id_column, mapping.id_source_column, mapping.owner_email}
    cols.add(mapping.attributes_column)
    cols |= {name for name, _ in mapping.org_levels}
    cols |= set(mapping.org_path.values()) - {mapping.org_path.get("separator", "")}
    for spec in mapping.texts.values():
        cols |= set(spec.columns)
    stored = {key(c) for c in cols if c}
    for name, aliases in mapping.aliases.items():
        if key(name) in stored:
            stored |= {key(a) for a in aliases}
    return stored


def kept_headers(headers: Iterable[str], mapping: Mapping) -> list[str]:
    """The file's headers whose cells an import keeps as source attributes.

    aiom's own format (a mapping with `source_attributes_column`) holds aiom's fields in
    aiom's words: there only the columns the mapping does not read at all are kept."""
    stored = stored_columns(mapping)
    if mapping.attributes_column:
        stored |= {key(c) for c in mapping.columns()}
    return [h for h in headers if h and key(h) not in stored]


def cell(value: str, mapping: Mapping) -> str:
    """A cell as kept: control characters removed, aiom's formula escape undone."""
    value = CONTROL.sub("", value)
    if mapping.unescape_formulas and tabular.NEUTRALISED.match(value):
        value = value[1:]
    if "\r" in value:  # line ends as LF, as every text field (XLSX cannot hold CR)
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def collect(row: dict[str, str], headers: list[str], mapping: Mapping) -> dict[str, str]:
    """The row's source attributes: each kept header's non-blank value, as read."""
    out: dict[str, str] = {}
    attributes_column = mapping.attributes_column
    if attributes_column:
        header = next((h for h in row if key(h) == key(attributes_column)), None)
        out.update(parse(row.get(header, "") if header else ""))
    for header in headers:
        value = cell(row.get(header, ""), mapping)
        if value.strip():
            out[header] = value
    return out


def keep_unread_dates(
    row: dict[str, str],
    values: dict[str, Any],
    mapping: Mapping,
    out: dict[str, str],
    stage: str = "",
) -> None:
    """Keep the text of a date column the import did not read: unreadable (the date stays
    unknown), or not read for this row's stage (the mapping's `stages:`)."""
    lookup = {key(h): h for h in row}
    for fname in DATE_FIELDS:
        spec = mapping.texts.get(fname)
        stages = mapping.date_specs[fname].stages if fname in mapping.date_specs else ()
        unread = bool(stages) and stage not in stages
        if spec is None or (values.get(fname) is not None and not unread):
            continue
        for column in spec.columns:
            header = lookup.get(key(column))
            value = cell(row.get(header, ""), mapping) if header else ""
            if header and value.strip():
                out[header] = value


def parse(text: str) -> dict[str, str]:
    """A JSON object of attributes as aiom's exports write it; anything else is none."""
    if not text.strip():
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): "" if v is None else str(v) for k, v in data.items() if str(v).strip()}


def as_text(attributes: dict[str, str]) -> str:
    """Attributes as one JSON cell (blank when there are none)."""
    return json.dumps(attributes, ensure_ascii=False) if attributes else ""


def lookup(attributes: dict[str, str]) -> dict[str, str]:
    """Attributes by header key (exports match columns whatever their case or spacing)."""
    return {key(k): v for k, v in attributes.items()}


def attach(planned: Any, row: dict[str, str], kept: list[str], mapping: Mapping) -> None:
    """Put the row's source attributes into a planned row's values (the importer's hook).

    Besides the kept headers: a stored column whose value was a placeholder (N/A, TBD,
    ...: `planned.blanked`, the field stays blank) and a date the import could not read
    keep their text, so that an export can write them back.
    """
    attributes = collect(row, kept, mapping)
    lookup = {key(h): h for h in row}
    for column in getattr(planned, "blanked", {}):
        header = lookup.get(key(column))
        value = cell(row.get(header, ""), mapping) if header else ""
        if header and value.strip():
            attributes.setdefault(header, value)
    keep_unread_dates(row, planned.values, mapping, attributes, getattr(planned, "stage", ""))
    keep_altered(row, planned.values, mapping, attributes)
    planned.values["source_attributes"] = attributes


def keep_altered(
    row: dict[str, str], values: dict[str, Any], mapping: Mapping, out: dict[str, str]
) -> None:
    """Keep the text of a stored column that the field does not hold as given: a text cut
    to its field's limit, an org-unit name cut to the unit's. An export writes the kept
    text back while the field still holds its cut form (inventory/source_format.py)."""
    lookup = {key(h): h for h in row}

    def keep(column: str, stored: str | None) -> None:
        header = lookup.get(key(column))
        value = cell(row.get(header, ""), mapping) if header else ""
        if header and value.strip() and stored is not None and value.strip() != stored:
            out.setdefault(header, value)

    for fname, spec in mapping.texts.items():
        if len(spec.columns) == 1 and isinstance(values.get(fname), str):
            keep(spec.columns[0], values[fname])
    above = ""
    for column, _ in mapping.org_levels:
        header = lookup.get(key(column))
        text = cell(row.get(header, ""), mapping).strip() if header else ""
        if len(text) > ORG_NAME_LIMIT:
            keep(column, text[:ORG_NAME_LIMIT].strip())
        elif text and key(text) == key(above):  # named like its parent: no unit of its own
            keep(column, "")
        above = text or above
