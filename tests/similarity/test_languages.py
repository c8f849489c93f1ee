"""Language detection, stop words and stems per language, phrases, shared terms."""

import pytest

from aiom.similarity.methods import Doc, TfidfCosine, explain
from aiom.similarity.text import detect, stem, surface_forms, terms

SENTENCES = [
    ("en", "The city uses a car with cameras to check that parked vehicles have paid."),
    ("nl", "De gemeente zet een scanauto in voor de handhaving van het betaald parkeren."),
    ("fr", "La ville utilise un véhicule équipé de caméras pour contrôler le stationnement."),
    ("de", "Die Stadt setzt ein Fahrzeug mit Kameras zur Kontrolle der Parkgebühren ein."),
    ("es", "El ayuntamiento utiliza un vehículo con cámaras para controlar el aparcamiento."),
    ("it", "Il comune utilizza un veicolo con telecamere per controllare la sosta a pagamento."),
    ("pt", "A prefeitura utiliza um veículo com câmeras para fiscalizar o estacionamento."),
    ("no", "Modellen ble utviklet av etaten og brukes til å forutsi sykefravær etter to måneder."),
    ("da", "Projektet udvikler en model, som skal forudsige sygefravær efter to måneder af året."),
    ("sv", "Projektet utvecklar en modell som ska förutsäga sjukfrånvaro och inte mycket mer."),
]


@pytest.mark.parametrize(("language", "text"), SENTENCES)
def test_detect_language(language: str, text: str) -> None:
    assert detect(text) == language


@pytest.mark.parametrize("text", ["", "Scanauto", "OCR 2024", "ChatGPT pilot"])
def test_too_little_to_tell_is_none(text: str) -> None:
    assert detect(text) is None


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # stop words of the text's own language go, content words are stemmed
        ("en", "The summaries of the invoices", ["summari", "invoic"]),
        ("nl", "De handhaving van het parkeren", ["handhaaf", "parker"]),
        ("fr", "Le contrôle des véhicules et du stationnement", ["control", "vehicul", "station"]),
        (
            "de",
            "Die Kontrolle der Fahrzeuge und der Parkgebühren",
            ["kontroll", "fahrzeug", "parkgebuhr"],
        ),
        (
            "es",
            "El control de los vehículos y del estacionamiento",
            ["control", "vehicul", "estacion"],
        ),
    ],
)
def test_words_per_language(language: str, text: str, expected: list[str]) -> None:
    assert detect(text) == language
    assert [t for t in terms(text) if " " not in t] == expected


@pytest.mark.parametrize(
    ("word", "language", "expected"),
    [
        ("summarise", "en", "summar"),  # British -ise read as -ize
        ("summarize", "en", "summar"),
        ("summarization", "en", "summar"),
        ("translating", "en", "translat"),
        ("invoices", "en", "invoic"),
        ("voertuigen", "nl", "voertuig"),
        ("voertuig", "nl", "voertuig"),
        ("véhicules", "fr", "vehicul"),
        ("véhicule", "fr", "vehicul"),
        ("Fahrzeuge", "de", "fahrzeug"),
        ("Fahrzeug", "de", "fahrzeug"),
        ("vehículos", "es", "vehicul"),
        ("vehículo", "es", "vehicul"),
    ],
)
def test_stem_table(word: str, language: str, expected: str) -> None:
    assert stem(word, language) == expected


@pytest.mark.parametrize(
    ("text", "fallback", "phrases"),
    [
        ("Invoice extraction for suppliers", "en", ["invoic extract"]),
        # a stop word between two words: no phrase ("give different" on the demo)
        ("We give them different answers", "en", []),
        # punctuation or a stop word between two words: no phrase ("heads old")
        ("Heads, old records and archives", "en", []),
        ("scan-auto handhaving", "nl", ["scan auto", "auto handhaaf"]),
        ("auto de parkeren", "nl", []),  # never "auto de": "de" is a Dutch stop word
        (
            "Google Gemini\nGoogle Gemini",
            "en",
            ["googl gemini", "googl gemini"],
        ),  # not across lines
    ],
)
def test_phrases_are_contiguous(text: str, fallback: str, phrases: list[str]) -> None:
    assert [t for t in terms(text, fallback) if " " in t] == phrases


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("nl", "De auto van de gemeente en het kenteken van de auto"),
        ("fr", "Le véhicule de la ville et les plaques du véhicule"),
        ("de", "Das Fahrzeug der Stadt und die Kennzeichen des Fahrzeugs"),
        ("es", "El vehículo del ayuntamiento y las matrículas del vehículo"),
    ],
)
def test_no_filler_words_in_surface_forms(language: str, text: str) -> None:
    forms = surface_forms(text)
    fillers = {
        "de",
        "het",
        "van",
        "en",
        "le",
        "la",
        "les",
        "du",
        "der",
        "die",
        "das",
        "des",
        "und",
        "el",
        "del",
        "las",
        "y",
    }
    assert detect(text) == language
    assert not any(set(form.split()) & fillers for form in forms.values())


def test_shared_terms_carry_weight() -> None:
    """A word in almost every document (skipped by the score) is never shown, nor one
    much lighter than the heaviest shared term."""
    docs = [Doc(i, f"register record {i} about topic{i} and subject{i}") for i in range(20)]
    docs += [
        Doc(20, "register record about scanauto parkeren"),
        Doc(21, "register record scanauto"),
    ]
    method = TfidfCosine()
    method.fit(docs)
    shown = method.explain("register record about scanauto parkeren", "register record scanauto")
    assert shown == ("scanauto",)
    assert explain({}, "anything", method.word_idf) == ()


@pytest.mark.parametrize(
    ("language", "text", "dropped", "kept"),
    [
        # a German record with the abbreviations German registers write and an English name
        (
            "de",
            "Die Klassifizierung der Luftbilder bzw. Fotos, ca. 1000 Stück, mithilfe von "
            "Deep Learning; zudem ein Projekt for the mapping of alpine land cover.",
            {"bzw", "ca", "mithilf", "zud", "for", "the", "of"},
            {"klassifizier", "luftbild", "deep learning", "mapping", "alpin land"},
        ),
        # Swiss spelling without ß: its function words are stop words too
        (
            "de",
            "Es muss gross genug sein, dass die Bilder ausserdem reichen.",
            {"muss", "gross"},
            {"bild"},
        ),
        # English function words are stop words everywhere, except those that are content
        # words in another language: "by" (town) in Danish, "by" and "to" (two) in Norwegian
        (
            "no",
            "Prosjektet i Oslo by varer to måneder with the team.",
            {"with", "the"},
            {"by", "to"},
        ),
        ("da", "Projektet i Aarhus by varer i måneder from the start.", {"from", "the"}, {"by"}),
        ("fr", "Le projet of the ville pour la circulation.", {"of", "the"}, {"vill", "circul"}),
    ],
)
def test_stop_words_of_mixed_language_records(
    language: str, text: str, dropped: set[str], kept: set[str]
) -> None:
    found = set(terms(text, language=language))
    assert not found & dropped
    assert kept <= found
