"""Calibrated similarity: a raw score read against the corpus's own best-match scores.

A raw cosine depends on the language (how many words its stemmer merges, how long its
texts are) and on the corpus (a small corpus gives every word a low idf): five Dutch
cities each running the same scan-car enforcement scored 0.05-0.15 against one another,
while unrelated English pairs score 0.3. So the score users see and set thresholds on is
a STRENGTH in 0..1 that says how far a pair stands above the TYPICAL best match in its
language: z = (raw - median) / spread over every use case's best raw score (spread =
1.4826 x the median absolute deviation, a robust standard deviation), and
strength = z / (z + Z_HALF) (0 at or below the median, 0.5 at Z_HALF spreads above it,
towards 1 beyond). Duplicates are outliers of that distribution whatever the language
or the corpus size, so a threshold means the same everywhere.

The distribution is taken per language when the language has at least `MIN_DOCS` use
cases, else over the whole corpus; a pair of two languages takes the lower strength. A
small reference (under EXACT_BELOW use cases) leaves out the best scores of the pair's
own ends, so that in a register of ten a pair is compared with the OTHER use cases. It is
computed from the shared partition only (`clusters.all_pairs`), so a confidential use
case moves no strength (docs/silo-detection.md, "Confidentiality").
"""

import bisect
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

MIN_DOCS = 20  # use cases a language needs for a reference of its own
Z_HALF = 4.0  # z at which the strength is 0.5
MIN_SPREAD = 0.01
EXACT_BELOW = 200  # a reference this small leaves the scored documents out
MIN_RELATIVE_SPREAD = 0.1


@dataclass(frozen=True)
class Reference:
    """A distribution of best-match raw scores: its median and robust spread."""

    median: float
    spread: float  # 1.4826 x the median absolute deviation, floored (MIN_SPREAD)
    scores: list[float]  # sorted

    @classmethod
    def of(cls, scores: list[float]) -> "Reference":
        scores = sorted(scores)
        if not scores:
            return cls(0.0, MIN_SPREAD, scores)
        middle = statistics.median(scores)
        mad = statistics.median(abs(s - middle) for s in scores)
        spread = max(1.4826 * mad, MIN_SPREAD, middle * MIN_RELATIVE_SPREAD)
        return cls(middle, spread, scores)

    def without(self, values: list[float]) -> "Reference":
        """The reference without `values` (one occurrence each) when it is small enough
        for them to move it (EXACT_BELOW); otherwise itself."""
        if len(self.scores) >= EXACT_BELOW or not values:
            return self
        rest = list(self.scores)
        for v in values:
            at = bisect.bisect_left(rest, v)
            if at < len(rest) and rest[at] == v:
                del rest[at]
        return Reference.of(rest)

    def strength(self, raw: float) -> float:
        """How far `raw` stands above the typical best match, mapped to 0..1."""
        z = (raw - self.median) / self.spread
        return z / (z + Z_HALF) if z > 0 and raw > 0 else 0.0


@dataclass(frozen=True)
class Calibration:
    by_language: dict[str, Reference]
    pooled: Reference
    best: dict[int, float]  # document id -> its best raw score

    def reference(self, language: str) -> Reference:
        own = self.by_language.get(language)
        return own if own is not None and len(own.scores) >= MIN_DOCS else self.pooled

    def strength(self, raw: float, language: str, ends: tuple[int, ...] = ()) -> float:
        """`raw`'s strength against `language`'s best matches, those of `ends` (the
        documents the score is about) left out of a small reference."""
        mine = [self.best[pk] for pk in ends if pk in self.best]
        return self.reference(language).without(mine).strength(raw)

    def pair(self, raw: float, a: int, b: int, first: str, second: str) -> float:
        """A pair's strength: the lower of its two ends' languages'."""
        found = self.strength(raw, first, (a, b))
        return found if first == second else min(found, self.strength(raw, second, (a, b)))


def calibrate(pairs: Iterable[tuple[int, int, float]], languages: Mapping[int, str]) -> Calibration:
    """From every document's (`languages`: id -> language) scored pairs (id, id, raw):
    each document's best raw score (0 when it has none)."""
    best = dict.fromkeys(languages, 0.0)
    for a, b, raw in pairs:
        if raw > best.get(a, 0.0):
            best[a] = raw
        if raw > best.get(b, 0.0):
            best[b] = raw
    by_language: dict[str, list[float]] = {}
    for pk, raw in best.items():
        by_language.setdefault(languages.get(pk, ""), []).append(raw)
    return Calibration(
        {lang: Reference.of(scores) for lang, scores in by_language.items()},
        Reference.of(list(best.values())),
        best,
    )
