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
"""

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from aiom.similarity.text import fold

SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")
NOT_WORD = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Boilerplate:
    min_docs: int = 20
    share: float = 0.005
    min_words: int = 3


DEFAULT_RULE = Boilerplate()


def sentences(text: str) -> list[str]:
    return [s for s in SENTENCE_END.split(text) if s.strip()]


def key(sentence: str) -> str:
    """A sentence's identity: folded words separated by single spaces."""
    return NOT_WORD.sub(" ", fold(sentence)).strip()


def cutoff(documents: int, rule: Boilerplate) -> int:
    return max(rule.min_docs, math.ceil(rule.share * documents))


def find(texts: Iterable[str], rule: Boilerplate = DEFAULT_RULE) -> frozenset[str]:
    """The keys of sentences found in at least `cutoff` of `texts`."""
    counts: Counter[str] = Counter()
    n = 0
    for text in texts:
        n += 1
        counts.update({k for k in map(key, sentences(text)) if k.count(" ") + 1 >= rule.min_words})
    limit = cutoff(n, rule)
    return frozenset(k for k, c in counts.items() if c >= limit)


def strip(text: str, boilerplate: frozenset[str]) -> str:
    """`text` without its boilerplate sentences (unchanged when there is none)."""
    if not boilerplate:
        return text
    parts = sentences(text)
    kept = [s for s in parts if key(s) not in boilerplate]
    return text if len(kept) == len(parts) else "\n".join(kept)
