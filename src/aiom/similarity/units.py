"""Which org units are the same one spelled two ways ("Dept. of Health", "department of
health", "Département de la Santé" / "Departement de la sante").

A cluster spans org units; if an import created one unit per spelling, two use cases of
one department would look like work in two units (a false silo), and a department's
use cases would be split over two names. `unit_key` folds case, accents, punctuation,
the usual abbreviations and the filler words of unit names, so units with the same key
count as one; `path_key` does it for a unit and its parents.
"""

import re
from collections.abc import Iterable

from aiom.similarity.text import fold

NOT_WORD = re.compile(r"[^a-z0-9]+")

# Abbreviation -> the word it stands for (folded, without its dot).
ABBREVIATIONS = {
    "dept": "department",
    "dep": "department",
    "depts": "department",
    "departments": "department",
    "div": "division",
    "admin": "administration",
    "adm": "administration",
    "mgmt": "management",
    "mgt": "management",
    "svc": "service",
    "svcs": "service",
    "services": "service",
    "natl": "national",
    "gov": "government",
    "govt": "government",
    "min": "ministry",
    "ministerie": "ministry",
    "ministere": "ministry",
    "ministerio": "ministry",
    "ministerium": "ministry",
    "dir": "directorate",
    "intl": "international",
    "univ": "university",
    "ctr": "center",
    "centre": "center",
    "cntr": "center",
    "hq": "headquarters",
    "ofc": "office",
    "off": "office",
    "&": "and",
    "departement": "department",
    "departamento": "department",
    "abteilung": "department",
    "afdeling": "department",
    "dienst": "service",
}
# Words that do not tell units apart.
FILLERS = frozenset(
    [
        "of",
        "the",
        "and",
        "for",
        "a",
        "an",
        "de",
        "del",
        "la",
        "le",
        "les",
        "des",
        "du",
        "van",
        "het",
        "der",
        "die",
        "das",
        "y",
        "e",
        "et",
        "und",
        "en",
        "of",
    ]
)


def unit_key(name: str) -> str:
    """The spelling-independent identity of an org unit's name."""
    words = NOT_WORD.sub(" ", fold(name.replace("&", " and "))).split()
    found = [ABBREVIATIONS.get(w, w) for w in words]
    return " ".join(w for w in found if w not in FILLERS) or fold(name).strip()


def path_key(names: Iterable[str]) -> tuple[str, ...]:
    """A unit and its parents (`names`, root first) as unit keys."""
    return tuple(unit_key(n) for n in names)
