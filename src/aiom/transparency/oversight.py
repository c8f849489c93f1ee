"""PURE: does a publication's human-oversight statement agree with the recorded facts?

A publication states who decides in two ways: a structured oversight mode (one of MODES)
and free text for the public. The mode must agree with the use case's recorded facts:

- automated decisions about people recorded  => not "a person decides every case";
- no automated decisions recorded            => not "the system decides" (reviewed or not).

The free text is checked second, with a small phrase list in several languages, for the
one claim that most often misleads: that a person makes every decision. It may not make
that claim when automated decisions are recorded, nor when the mode itself says the
system decides. Matching folds case, width and accents, so "décide" and "DECIDE" match.
Each contradiction names the fact (or the mode) and the statement it contradicts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

HUMAN_DECIDES = "human_decides"
HUMAN_REVIEWS = "human_reviews"
AUTOMATED = "automated"
MODES = {
    HUMAN_DECIDES: "A person makes every decision; the system assists",
    HUMAN_REVIEWS: "The system decides; people review samples and every challenge",
    AUTOMATED: "Fully automated; people monitor the system as a whole",
}
SYSTEM_DECIDES = frozenset({HUMAN_REVIEWS, AUTOMATED})

_PEOPLE = (
    r"(?:person|human|member of staff|staff member|staff|officer|caseworker|employee|adviser"
    r"|advisor|agent)"
)
# Claims that a person makes every decision, after `fold` (lower case, no accents).
CLAIMS_HUMAN_DECIDES = tuple(
    re.compile(p)
    for p in (
        # English
        rf"\b{_PEOPLE}s?\b.{{0,40}}\b(?:makes?|takes?)\b.{{0,20}}\b(?:every|each|all|the final)"
        r"\b.{0,30}\bdecisions?\b",
        rf"\b(?:every|each|all) decisions?\b.{{0,60}}\b(?:made|taken|decided) by\b.{{0,12}}"
        rf"\b{_PEOPLE}",
        r"\bno decision is (?:made|taken) without (?:a |an )?(?:person|human)",
        rf"\ba {_PEOPLE} (?:decides|approves) (?:every|each|all)\b",
        r"\bhumans? (?:decides?|in the loop) (?:on |for )?(?:every|each|all)\b",
        # German
        r"\bjede entscheidung\b.{0,60}\b(?:mensch|menschen|mitarbeiter\w*|person)\b",
        r"\b(?:ein mensch|eine person|mitarbeiter\w*) (?:trifft|entscheidet)\b.{0,30}"
        r"\b(?:jede|alle|jeden)\b",
        # French
        r"\b(?:chaque|toute) decision\b.{0,60}\bpar (?:une personne|un humain|un agent)",
        r"\b(?:une personne|un humain|un agent) (?:prend|decide)\b.{0,30}\b(?:chaque|toute|tous)",
        # Dutch
        r"\belke beslissing\b.{0,60}\b(?:mens|medewerker)",
        r"\been (?:mens|medewerker) (?:neemt|beslist)\b.{0,30}\b(?:elke|alle)\b",
        # Spanish
        r"\b(?:cada|toda) decision\b.{0,60}\bpor (?:una persona|un humano)",
        r"\buna persona (?:toma|decide)\b.{0,30}\b(?:cada|todas)\b",
    )
)

FACT_AUTOMATED = "the use case records automated decisions about people (automated decisions: yes)"
FACT_NOT_AUTOMATED = (
    "the use case records no automated decisions about people (automated decisions: no)"
)


@dataclass(frozen=True)
class Facts:
    """The recorded facts a statement about oversight must agree with."""

    automated_decisions: bool


@dataclass(frozen=True)
class Statement:
    mode: str  # a key of MODES ("" when not stated)
    text: str  # the public free text


@dataclass(frozen=True)
class Contradiction:
    field: str  # the part of the statement refused: "oversight_mode" or "human_oversight"
    fact: str  # what it contradicts: a recorded fact, or the stated mode
    statement: str  # what was stated, quoted

    @property
    def message(self) -> str:
        return f"{self.statement} contradicts {self.fact}"


def fold(text: str) -> str:
    """Lower case, compatibility forms, no accents, single spaces: for phrase matching."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def claims_human_decides(text: str) -> str | None:
    """The passage of `text` claiming a person makes every decision, or None."""
    folded = fold(text)
    for pattern in CLAIMS_HUMAN_DECIDES:
        found = pattern.search(folded)
        if found:
            return found.group(0)
    return None


def _mode(mode: str) -> str:
    return f"the oversight mode “{MODES[mode]}”"


def contradictions(facts: Facts, statement: Statement) -> list[Contradiction]:
    """Every way `statement` contradicts `facts` (or itself); empty when they agree."""
    out: list[Contradiction] = []
    if statement.mode == HUMAN_DECIDES and facts.automated_decisions:
        out.append(Contradiction("oversight_mode", FACT_AUTOMATED, _mode(statement.mode)))
    if statement.mode in SYSTEM_DECIDES and not facts.automated_decisions:
        out.append(Contradiction("oversight_mode", FACT_NOT_AUTOMATED, _mode(statement.mode)))
    claim = claims_human_decides(statement.text)
    if claim is not None:
        quoted = f"the statement “…{claim}…”"
        if facts.automated_decisions:
            out.append(Contradiction("human_oversight", FACT_AUTOMATED, quoted))
        elif statement.mode in SYSTEM_DECIDES:
            out.append(Contradiction("human_oversight", _mode(statement.mode), quoted))
    return out


def errors(facts: Facts, statement: Statement) -> dict[str, str]:
    """The contradictions as {field: message}, several on one field joined."""
    found: dict[str, list[str]] = {}
    for c in contradictions(facts, statement):
        found.setdefault(c.field, []).append(c.message)
    return {field: "; ".join(messages) for field, messages in found.items()}
