"""Text similarity methods behind one small interface, in pure Python.

Each method keeps an inverted index (term -> parallel arrays of document positions and
weights), so a query touches only the postings of its own terms. Terms in more than
`max_df` of the documents are skipped at query time: they carry almost no weight and
their postings are the long ones. Scores are comparable within a method, not across.
Agency boilerplate (sentences repeated in many documents, `boilerplate.py`) is found once
per `fit` and stripped from the documents and from every query.
"""

import heapq
import math
from array import array
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Protocol

from aiom.similarity import parallel
from aiom.similarity.boilerplate import DEFAULT_RULE, Boilerplate, find, strip
from aiom.similarity.text import char_trigrams, surface_forms, terms

Hit = tuple[int, float, tuple[str, ...]]
Analyzer = Callable[[str], list[str]]


@dataclass(frozen=True)
class Doc:
    id: int
    text: str


class Method(Protocol):
    name: str

    def fit(self, docs: list[Doc]) -> None: ...

    def query(self, text: str, k: int = 5, exclude_ids: Collection[int] = ()) -> list[Hit]: ...


def explain(
    mine: dict[str, str], doc_text: str, idf: Callable[[str], float], n: int = 5
) -> tuple[str, ...]:
    """The words and word pairs a query (`mine`: its `surface_forms`) shares with a text.

    Rarest first, in the query's spelling; a shared pair stands for its two words.
    """
    theirs = set(terms(doc_text))
    shared = [t for t in mine if t in theirs]
    chosen: list[str] = []
    covered: set[str] = set()
    for term in sorted(shared, key=lambda t: (" " not in t, -idf(t), t)):
        parts = set(term.split(" "))
        if parts <= covered:
            continue
        chosen.append(term)
        covered |= parts
    chosen.sort(key=lambda t: (-idf(t), t))
    return tuple(mine[t] for t in chosen[:n])


def _count_part(part: int, parts: int) -> list[Counter[str]]:
    """Term counts of the documents i % parts == part (run in a forked worker if large)."""
    analyzer = parallel.shared("analyzer")
    return [Counter(analyzer(text)) for text in parallel.shared("texts")[part::parts]]


class _Inverted:
    """Shared machinery: document ids, texts, document frequencies and postings."""

    name = "base"

    def __init__(
        self,
        analyzer: Analyzer = terms,
        max_df: float = 0.2,
        boilerplate: Boilerplate | None = DEFAULT_RULE,
    ) -> None:
        self.analyzer = analyzer
        self.max_df = max_df
        self.rule = boilerplate
        self.boilerplate: frozenset[str] = frozenset()
        self.ids: list[int] = []
        self.texts: list[str] = []
        self.df: dict[str, int] = {}
        self.postings: dict[str, tuple[array[int], array[float]]] = {}
        self.word_df: dict[str, int] = {}

    def _count(self, docs: list[Doc]) -> list[Counter[str]]:
        self.ids = [d.id for d in docs]
        texts = [d.text for d in docs]
        self.boilerplate = find(texts, self.rule) if self.rule is not None else frozenset()
        self.texts = [strip(t, self.boilerplate) for t in texts]
        counts: list[Counter[str]] = [Counter() for _ in self.texts]
        inputs = {"texts": self.texts, "analyzer": self.analyzer}
        parts = parallel.fork_map(_count_part, len(self.texts), inputs)
        for part, found in enumerate(parts):
            counts[part :: len(parts)] = found
        df: Counter[str] = Counter()
        for c in counts:
            df.update(c.keys())
        self.df = dict(df)
        if self.analyzer is terms:
            self.word_df = self.df
        else:
            word_df: Counter[str] = Counter()
            for t in self.texts:
                word_df.update(set(terms(t)))
            self.word_df = dict(word_df)
        return counts

    def _store(self, rows: dict[str, tuple[list[int], list[float]]]) -> None:
        self.postings = {t: (array("I", p), array("f", w)) for t, (p, w) in rows.items()}

    def idf(self, term: str) -> float:
        n = len(self.ids)
        return math.log((1 + n) / (1 + self.df.get(term, 0))) + 1.0

    def word_idf(self, term: str) -> float:
        n = len(self.ids)
        return math.log((1 + n) / (1 + self.word_df.get(term, 0))) + 1.0

    def _accumulate(self, weights: dict[str, float]) -> dict[int, float]:
        limit = max(2, int(self.max_df * len(self.ids)))
        scores: dict[int, float] = {}
        get = scores.get
        for term, qw in weights.items():
            found = self.postings.get(term)
            if found is None or len(found[0]) > limit:
                continue
            for i, w in zip(found[0], found[1], strict=True):
                scores[i] = get(i, 0.0) + qw * w
        return scores

    def _top(
        self, text: str, scores: dict[int, float], k: int, exclude_ids: Collection[int]
    ) -> list[Hit]:
        ids = self.ids
        excluded = set(exclude_ids)
        best = heapq.nlargest(
            k, ((s, i) for i, s in scores.items() if s > 0 and ids[i] not in excluded)
        )
        mine = surface_forms(text)
        return [(ids[i], s, explain(mine, self.texts[i], self.word_idf)) for s, i in best]


class TfidfCosine(_Inverted):
    """TF-IDF (sublinear tf, smoothed idf) cosine over stemmed unigrams and bigrams.

    Lexical: a paraphrase with no word in common scores 0. A document shorter than the
    `short_floor` quantile is normalised as if it were that long, so a bare title that
    shares one word does not outrank a full description sharing five.
    """

    name = "tfidf"
    short_floor = 0.1
    term_ids: dict[str, int]
    vectors: list[tuple[array[int], array[float]]]  # per document: term ids, weights
    boost: array[float]  # per document: floored norm / true norm (>= 1: short documents)

    def fit(self, docs: list[Doc]) -> None:
        counts = self._count(docs)
        self.term_ids = {t: n for n, t in enumerate(self.df)}
        term_ids = self.term_ids
        idf = [self.idf(t) for t in self.df]  # by term id
        sublinear = [0.0] + [1 + math.log(tf) for tf in range(1, 64)]  # tf is mostly small
        ids_of: list[list[int]] = []
        weights_of: list[list[float]] = []
        norms: list[float] = []
        for c in counts:
            tids = [term_ids[t] for t in c]
            weights = [
                (sublinear[tf] if tf < 64 else 1 + math.log(tf)) * idf[tid]
                for tid, tf in zip(tids, c.values(), strict=True)
            ]
            ids_of.append(tids)
            weights_of.append(weights)
            norms.append(math.sqrt(sum(w * w for w in weights)))
        ordered = sorted(norms)
        floor = ordered[int(self.short_floor * (len(ordered) - 1))] if ordered else 1.0
        post_docs: list[list[int]] = [[] for _ in term_ids]
        post_weights: list[list[float]] = [[] for _ in term_ids]
        self.vectors = []
        self.boost = array("f")
        for i, (tids, weights, true_norm) in enumerate(zip(ids_of, weights_of, norms, strict=True)):
            norm = max(true_norm, floor, 1e-9)
            self.boost.append(norm / max(true_norm, 1e-9))
            scaled = [w / norm for w in weights]
            for tid, w in zip(tids, scaled, strict=True):
                post_docs[tid].append(i)
                post_weights[tid].append(w)
            self.vectors.append((array("I", tids), array("f", scaled)))
        self.postings = {
            term: (array("I", post_docs[tid]), array("f", post_weights[tid]))
            for term, tid in term_ids.items()
        }

    def query(self, text: str, k: int = 5, exclude_ids: Collection[int] = ()) -> list[Hit]:
        text = strip(text, self.boilerplate)
        c = Counter(t for t in self.analyzer(text) if t in self.df)
        weights = {t: (1 + math.log(tf)) * self.idf(t) for t, tf in c.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        scores = self._accumulate({t: w / norm for t, w in weights.items()})
        return self._top(text, scores, k, exclude_ids)


class CharTrigramTfidf(TfidfCosine):
    """TF-IDF cosine over character trigrams of words: survives typos and inflections.

    Many more postings per document than word terms: slower and bigger at 100k.
    """

    name = "char3"

    def __init__(self, max_df: float = 0.2, boilerplate: Boilerplate | None = DEFAULT_RULE) -> None:
        super().__init__(analyzer=char_trigrams, max_df=max_df, boilerplate=boilerplate)


class Bm25(_Inverted):
    """Okapi BM25 (k1=1.2, b=0.75) over stemmed unigrams and bigrams.

    Scores are divided by the query's score against itself, so they fall roughly in 0..1
    and can be combined with the other signals; they are still not cosines.
    """

    name = "bm25"

    def __init__(
        self,
        k1: float = 1.2,
        b: float = 0.75,
        max_df: float = 0.2,
        boilerplate: Boilerplate | None = DEFAULT_RULE,
    ) -> None:
        super().__init__(analyzer=terms, max_df=max_df, boilerplate=boilerplate)
        self.k1, self.b = k1, b
        self.avgdl = 1.0

    def idf(self, term: str) -> float:
        n, df = len(self.ids), self.df.get(term, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def _tf_part(self, tf: float, length: float) -> float:
        k1, b = self.k1, self.b
        return tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / self.avgdl))

    def fit(self, docs: list[Doc]) -> None:
        counts = self._count(docs)
        self.avgdl = (sum(sum(c.values()) for c in counts) / len(counts)) if counts else 1.0
        rows: dict[str, tuple[list[int], list[float]]] = {}
        for i, c in enumerate(counts):
            length = sum(c.values())
            for t, tf in c.items():
                row = rows.setdefault(t, ([], []))
                row[0].append(i)
                row[1].append(self._tf_part(tf, length))
        self._store(rows)

    def query(self, text: str, k: int = 5, exclude_ids: Collection[int] = ()) -> list[Hit]:
        text = strip(text, self.boilerplate)
        c = Counter(t for t in self.analyzer(text) if t in self.df)
        length = sum(c.values())
        weights = {t: self.idf(t) for t in c}
        itself = sum(w * self._tf_part(c[t], length) for t, w in weights.items()) or 1.0
        scores = self._accumulate({t: w / itself for t, w in weights.items()})
        return self._top(text, scores, k, exclude_ids)


METHODS: dict[str, Callable[[], Method]] = {
    "tfidf": TfidfCosine,
    "bm25": Bm25,
    "char3": CharTrigramTfidf,
}
