"""Tokenising for similarity: lower-case words, stop words out, simple suffix stemming.

The stemmer is a short ordered suffix table, not Porter: it merges the variants that
matter in use-case texts (summarise/summarization/summaries, translate/translation,
detect/detection, British -ise/-isation with American -ize/-ization), and it
over-merges a few unrelated words that share a stem. That is the price of no dependency.
"""

import itertools
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    etc few for from further had has have having he her here hers him his how i if in
    into is it its itself just may me might more most must my no nor not of off on once
    only or other our ours out over own per same shall she should so some such than that
    the their theirs them then there these they this those through to too under until up
    upon us very via was we were what when where which while who whom why will with within
    without would you your yours e g ie eg n a na none tbd
    ai artificial intelligence use uses used using usecase""".split()  # noqa: SIM905
)

# (suffix, replacement), longest first; applied once, only if >= 3 letters remain.
SUFFIXES: tuple[tuple[str, str], ...] = (
    ("ifications", "ify"),
    ("ification", "ify"),
    ("izations", ""),
    ("isations", ""),
    ("ization", ""),
    ("isation", ""),
    ("ational", "ate"),
    ("ifiers", "ify"),
    ("ifier", "ify"),
    ("ified", "ify"),
    ("ations", "at"),
    ("ation", "at"),
    ("izing", ""),
    ("ising", ""),
    ("izers", ""),
    ("isers", ""),
    ("ments", ""),
    ("ities", ""),
    ("izer", ""),
    ("iser", ""),
    ("izes", ""),
    ("ises", ""),
    ("ized", ""),
    ("ised", ""),
    ("ions", ""),
    ("ment", ""),
    ("ness", ""),
    ("ings", ""),
    ("ize", ""),
    ("ise", ""),
    ("ion", ""),
    ("ing", ""),
    ("ity", ""),
    ("ies", "y"),
    ("ied", "y"),
    ("ors", ""),
    ("ers", ""),
    ("or", ""),
    ("er", ""),
    ("ed", ""),
    ("es", ""),
    ("ly", ""),
    ("s", ""),
)
KEEP_S = ("ss", "us", "is", "ys")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """`word`'s stem: one suffix from SUFFIXES, then a final e or y dropped."""
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, replacement in SUFFIXES:
        if word.endswith(suffix):
            if suffix == "s" and word.endswith(KEEP_S):
                continue
            base = word[: -len(suffix)] + replacement
            if len(base) >= 3:
                word = base
                break
    if len(word) > 3 and word[-1] in "ey":
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]  # planning -> plann -> plan
    return word


def fold(text: str) -> str:
    """Lower case without accents."""
    if text.isascii():  # most inventories: nothing to decompose
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> Iterator[tuple[str, str]]:
    """(surface, stem) for each content word of `text`, in order."""
    for match in WORD.finditer(fold(text).replace("\u2019", "'")):
        surface = match.group().split("'")[0]
        if len(surface) < 2 or surface in STOP_WORDS or surface.isdigit():
            continue
        stemmed = stem(surface)
        if stemmed not in STOP_WORDS:
            yield surface, stemmed


def terms(text: str) -> list[str]:
    """Stemmed unigrams and adjacent bigrams ("invoic extract") of `text`."""
    stems = [s for _, s in words(text)]
    return stems + [f"{a} {b}" for a, b in itertools.pairwise(stems)]


def char_trigrams(text: str) -> list[str]:
    """Character trigrams of each content word padded with spaces (" in", "inv", ...)."""
    grams: list[str] = []
    for surface, _ in words(text):
        padded = f" {surface} "
        grams.extend(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def surface_forms(text: str) -> dict[str, str]:
    """stem -> the first word of `text` that produced it; bigrams too."""
    pairs = list(words(text))
    found: dict[str, str] = {}
    for surface, stemmed in pairs:
        found.setdefault(stemmed, surface)
    for (s1, a), (s2, b) in itertools.pairwise(pairs):
        found.setdefault(f"{a} {b}", f"{s1} {s2}")
    return found
