"""Tokeniser (stems per language: test_languages.py), the methods, signal combination."""

import pytest

from aiom.similarity.methods import Bm25, CharTrigramTfidf, Doc, Method, TfidfCosine
from aiom.similarity.search import combine, vendor_key
from aiom.similarity.text import terms


def test_terms_drop_stop_words_and_add_bigrams() -> None:
    assert terms("The Invoice extraction for AI") == ["invoic", "extract", "invoic extract"]


CORPUS = [
    Doc(1, "Invoice extraction: read supplier invoices and capture amounts automatically"),
    Doc(2, "Chatbot answering employee questions about travel policy"),
    Doc(3, "Predictive maintenance of vehicle fleet from sensor data"),
    Doc(4, "Translate public documents into Spanish with machine translation"),
]
PARAPHRASE = "Automatically capturing the amounts on invoices received from suppliers"


@pytest.mark.parametrize("method", [TfidfCosine(), Bm25(), CharTrigramTfidf()])
def test_paraphrase_ranks_first(method: Method) -> None:
    method.fit(CORPUS)
    hits = method.query(PARAPHRASE, k=3)
    assert hits[0][0] == 1
    assert all(hits[0][1] > s for _, s, _ in hits[1:])
    assert "invoices" in hits[0][2]


def test_exclude_ids_are_never_returned() -> None:
    method = TfidfCosine()
    method.fit(CORPUS)
    assert 1 not in [pk for pk, _, _ in method.query(PARAPHRASE, k=4, exclude_ids={1})]


def test_signals_combine_with_reasons() -> None:
    score, reasons = combine(0.3, ("invoice", "extraction"), ["Supplier invoices"], "UiPath")
    assert score == pytest.approx(0.3 + 0.1 + 0.05)
    assert reasons == [
        "shared terms: invoice, extraction",
        "shared data product: Supplier invoices",
        "same vendor: UiPath",
    ]
    assert combine(0.95, (), ["a", "b", "c"], "")[0] == 1.0


def test_vendor_key_is_case_insensitive_and_ignores_placeholders() -> None:
    assert vendor_key(" UiPath ") == vendor_key("uipath")
    assert vendor_key("N/A") == ""
