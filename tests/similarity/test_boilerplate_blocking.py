"""Agency boilerplate is stripped before indexing; blocking finds the pairs a query would."""

from aiom.similarity.blocking import scored_pairs, single_link
from aiom.similarity.boilerplate import Boilerplate, find, strip
from aiom.similarity.methods import Doc, TfidfCosine

BOILERPLATE = (
    "The case owner relied on agency governance practices to select and prepare data "
    "as well as evaluate performance."
)
TOPICS = [
    "Wildfire smoke forecasting from satellite imagery",
    "Invoice capture for supplier payments",
    "Resume screening against job requirements",
    "Speech transcription of court hearings",
    "Predictive maintenance of locomotive engines",
    "Grant application chatbot for applicants",
    "Fraud detection in healthcare claims",
    "Translation of consular documents",
    "Code generation assistant for developers",
    "Crop yield estimation from drone surveys",
    "Redaction of personal information in records",
    "Wildlife acoustic monitoring in national parks",
    "Network intrusion alert triage",
    "Meeting minutes summarisation",
    "Vessel tracking from radar returns",
    "Tax form classification for routing",
    "Bridge inspection crack detection",
    "Benefit eligibility question answering",
    "Drug label adverse event extraction",
    "Weather radar precipitation nowcasting",
    "Customs cargo risk targeting",
    "Library catalogue subject tagging",
]


def corpus() -> list[Doc]:
    """22 unrelated use cases of one source carrying its boilerplate, among 100 others."""
    source = [Doc(i, f"{t}\n{t}\n{BOILERPLATE}") for i, t in enumerate(TOPICS)]
    others = [Doc(1000 + i, f"Project qz{i}x\nProject qz{i}x") for i in range(100)]
    return source + others


def test_find_and_strip_repeated_sentences() -> None:
    texts = [d.text for d in corpus()[: len(TOPICS)]]
    found = find(texts, Boilerplate(min_docs=20))
    assert len(found) == 1
    assert strip(texts[0], found) == f"{TOPICS[0]}\n{TOPICS[0]}"
    assert find(texts, Boilerplate(min_docs=len(texts) + 1)) == frozenset()
    assert strip("Short line.\nShort line.", found) == "Short line.\nShort line."


def test_boilerplate_no_longer_links_unrelated_use_cases() -> None:
    kept = TfidfCosine(boilerplate=None)
    kept.fit(corpus())
    linked = {j for j, score, _ in kept.query(corpus()[0].text, 5, (0,)) if score >= 0.15}
    assert linked  # the shared sentence alone makes unrelated use cases look alike

    stripped = TfidfCosine()
    stripped.fit(corpus())
    assert stripped.boilerplate
    assert [h for h in stripped.query(corpus()[0].text, 5, (0,)) if h[1] >= 0.15] == []
    assert scored_pairs(stripped, 0.15, 8) == []


def test_blocking_scores_the_pairs_a_query_finds() -> None:
    docs = [*corpus(), Doc(100, "Supplier invoice capture\nSupplier invoice capture")]
    method = TfidfCosine()
    method.fit(docs)
    pairs = scored_pairs(method, 0.2, 8)
    assert [(method.ids[a], method.ids[b]) for a, b, _ in pairs] == [(1, 100)]
    query_score = max(
        next(s for j, s, _ in method.query(method.texts[a], 5, (method.ids[a],)) if j == b)
        for a, b in ((1, 100), (len(docs) - 1, 1))
    )
    assert abs(pairs[0][2] - query_score) < 1e-5
    assert single_link([(1, 2), (3, 2), (7, 8)]) == {1: [1, 2, 3], 7: [7, 8]}
