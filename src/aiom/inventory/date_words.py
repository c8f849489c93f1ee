"""Month and weekday names as inventories write them, casefolded and without accents.

English, Dutch, French, German, Spanish and Italian, full and abbreviated. Names that two
languages share mean the same month in both ("mar", "mai", "jun"); none is ambiguous.
"""

_MONTHS: dict[int, tuple[str, ...]] = {
    1: (
        "january",
        "jan",
        "januari",
        "janvier",
        "janv",
        "januar",
        "janner",
        "enero",
        "ene",
        "gennaio",
    ),
    2: (
        "february",
        "feb",
        "febr",
        "februari",
        "fevrier",
        "fevr",
        "fev",
        "februar",
        "febrero",
        "febbraio",
    ),
    3: ("march", "mar", "maart", "mrt", "mars", "marz", "maerz", "marzo"),
    4: ("april", "apr", "avril", "avr", "abril", "abr", "aprile"),
    5: ("may", "mei", "mai", "mayo", "maggio", "mag"),
    6: ("june", "jun", "juni", "juin", "junio", "giugno", "giu"),
    7: ("july", "jul", "juli", "juillet", "juil", "julio", "luglio", "lug"),
    8: ("august", "aug", "augustus", "aout", "agosto", "ago"),
    9: ("september", "sep", "sept", "septembre", "septiembre", "setiembre", "set", "settembre"),
    10: ("october", "oct", "oktober", "okt", "octobre", "octubre", "ottobre", "ott"),
    11: ("november", "nov", "novembre", "noviembre"),
    12: ("december", "dec", "decembre", "dezember", "dez", "diciembre", "dic", "dicembre"),
}
MONTHS: dict[str, int] = {name: month for month, names in _MONTHS.items() for name in names}

# Words that may stand around a date without changing it: weekdays, ordinal suffixes
# split off a day ("1st", "1er"), and the linking words of "15 de marzo de 2022".


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


FILLER: frozenset[str] = _words(
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur "
    "thurs fri sat sun maandag dinsdag woensdag donderdag vrijdag zaterdag zondag ma di "
    "wo do vr za zo lundi mardi mercredi jeudi vendredi samedi dimanche montag dienstag "
    "mittwoch donnerstag freitag samstag sonntag lunes martes miercoles jueves viernes "
    "sabado domingo st nd rd th er e eme de del of the den der le el"
)

# A quarter: "Q3", "K3" (kwartaal), "T3" (trimestre), or an ordinal with the word.
QUARTER_LETTERS = "qkt"
QUARTER_WORDS: frozenset[str] = frozenset(("quarter", "qtr", "kwartaal", "trimestre", "quartal"))
