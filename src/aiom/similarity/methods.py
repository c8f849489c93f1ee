"""Text similarity methods behind one small interface, in pure Python.

Each method keeps an inverted index (term -> parallel arrays of document positions and
weights), so a query touches only the postings of its own terms. Terms in more than
`max_df` of the documents are skipped at query time: they carry almost no weight and
their postings are the long ones. Scores are comparable within a method, not across.
Agency boilerplate (sentences repeated in many documents, `boilerplate.py`) is found once
per `fit` and stripped from the documents and from every query.

Every corpus-level figure (document frequencies, their count, the vocabulary, BM25's
average length, the short-document floor, the boilerplate) comes from the documents given
to `fit` and nothing else. `extend` weighs further documents (the confidential use cases)
with those figures without changing any of them, and `query_extra` scores them exactly as
`query` scores the fitted ones: so adding, changing or removing an extra document moves
no score of a fitted one. A query weighs all of its own terms, known or not (an unknown
term gets the highest idf), so that its weights never depend on which documents exist.
"""

import heapq
import math
from array import array
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Protocol

from aiom.similarity import parallel
from aiom.similarity.boilerplate import DEFAULT_RULE, Boilerplate, find, strip
from aiom.similarity.text import (
    DEFAULT_LANGUAGE,
    char_trigrams,
    detect,
    language_of,
    surface_forms,
    terms,
)

Hit = tuple[int, float, tuple[str, ...]]


class Analyzer(Protocol):
    """text -> terms, read in `language` when given (detected already), else detected
    with `fallback` for a text that does not tell."""

    def __call__(
        self, text: str, fallback: str = ..., *, language: str | None = None
    ) -> list[str]: ...


@dataclass(frozen=True)
class Doc:
    id: int
    text: str
    source: str = ""  # where it comes from ("3/7/12": a unit path): per-source boilerplate


@dataclass(frozen=True)
class Extra:
    """Documents weighed with a fitted method's statistics, kept apart from its index.

    Per document position: id, text without boilerplate, terms and their weights (as the
    fitted documents' postings hold them) and, for TF-IDF, the short-document boost."""

    ids: list[int]
    texts: list[str]
    vectors: list[tuple[list[str], array[float]]]
    boost: list[float]
    postings: dict[str, tuple[array[int], array[float]]]
    languages: list[str] = field(default_factory=list)


class Method(Protocol):
    name: str
    ids: list[int]  # the fitted documents, by position
    texts: list[str]  # their texts without boilerplate
    languages: list[str]  # their languages (detected, else `language`)
    language: str  # the fitted documents' main language: what an undetected text is read in

    def fit(self, docs: list[Doc]) -> None: ...

    def query(self, text: str, k: int = 5, exclude_ids: Collection[int] = ()) -> list[Hit]: ...

    def extend(self, docs: list[Doc]) -> Extra: ...

    def query_extra(
        self, text: str, extra: Extra, k: int = 5, only_ids: Collection[int] = ()
    ) -> list[Hit]: ...

    def rank(self, text: str, k: int, extra: Extra | None = None) -> list[tuple[float, int]]: ...

    def word_idf(self, term: str) -> float: ...

    def explain(self, text: str, doc_text: str) -> tuple[str, ...]: ...


MIN_WEIGHT_SHARE = 0.25  # a term shown weighs at least this share of the heaviest shown


def explain(
    mine: dict[str, str],
    doc_text: str,
    idf: Callable[[str], float],
    n: int = 5,
    language: str = DEFAULT_LANGUAGE,
    counts: Callable[[str], bool] = lambda term: True,
) -> tuple[str, ...]:
    """The words and phrases a query (`mine`: its `surface_forms`) shares with a text
    written in `language`.

    Rarest first, in the query's spelling; a shared phrase stands for its two words. Only
    terms that carry weight: ones the score counts (`counts`: not skipped as too common)
    whose idf squared is at least MIN_WEIGHT_SHARE of the heaviest shared term's.
    """
    theirs = set(terms(doc_text, language=language))
    shared = [t for t in mine if t in theirs and counts(t)]
    if shared:
        heaviest = max(idf(t) for t in shared) ** 2
        shared = [t for t in shared if idf(t) ** 2 >= MIN_WEIGHT_SHARE * heaviest]
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


Counted = tuple[list[str | None], list[str], list[Counter[str] | None], Counter[str]]


def _count_part(part: int, parts: int) -> Counted:
    """For the documents i % parts == part (in a forked worker when there are many): the
    language detected in the raw text (None when it does not tell), the text without
    boilerplate, its term counts (None when the language is not detected: the caller
    counts those in the corpus's main language, known once every part is back), and the
    part's document frequencies of what it counted."""
    analyzer, boilerplate = parallel.shared("analyzer"), parallel.shared("boilerplate")
    texts = parallel.shared("texts")[part::parts]
    detected = [detect(text) for text in texts]
    stripped = [strip(text, boilerplate) for text in texts]
    counts: list[Counter[str] | None] = [
        None if lang is None else Counter(analyzer(text, language=lang))
        for text, lang in zip(stripped, detected, strict=True)
    ]
    df: Counter[str] = Counter()
    for c in counts:
        if c is not None:
            df.update(c.keys())
    return detected, stripped, counts, df


def _weigh_part(part: int, parts: int) -> list[tuple[array[int], array[float], float]]:
    """Per document i % parts == part: term ids, sublinear tf-idf weights divided by the
    vector's length, and that length."""
    term_ids, idf = parallel.shared("term_ids"), parallel.shared("idf")
    sublinear = [0.0] + [1 + math.log(tf) for tf in range(1, 64)]  # tf is mostly small
    found = []
    for c in parallel.shared("counts")[part::parts]:
        tids = [term_ids[t] for t in c]
        weights = [
            (sublinear[tf] if tf < 64 else 1 + math.log(tf)) * idf[tid]
            for tid, tf in zip(tids, c.values(), strict=True)
        ]
        norm = math.sqrt(sum(w * w for w in weights))
        scale = 1 / max(norm, 1e-9)
        found.append((array("I", tids), array("f", [w * scale for w in weights]), norm))
    return found


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
        self.languages: list[str] = []
        self.language = DEFAULT_LANGUAGE
        self.df: dict[str, int] = {}
        self._postings: dict[str, tuple[array[int], array[float]]] = {}
        self.word_df: dict[str, int] = {}

    def _count(self, docs: list[Doc]) -> list[Counter[str]]:
        self.ids = [d.id for d in docs]
        texts = [d.text for d in docs]
        sources = [d.source for d in docs]
        self.boilerplate = find(texts, self.rule, sources) if self.rule is not None else frozenset()
        inputs = {"texts": texts, "boilerplate": self.boilerplate, "analyzer": self.analyzer}
        parts = parallel.fork_map(_count_part, len(texts), inputs)
        self.texts = list(texts)
        detected: list[str | None] = [None for _ in texts]  # once per document, passed on
        found: list[Counter[str] | None] = [None for _ in texts]
        df: Counter[str] = Counter()
        for part, (languages, stripped, part_counts, part_df) in enumerate(parts):
            detected[part :: len(parts)] = languages
            self.texts[part :: len(parts)] = stripped
            found[part :: len(parts)] = part_counts
            df.update(part_df)
        self.language = main_language(detected)
        self.languages = [lang or self.language for lang in detected]
        counts: list[Counter[str]] = []
        for text, c in zip(self.texts, found, strict=True):
            if c is None:  # not detected: read in the main language
                c = Counter(self.analyzer(text, language=self.language))
                df.update(c.keys())
            counts.append(c)
        self.df = dict(df)
        if self.analyzer is terms:
            self.word_df = self.df
        else:
            word_df: Counter[str] = Counter()
            for t, lang in zip(self.texts, self.languages, strict=True):
                word_df.update(set(terms(t, language=lang)))
            self.word_df = dict(word_df)
        return counts

    def _store(self, rows: dict[str, tuple[list[int], list[float]]]) -> None:
        self._postings = {t: (array("I", p), array("f", w)) for t, (p, w) in rows.items()}

    @property
    def postings(self) -> dict[str, tuple[array[int], array[float]]]:
        """term -> (document positions, weights)."""
        return self._postings

    def idf(self, term: str) -> float:
        n = len(self.ids)
        return math.log((1 + n) / (1 + self.df.get(term, 0))) + 1.0

    def word_idf(self, term: str) -> float:
        n = len(self.ids)
        return math.log((1 + n) / (1 + self.word_df.get(term, 0))) + 1.0

    def counted(self, term: str) -> bool:
        """Whether a word term takes part in scores (not skipped as in too many documents)."""
        return self.word_df.get(term, 0) <= max(2, int(self.max_df * len(self.ids)))

    def explain(self, text: str, doc_text: str) -> tuple[str, ...]:
        """What `text` shares with `doc_text` that weighs (`explain`), in `text`'s words."""
        doc_language = language_of(doc_text, self.language)
        return self._explain(surface_forms(text, self.language), doc_text, doc_language)

    def _explain(self, mine: dict[str, str], doc_text: str, language: str) -> tuple[str, ...]:
        return explain(mine, doc_text, self.word_idf, 5, language, self.counted)

    def _accumulate(
        self,
        weights: dict[str, float],
        postings: dict[str, tuple[array[int], array[float]]] | None = None,
    ) -> dict[int, float]:
        """Scores by position in `postings` (the fitted ones by default). A term in more
        than `max_df` of the FITTED documents is skipped, in an extension too."""
        postings = self.postings if postings is None else postings
        limit = max(2, int(self.max_df * len(self.ids)))
        scores: dict[int, float] = {}
        get = scores.get
        for term, qw in weights.items():
            found = postings.get(term)
            if found is None or self.df.get(term, 0) > limit:
                continue
            for i, w in zip(found[0], found[1], strict=True):
                scores[i] = get(i, 0.0) + qw * w
        return scores

    def _top(
        self,
        text: str,
        scores: dict[int, float],
        k: int,
        keep: Callable[[int], bool],
        ids: list[int] | None = None,
        texts: list[str] | None = None,
        languages: list[str] | None = None,
    ) -> list[Hit]:
        ids = self.ids if ids is None else ids
        texts = self.texts if texts is None else texts
        languages = self.languages if languages is None else languages
        best = heapq.nlargest(k, ((s, i) for i, s in scores.items() if s > 0 and keep(ids[i])))
        mine = surface_forms(text, self.language)  # once per query, not per hit
        return [(ids[i], s, self._explain(mine, texts[i], languages[i])) for s, i in best]

    def _query_weights(self, text: str, language: str) -> dict[str, float]:
        raise NotImplementedError

    def _doc_weights(self, counts: Counter[str]) -> tuple[list[str], array[float], float]:
        """One extra document's terms, weights (as its postings would hold them) and boost."""
        raise NotImplementedError

    def query(self, text: str, k: int = 5, exclude_ids: Collection[int] = ()) -> list[Hit]:
        language = language_of(text, self.language)  # the raw text, as `fit` reads it
        text = strip(text, self.boilerplate)
        scores = self._accumulate(self._query_weights(text, language))
        excluded = set(exclude_ids)
        return self._top(text, scores, k, lambda pk: pk not in excluded)

    def rank(self, text: str, k: int, extra: Extra | None = None) -> list[tuple[float, int]]:
        """(score, id) of the `k` best fitted documents (or of `extra`'s), as `query` and
        `query_extra` score them, without their explanations (portfolio-wide work)."""
        language = language_of(text, self.language)
        text = strip(text, self.boilerplate)
        postings = None if extra is None else extra.postings
        ids = self.ids if extra is None else extra.ids
        scores = self._accumulate(self._query_weights(text, language), postings)
        return [(s, ids[i]) for s, i in heapq.nlargest(k, ((s, i) for i, s in scores.items()))]

    def extend(self, docs: list[Doc]) -> Extra:
        """`docs` weighed with this method's statistics, which stay as they are."""
        texts = [strip(d.text, self.boilerplate) for d in docs]
        vectors: list[tuple[list[str], array[float]]] = []
        boost: list[float] = []
        rows: dict[str, tuple[list[int], list[float]]] = {}
        languages = [language_of(d.text, self.language) for d in docs]  # raw, as `fit`
        for pos, (text, lang) in enumerate(zip(texts, languages, strict=True)):
            names, weights, lift = self._doc_weights(Counter(self.analyzer(text, language=lang)))
            vectors.append((names, weights))
            boost.append(lift)
            for name, w in zip(names, weights, strict=True):
                row = rows.setdefault(name, ([], []))
                row[0].append(pos)
                row[1].append(w)
        postings = {t: (array("I", p), array("f", w)) for t, (p, w) in rows.items()}
        return Extra([d.id for d in docs], texts, vectors, boost, postings, languages)

    def query_extra(
        self, text: str, extra: Extra, k: int = 5, only_ids: Collection[int] = ()
    ) -> list[Hit]:
        """The `k` best of `extra`'s documents in `only_ids`, scored as `query` scores the
        fitted documents."""
        language = language_of(text, self.language)
        text = strip(text, self.boilerplate)
        allowed = set(only_ids)
        if not allowed:
            return []
        scores = self._accumulate(self._query_weights(text, language), extra.postings)
        return self._top(
            text, scores, k, allowed.__contains__, extra.ids, extra.texts, extra.languages
        )


class TfidfCosine(_Inverted):
    """TF-IDF (sublinear tf, smoothed idf) cosine over stemmed unigrams and bigrams.

    Lexical: a paraphrase with no word in common scores 0. A document shorter than the
    `short_floor` quantile is normalised as if it were that long, so a bare title that
    shares one word does not outrank a full description sharing five.
    """

    name = "tfidf"
    short_floor = 0.1
    floor = 1.0  # the `short_floor` quantile of the fitted documents' norms
    term_ids: dict[str, int]
    term_names: list[str]  # term id -> term
    vectors: list[tuple[array[int], array[float]]]  # per document: term ids, weights
    boost: array[float]  # per document: floored norm / true norm (>= 1: short documents)

    def fit(self, docs: list[Doc]) -> None:
        counts = self._count(docs)
        terms_in_order = sorted(self.df)  # the same ids however the counting was shared out
        self.term_ids = {t: n for n, t in enumerate(terms_in_order)}
        self.term_names = terms_in_order
        idf = [self.idf(t) for t in terms_in_order]  # by term id
        inputs = {"counts": counts, "term_ids": self.term_ids, "idf": idf}
        parts = parallel.fork_map(_weigh_part, len(counts), inputs)
        weighed: list[tuple[array[int], array[float], float]] = []
        for i in range(len(counts)):  # back in document order
            weighed.append(parts[i % len(parts)][i // len(parts)])
        ordered = sorted(norm for _, _, norm in weighed)
        floor = ordered[int(self.short_floor * (len(ordered) - 1))] if ordered else 1.0
        self.floor = floor
        self.vectors = []
        self.boost = array("f")
        for tids, unit, true_norm in weighed:
            norm = max(true_norm, floor, 1e-9)
            self.boost.append(norm / max(true_norm, 1e-9))
            if norm != true_norm:  # a short document, normalised as if it were longer
                shrink = max(true_norm, 1e-9) / norm
                unit = array("f", [w * shrink for w in unit])
            self.vectors.append((tids, unit))
        self._postings = {}  # inverted from the vectors on the first query

    @property
    def postings(self) -> dict[str, tuple[array[int], array[float]]]:
        """term -> (document positions, weights), inverted from the vectors when first
        asked for: portfolio-wide clustering never needs all of them."""
        if not self._postings and self.vectors:
            docs: list[list[int]] = [[] for _ in self.term_ids]
            weights: list[list[float]] = [[] for _ in self.term_ids]
            for i, (tids, unit) in enumerate(self.vectors):
                for tid, w in zip(tids, unit, strict=True):
                    docs[tid].append(i)
                    weights[tid].append(w)
            self._postings = {
                term: (array("I", docs[tid]), array("f", weights[tid]))
                for term, tid in self.term_ids.items()
            }
        return self._postings

    def _query_weights(self, text: str, language: str) -> dict[str, float]:
        c = Counter(self.analyzer(text, language=language))
        weights = {t: (1 + math.log(tf)) * self.idf(t) for t, tf in c.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {t: w / norm for t, w in weights.items()}

    def _doc_weights(self, counts: Counter[str]) -> tuple[list[str], array[float], float]:
        """As `fit` weighs a document, with the fitted idf and short-document floor."""
        names = list(counts)
        weights = [(1 + math.log(tf)) * self.idf(t) for t, tf in counts.items()]
        true_norm = math.sqrt(sum(w * w for w in weights))
        scale = 1 / max(true_norm, 1e-9)
        unit = array("f", [w * scale for w in weights])
        norm = max(true_norm, self.floor, 1e-9)
        if norm != true_norm:
            shrink = max(true_norm, 1e-9) / norm
            unit = array("f", [w * shrink for w in unit])
        return names, unit, norm / max(true_norm, 1e-9)


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

    def _query_weights(self, text: str, language: str) -> dict[str, float]:
        c = Counter(self.analyzer(text, language=language))
        length = sum(c.values())
        weights = {t: self.idf(t) for t in c}
        itself = sum(w * self._tf_part(c[t], length) for t, w in weights.items()) or 1.0
        return {t: w / itself for t, w in weights.items()}

    def _doc_weights(self, counts: Counter[str]) -> tuple[list[str], array[float], float]:
        """As `fit` weighs a document, with the fitted average length."""
        length = sum(counts.values())
        weights = array("f", [self._tf_part(tf, length) for tf in counts.values()])
        return list(counts), weights, 1.0


def main_language(detected: list[str | None]) -> str:
    """The language most documents are detected in (DEFAULT_LANGUAGE when none is)."""
    found = Counter(lang for lang in detected if lang is not None)
    return min(found, key=lambda lang: (-found[lang], lang)) if found else DEFAULT_LANGUAGE


METHODS: dict[str, Callable[[], Method]] = {
    "tfidf": TfidfCosine,
    "bm25": Bm25,
    "char3": CharTrigramTfidf,
}
