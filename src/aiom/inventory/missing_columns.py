"""A column the mapping reads that the file does not have: one file-level problem, not one
per row, naming the column, the mapping key that reads it and the file's nearest headers.

Refused (an error: nothing can be imported right without it): the `required` columns,
every title column, the stage column, the columns of `where` / `where_not`, the id
column when there is no fallback, and the org-unit columns when none
of them is there. Any other mapped column that is missing is one warning: its field stays
blank on every row (a `duplicates` column reads as blank: `latest_by` then refuses the rows
it cannot order).
"""

import difflib
import re
from collections.abc import Callable

from aiom.inventory.mapping import Mapping, key
from aiom.inventory.report import Problem

NEAREST = 3
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")  # a column named in a template


def roles(mapping: Mapping) -> dict[str, list[str]]:
    """Each column the mapping reads, with the keys that read it (in mapping order)."""
    out: dict[str, list[str]] = {}

    def add(columns: list[str], role: str) -> None:
        for column in columns:
            if column and role not in out.setdefault(column, []):
                out[column].append(role)

    add(mapping.required, "required")
    add([mapping.id_column], "external_id.column")
    add(mapping.id_fallback, "external_id.fallback")
    add([mapping.id_source_column], "external_id.source_column")
    add(_PLACEHOLDER.findall(mapping.id_prefix), "external_id.prefix")
    for name, code in mapping.org_levels:
        add([name], "org_units")
        add(_PLACEHOLDER.findall(code), "org_units.code")
    add([v for k, v in mapping.org_path.items() if k != "separator"], "org_units")
    for fname, spec in mapping.texts.items():
        add(spec.columns, f"fields.{fname}")
    for fname, rules in mapping.rules.items():
        for rule in rules:
            add(rule.columns, f"choices.{fname}")
    add([mapping.stage_column], "stage.column")
    add([mapping.owner_email], "owner_email")
    add(mapping.contact, "contact")
    add(list(mapping.row_filter.where), "where")
    add(list(mapping.row_filter.where_not), "where_not")
    add(list(mapping.duplicates.columns), f"duplicates.{mapping.duplicates.mode}")
    return out


def check(
    headers: list[str], mapping: Mapping, header: Callable[[str], str | None]
) -> list[Problem]:
    """The problems of the mapped columns `header` (the file's lookup) does not find."""
    needed = {*mapping.required, *mapping.texts["title"].columns, mapping.stage_column}
    needed |= set(mapping.row_filter.columns())
    if not mapping.id_fallback:
        needed.add(mapping.id_column)
    org = [name for name, _ in mapping.org_levels]
    org += [v for k, v in mapping.org_path.items() if k != "separator"]
    if org and all(header(c) is None for c in org):
        needed |= set(org)
    problems = []
    for column, keys in roles(mapping).items():
        if header(column) is not None:
            continue
        message = (
            f"column '{column}' ({', '.join(keys)}) is not in the file; {nearest(column, headers)}"
        )
        if column not in needed:
            message += ": left blank on every row"
        problems.append(Problem(0, column, message, column in needed))
    return problems


def nearest(column: str, headers: list[str]) -> str:
    by_key = {key(h): h for h in headers if h}
    close = difflib.get_close_matches(key(column), list(by_key), n=NEAREST, cutoff=0.5)
    if not close:
        return "no header of the file is close"
    return "nearest: " + ", ".join(by_key[c] for c in close)
