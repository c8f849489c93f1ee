"""The human-oversight statement of a publication may not contradict the recorded facts.

The rule is PURE (`oversight.contradictions`), tested over the whole table of modes and
facts, then over free text in several languages; the service refuses with the fact and
the statement named.
"""

import pytest

from aiom.core.errors import InvalidInput
from aiom.core.models import AuditEvent
from aiom.transparency.models import PublicationDecision
from aiom.transparency.oversight import (
    AUTOMATED,
    FACT_AUTOMATED,
    FACT_NOT_AUTOMATED,
    HUMAN_DECIDES,
    HUMAN_REVIEWS,
    MODES,
    Facts,
    Statement,
    claims_human_decides,
    contradictions,
    errors,
)
from tests.transparency.conftest import operational, publish

NEUTRAL = "Staff review a sample of outcomes every week."


@pytest.mark.parametrize(
    ("automated", "mode", "refused"),
    [
        (True, HUMAN_DECIDES, True),  # the finding: automated decisions, "a person decides"
        (True, HUMAN_REVIEWS, False),
        (True, AUTOMATED, False),
        (False, HUMAN_DECIDES, False),
        (False, HUMAN_REVIEWS, True),  # claims the system decides when no fact says so
        (False, AUTOMATED, True),
    ],
)
def test_the_mode_must_agree_with_the_facts(automated: bool, mode: str, refused: bool) -> None:
    found = contradictions(Facts(automated_decisions=automated), Statement(mode, NEUTRAL))
    assert bool(found) is refused
    if refused:
        [c] = found
        assert c.field == "oversight_mode"
        assert c.fact == (FACT_AUTOMATED if automated else FACT_NOT_AUTOMATED)
        assert MODES[mode] in c.statement and c.fact in c.message


CLAIMS = [
    "It recommends; a trained member of staff makes every decision about a person.",
    "A caseworker takes the final decision on each application.",
    "Every decision is made by a human.",
    "No decision is taken without a person.",
    "A person decides every case.",
    "  A  PERSON   DECIDES   EVERY   CASE  ",  # case and spacing
    "Jede Entscheidung trifft ein Mensch.",
    "Ein Mensch entscheidet über jeden Antrag.",
    "Chaque décision est prise par une personne.",  # accents folded
    "Une personne décide de chaque dossier.",
    "Elke beslissing wordt genomen door een medewerker.",
    "Cada decisión es tomada por una persona.",
    "\uff25\uff56\uff45\uff52\uff59 decision is made by a human.",  # full-width "Every"
]
NOT_CLAIMS = [
    "Every draft is read and approved by a member of staff.",
    "Staff approve every reply.",
    "You can ask for a person to review any decision about you.",
    "It decides routine cases on its own; staff review a sample of its decisions.",
    "Staff review its actions daily and can stop it at any time.",
    "",
    "日本語のテキスト",  # other scripts: no crash, no match
]


@pytest.mark.parametrize("text", CLAIMS)
def test_claims_of_full_human_decision_are_found(text: str) -> None:
    assert claims_human_decides(text) is not None


@pytest.mark.parametrize("text", NOT_CLAIMS)
def test_other_statements_are_not_claims(text: str) -> None:
    assert claims_human_decides(text) is None


@pytest.mark.parametrize("text", CLAIMS)
@pytest.mark.parametrize("mode", [HUMAN_REVIEWS, AUTOMATED])
def test_the_text_may_not_claim_a_person_decides_when_automated(text: str, mode: str) -> None:
    """Whatever the mode says, text claiming full human decision contradicts the facts."""
    found = contradictions(Facts(automated_decisions=True), Statement(mode, text))
    [c] = [c for c in found if c.field == "human_oversight"]
    assert c.fact == FACT_AUTOMATED and c.statement.startswith("the statement “…")


def test_the_text_may_not_contradict_the_mode() -> None:
    """No automated decisions recorded, mode "the system decides" (itself refused), and the
    text says a person decides: the text contradicts the mode it came with."""
    statement = Statement(AUTOMATED, "A person decides every case.")
    found = contradictions(Facts(automated_decisions=False), statement)
    assert {c.field for c in found} == {"oversight_mode", "human_oversight"}
    [text] = [c for c in found if c.field == "human_oversight"]
    assert MODES[AUTOMATED] in text.fact


def test_agreeing_statements_pass() -> None:
    assert contradictions(Facts(False), Statement(HUMAN_DECIDES, CLAIMS[0])) == []
    assert contradictions(Facts(True), Statement(HUMAN_REVIEWS, NOT_CLAIMS[2])) == []
    assert errors(Facts(True), Statement(AUTOMATED, NEUTRAL)) == {}


def test_publishing_refuses_a_contradiction_naming_fact_and_statement(world, cora) -> None:
    uc = operational(world, "Loan pre-screening", automated_decisions=True)
    with pytest.raises(InvalidInput) as err:
        publish(cora, uc, human_oversight=CLAIMS[0], oversight_mode=HUMAN_DECIDES)
    problems = err.value.errors
    assert problems["oversight_mode"] == (
        "contradicts the recorded facts: the oversight mode “A person makes every decision;"
        " the system assists” contradicts the use case records automated decisions about"
        " people (automated decisions: yes)"
    )
    assert "member of staff makes every decision" in problems["human_oversight"]
    assert "automated decisions: yes" in problems["human_oversight"]
    assert not PublicationDecision.objects.exists()
    assert not AuditEvent.objects.filter(action="publication.decide").exists()


def test_publishing_refuses_the_claim_in_text_alone(world, cora) -> None:
    """The structured field agrees; the free text still may not claim full human decision."""
    uc = operational(world, "Loan pre-screening", automated_decisions=True)
    with pytest.raises(InvalidInput) as err:
        publish(cora, uc, human_oversight=CLAIMS[8], oversight_mode=HUMAN_REVIEWS)
    assert set(err.value.errors) == {"human_oversight"}


def test_publishing_needs_a_mode_and_takes_one_that_agrees(world, cora) -> None:
    uc = operational(world, "Loan pre-screening", automated_decisions=True)
    with pytest.raises(InvalidInput) as err:
        publish(cora, uc, human_oversight=NEUTRAL, oversight_mode="")
    assert err.value.errors["oversight_mode"].startswith("required to publish")
    with pytest.raises(InvalidInput) as bad:
        publish(cora, uc, human_oversight=NEUTRAL, oversight_mode="mostly")
    assert bad.value.errors["oversight_mode"] == "one of human_decides, human_reviews, automated"
    d = publish(cora, uc, human_oversight=NEUTRAL, oversight_mode=HUMAN_REVIEWS)
    assert d.oversight_mode == HUMAN_REVIEWS
    assert AuditEvent.objects.get(action="publication.decide").after["oversight_mode"] == (
        HUMAN_REVIEWS
    )


def test_the_api_refuses_a_contradiction_with_the_field(world, client, bearer) -> None:
    uc = operational(world, "Loan pre-screening", automated_decisions=True)
    body = {
        "publish": True,
        "rationale": "Approved by the AI board.",
        "human_oversight": "A person decides every case.",
        "oversight_mode": "human_decides",
        "contact": "ai@example.org",
    }
    r = client.post(
        f"/api/v1/use-cases/{uc.pk}/publication",
        body,
        content_type="application/json",
        headers=bearer("ada", ("read", "write", "admin")),
    )
    assert r.status_code == 422
    fields = {tuple(d["loc"]) for d in r.json()["detail"]}
    assert fields == {("body", "oversight_mode"), ("body", "human_oversight")}
    assert not PublicationDecision.objects.exists()
