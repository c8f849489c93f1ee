"""Agency boilerplate: sentences repeated verbatim in many documents, stripped before indexing.

Inventories repeat whole sentences in row after row of one source ("The case owner relied
on DOJ AI governance practices to select and prepare data...", "AI was automatically
integrated into the product without an identified benefit..."). Their words are not
frequent enough across the whole portfolio for the document-frequency cut, yet they link
every row that carries them. A sentence (case, accents and punctuation ignored) found in
at least `max(min_docs, share * documents)` documents is boilerplate; it is computed once
per index build and removed from the documents and from every query. Sentences shorter
than `min_words` are kept: a repeated short line is usually a title or a label that the
idf already weighs.

Registers repeat their OWN standard sentences ("Dit algoritme valt onder de AVG...",
"Ce traitement est mis en oeuvre conformément au RGPD..."), in whatever language they are
written: a small register never reaches `min_docs`, so a sentence found in at least
`source_share` of one source's documents (a source = an org unit with everything under
it, at every level; at least `min_source_docs` documents) is boilerplate too, unless it is
the first line of the text (a title: one source listing the same tool three times is
not boilerplate). Sentences are
compared folded (case, accents and punctuation ignored), so this works in any language.
"""

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from aiom.similarity.text import fold

SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")
NOT_WORD = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Boilerplate:
    min_docs: int = 20
    share: float = 0.005
    min_words: int = 3
    min_source_docs: int = 5
    source_share: float = 0.5


DEFAULT_RULE = Boilerplate()


def sentences(text: str) -> list[str]:
    return [s for s in SENTENCE_END.split(text) if s.strip()]


def key(sentence: str) -> str:
    """A sentence's identity: folded words separated by single spaces."""
    return NOT_WORD.sub(" ", fold(sentence)).strip()


def cutoff(documents: int, rule: Boilerplate) -> int:
    return max(rule.min_docs, math.ceil(rule.share * documents))


def find(
    texts: Iterable[str], rule: Boilerplate = DEFAULT_RULE, sources: Sequence[str] = ()
) -> frozenset[str]:
    """The keys of sentences found in at least `cutoff` of `texts`, or in at least
    `source_share` (and `min_source_docs`) of the texts of one source (`sources`: one per
    text, in order, a path "3/7/12" = the unit and every unit above it, each a source;
    none given: no per-source rule)."""
    counts: Counter[str] = Counter()
    by_source: dict[str, Counter[str]] = {}
    size: Counter[str] = Counter()
    n = 0
    for i, text in enumerate(texts):
        n += 1
        found = {k for k in map(key, sentences(text)) if k.count(" ") + 1 >= rule.min_words}
        counts.update(found)
        title = key(text.split("\n", 1)[0])  # a title repeated in a source is not boilerplate
        for source in _levels(sources[i] if i < len(sources) else ""):
            size[source] += 1
            by_source.setdefault(source, Counter()).update(found - {title})
    limit = cutoff(n, rule)
    common = {k for k, c in counts.items() if c >= limit}
    for source, found_in in by_source.items():
        least = max(rule.min_source_docs, math.ceil(rule.source_share * size[source]))
        common.update(k for k, c in found_in.items() if c >= least)
    return frozenset(common)


def _levels(source: str) -> list[str]:
    """A source path ("3/7/12": a unit and its parents) as the sources it belongs to:
    "3", "3/7", "3/7/12"."""
    parts = [p for p in source.strip("/").split("/") if p]
    return ["/".join(parts[: n + 1]) for n in range(len(parts))]


def strip(text: str, boilerplate: frozenset[str]) -> str:
    """`text` without its boilerplate sentences (unchanged when there is none)."""
    if not boilerplate:
        return text
    parts = sentences(text)
    kept = [s for s in parts if key(s) not in boilerplate]
    return text if len(kept) == len(parts) else "\n".join(kept)
