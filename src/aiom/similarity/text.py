"""Tokenising for similarity, per language: words, stop words out, Snowball stems.

Each text's language is detected from the text itself (`detect`: the function words it
uses, weighed by how few languages share them), so an inventory may mix languages and a
Dutch record is read with Dutch stop words and the Dutch stemmer. Stop words come from
the stopwords-iso lists (`stopwordsiso`), stems from the Snowball stemmers
(`snowballstemmer`); both are pure Python with their data inside the wheel, so nothing
is downloaded at run time. A text whose language cannot be told (a bare title) is read
in the `fallback` language the caller gives (the corpus's main language).

Terms are stems folded to lower case without accents, and PHRASES: two stems whose words
stand next to each other in the text, with no stop word, dropped word or punctuation
between them ("parkeer handhaaf" from "parkeer-handhaving", never "give different" from
"give them different"). So a phrase two texts share is contiguous in both.
"""

import itertools
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

import snowballstemmer  # type: ignore[import-untyped]
import stopwordsiso

# ISO 639-1 code -> Snowball algorithm. Every one has a stopwords-iso list.
SNOWBALL = {
    "en": "english",
    "nl": "dutch",
    "fr": "french",
    "de": "german",
    "es": "spanish",
    "it": "italian",
    "pt": "portuguese",
    "ca": "catalan",
    "da": "danish",
    "sv": "swedish",
    "no": "norwegian",
    "fi": "finnish",
}
LANGUAGES = tuple(SNOWBALL)
DEFAULT_LANGUAGE = "en"

# Words every AI inventory repeats that say nothing about the work ("AI", "use").
DOMAIN_STOP_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "ai",
            "artificial",
            "intelligence",
            "use",
            "uses",
            "used",
            "using",
            "usecase",
            "etc",
            "eg",
            "ie",
            "n",
            "a",
            "na",
            "tbd",
        ]
    ),
    "nl": frozenset(["ai", "ki", "kunstmatige", "intelligentie"]),
    "fr": frozenset(["ia", "ai", "intelligence", "artificielle"]),
    "de": frozenset(
        # and the abbreviations and fillers German registers write ("bzw.", "ca.", "inkl.")
        [
            "ki",
            "ai",
            "künstliche",
            "kunstliche",
            "intelligenz",
            "bzw",
            "usw",
            "etc",
            "ca",
            "bzgl",
            "inkl",
            "evtl",
            "zudem",
            "mithilfe",
            "anhand",
            "sodass",
            "resp",
        ],
    ),
    "es": frozenset(["ia", "ai", "inteligencia", "artificial"]),
    "it": frozenset(["ia", "ai", "intelligenza", "artificiale"]),
    "pt": frozenset(["ia", "ai", "inteligência", "inteligencia", "artificial"]),
    "ca": frozenset(["ia", "ai", "intel·ligència", "intelligencia", "artificial"]),
}

# A run of letters or digits; an apostrophe or a hyphen splits words.
WORD = re.compile(r"[^\W_]+")
# What may stand between the two words of a phrase: blanks or one hyphen, no line break.
JOINER = re.compile(r"[ \t\u00a0]*-?[ \t\u00a0]*")
BRITISH = re.compile(r"(?<=\w{3})is(e|es|ed|ing|ation|ations|er|ers|able)$")
DETECT_CHARS = 2000  # the start of a text tells its language; the rest costs time
MIN_EVIDENCE = 1.5  # weighed function words needed to name a language
MIN_LEAD = 1.3  # ... and how far ahead of the runner-up


@cache
def _combining() -> dict[int, None]:
    """Every combining character (accents), mapped to nothing: `str.translate` drops them
    in C, where a generator over the characters cost a third of the language detection."""
    return {c: None for c in range(sys.maxunicode + 1) if unicodedata.combining(chr(c))}


def fold(text: str) -> str:
    """Lower case without accents."""
    if text.isascii():  # most inventories: nothing to decompose
        return text.lower()
    return unicodedata.normalize("NFKD", text.lower()).translate(_combining())


# English function words that registers in other languages carry in English names and
# phrases ("Research Collaboration on AI for Topographic Mapping" in a German record): stop
# words in every language. Only words that are no content word in a supported language
# ("by" is a Danish/Norwegian town, "to" their "two", "it" the German "IT").
ENGLISH_IN_ANY = frozenset(["the", "of", "and", "for", "with", "from", "this", "that", "which"])


@cache
def stop_words(language: str) -> frozenset[str]:
    """The language's stop words (stopwords-iso plus DOMAIN_STOP_WORDS, and ENGLISH_IN_ANY),
    folded."""
    found = set(stopwordsiso.stopwords(language)) | DOMAIN_STOP_WORDS.get(language, frozenset())
    found |= ENGLISH_IN_ANY
    return frozenset(fold(w) for w in found) | frozenset(found)


# The commonest function words of each language (articles, prepositions, conjunctions,
# auxiliaries), folded: what tells a language apart. The stopwords-iso lists are too broad
# for that (the English one holds "il", "con" and "per").
FUNCTION_WORDS: dict[str, str] = {
    "en": "the of and to in is are for with that this on by from be an as at or was were "
    "which it its have has will would should can not",
    "nl": "de het een van en in is op te dat die voor met zijn wordt worden door aan bij "
    "niet ook om naar als deze of er heeft kan",
    "fr": "le la les des du de un une et est en dans pour par sur au aux que qui avec ce "
    "cette sont ou pas il elle leur",
    "de": "der die das und ist den dem des ein eine einer zu mit von im auf fur werden wird "
    "nicht sich auch als oder bei aus",
    "es": "el la los las de del y en es un una para por con que se al su sus como o no "
    "son lo este esta",
    "it": "il lo la gli le di del della dei e in un una per con che si al alla sono come "
    "o non questo questa",
    "pt": "o a os as de do da dos das e em um uma para por com que se ao no na nos nas "
    "como ou nao sao",
    "ca": "el la els les de del i en es un una per amb que al als com o no son aquest "
    "aquesta dels seu",
    "da": "og i at det en den til er som pa de med af for ikke der var et har blev efter "
    "uden mellem mod nu sig hvad nogle meget",
    "sv": "och i att det som en pa ar av for med till den har de inte om ett var efter "
    "utan mellan mot sig vad nagra mycket",
    "no": "og i det som en pa er til av for med at ikke den har de om et var ble etter "
    "uten mellom mot seg hva noen mye",
    "fi": "ja on ei se etta han oli ovat mutta tai kun kuin myos joka mika sen",
}


@cache
def _evidence() -> dict[str, dict[str, float]]:
    """folded function word -> {language: weight}: 1 / the number of languages listing it,
    so a word only Dutch uses ("het") says more than one half of Europe uses ("de")."""
    holders: dict[str, list[str]] = {}
    for language in LANGUAGES:
        for word in set(FUNCTION_WORDS[language].split()):
            holders.setdefault(word, []).append(language)
    return {w: {lang: 1 / len(langs) for lang in langs} for w, langs in holders.items()}


def detect(text: str) -> str | None:
    """The language `text` is written in (an ISO 639-1 code of LANGUAGES), or None when
    its function words do not tell (too short, or no language clearly ahead)."""
    evidence = _evidence()
    scores: Counter[str] = Counter()
    for match in WORD.finditer(fold(text[:DETECT_CHARS])):
        found = evidence.get(match.group())
        if found:
            scores.update(found)
    ranked = scores.most_common(2)
    if not ranked or ranked[0][1] < MIN_EVIDENCE:
        return None
    if len(ranked) == 2 and ranked[0][1] < MIN_LEAD * ranked[1][1]:
        return None
    return ranked[0][0]


def language_of(text: str, fallback: str = DEFAULT_LANGUAGE) -> str:
    return detect(text) or fallback


@cache
def _stemmer(language: str) -> "snowballstemmer.Stemmer":
    return snowballstemmer.stemmer(SNOWBALL[language])


@lru_cache(maxsize=400_000)
def stem(word: str, language: str = DEFAULT_LANGUAGE) -> str:
    """`word`'s Snowball stem in `language`, folded (accents off after stemming, which
    reads them). English -ise spellings are read as -ize first (summarise, summarize)."""
    word = word.lower()
    if language == "en":
        word = BRITISH.sub(r"iz\1", word)
    return fold(_stemmer(language).stemWord(word))


@dataclass(frozen=True)
class Word:
    surface: str  # as written, lower case
    stem: str
    joined: bool  # stands right after the previous content word (a phrase may span it)


@lru_cache(maxsize=400_000)
def content_stem(surface: str, language: str) -> str:
    """The stem of a lower-case word read as `language`, or "" for a word that carries no
    content there (a stop word, a digit string, one letter)."""
    stops = stop_words(language)
    folded = fold(surface)
    if len(folded) < 2 or folded.isdigit() or folded in stops or surface in stops:
        return ""
    stemmed = stem(surface, language)
    return "" if stemmed in stops else stemmed


def words(text: str, language: str) -> Iterator[Word]:
    """The content words of `text` read as `language`, in order."""
    end = 0
    joined = False
    for match in WORD.finditer(text.lower()):
        surface = match.group()
        gap = text[end : match.start()]
        end = match.end()
        stemmed = content_stem(surface, language)
        if not stemmed:
            joined = False
            continue
        yield Word(surface, stemmed, joined and JOINER.fullmatch(gap) is not None)
        joined = True


def _phrases(found: list[Word]) -> Iterator[tuple[Word, Word]]:
    for a, b in itertools.pairwise(found):
        if b.joined:
            yield a, b


MEMO_LIMIT = 500_000  # words remembered per language before the memo starts again


@cache
def _memo(language: str) -> dict[str, str]:
    """lower-case word -> `content_stem` in `language`: a dict read is a fraction of an
    `lru_cache` call, and every document repeats its words."""
    return {}


def terms(text: str, fallback: str = DEFAULT_LANGUAGE, *, language: str | None = None) -> list[str]:
    """Stems and phrases ("invoic extract") of `text`, read in `language` when given
    (already detected), else in its detected language: what `words` and `_phrases` give,
    without a `Word` per word (this runs over every document of a fit)."""
    language = language or language_of(text, fallback)
    memo = _memo(language)
    if len(memo) > MEMO_LIMIT:
        memo.clear()
    stems: list[str] = []
    phrases: list[str] = []
    previous = ""  # the previous word's stem when it carried content
    end = 0
    fullmatch = JOINER.fullmatch
    for match in WORD.finditer(text.lower()):
        surface = match.group()
        stemmed = memo.get(surface)
        if stemmed is None:
            stemmed = memo[surface] = content_stem(surface, language)
        if stemmed:
            if previous:
                gap = text[end : match.start()]
                if gap == " " or fullmatch(gap) is not None:
                    phrases.append(f"{previous} {stemmed}")
            stems.append(stemmed)
        previous = stemmed
        end = match.end()
    return stems + phrases


def char_trigrams(
    text: str, fallback: str = DEFAULT_LANGUAGE, *, language: str | None = None
) -> list[str]:
    """Character trigrams of each content word padded with spaces (" in", "inv", ...)."""
    grams: list[str] = []
    for word in words(text, language or language_of(text, fallback)):
        padded = f" {fold(word.surface)} "
        grams.extend(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def surface_forms(text: str, fallback: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """term -> how `text` first wrote it (a stem -> its word; a phrase -> its two words)."""
    found = list(words(text, language_of(text, fallback)))
    forms: dict[str, str] = {}
    for w in found:
        forms.setdefault(w.stem, w.surface)
    for a, b in _phrases(found):
        forms.setdefault(f"{a.stem} {b.stem}", f"{a.surface} {b.surface}")
    return forms
