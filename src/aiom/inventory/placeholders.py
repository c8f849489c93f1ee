"""Cell values that mean "nothing": `N/A`, `n.v.t.`, `TBD`, `-`, `unknown` in several languages.

A mapped cell holding one of them reads as blank, so a file never gives a vendor named
"N/A" or a use case owned by "TBD". The comparison is the mapping's (`key`: trimmed,
spaces collapsed, casefolded). A mapping extends the list (`placeholders: [..]`) or
replaces it (`placeholders: {replace: [..]}`; `{replace: []}` turns it off). An explicit
value in a choice or stage rule (`values: {"n/a": false}`) still reads the cell as written.
"""

from typing import Any

from aiom.inventory.readers import normalise_header

MAX_LENGTH = 40
DEFAULT = (
    # English
    "n/a", "na", "n.a.", "n. a.", "not applicable", "not available", "none", "nil", "null",
    "tbd", "tba", "tbc", "unknown", "-", "--", "\u2014", "\u2013", "?", "...", "…", "#n/a",
    # Dutch
    "n.v.t.", "nvt", "n.v.t", "niet van toepassing", "onbekend", "geen",
    # French
    "inconnu", "inconnue", "s.o.", "sans objet", "non applicable", "néant",
    # German
    "unbekannt", "k.a.", "k. a.", "keine angabe", "entfällt",
    # Spanish
    "desconocido", "no aplica", "n/d",
)  # fmt: skip


def _key(text: object) -> str:
    return normalise_header(text).casefold()


DEFAULT_KEYS = frozenset(_key(v) for v in DEFAULT)


def parse(spec: Any, problems: list[str]) -> frozenset[str]:
    """The placeholder keys a mapping's `placeholders:` asks for (absent: the defaults)."""
    if spec is None:
        return DEFAULT_KEYS
    if isinstance(spec, list):
        return DEFAULT_KEYS | _values(spec, "placeholders", problems)
    if isinstance(spec, dict) and set(spec) <= {"replace", "add"} and spec:
        base = (
            _values(spec["replace"], "placeholders.replace", problems)
            if ("replace" in spec)
            else DEFAULT_KEYS
        )
        return base | _values(spec.get("add", []), "placeholders.add", problems)
    problems.append(
        "placeholders: a list of values to add to the defaults, or {replace: [..]} "
        "(and optionally add: [..])"
    )
    return DEFAULT_KEYS


def _values(items: Any, where: str, problems: list[str]) -> frozenset[str]:
    if not isinstance(items, list):
        problems.append(f"{where}: a list of cell values")
        return frozenset()
    out = set()
    for item in items:
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            problems.append(f"{where}: {item!r} is not a cell value (quote yes/no/on/off)")
        elif not _key(item) or len(_key(item)) > MAX_LENGTH:
            problems.append(f"{where}: {item!r} must be 1 to {MAX_LENGTH} characters")
        else:
            out.add(_key(item))
    return frozenset(out)
