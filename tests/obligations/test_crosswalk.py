"""The crosswalk: counts per framework reference over the use cases each persona may see."""

from typing import Any

import pytest
from django.urls import reverse

from aiom.obligations import services
from aiom.obligations.crosswalk import OVERDUE, Row, combined, crosswalk, fill, rows_for
from aiom.obligations.derive import MET, NOT_APPLICABLE, OPEN, CaseFacts
from aiom.obligations.facts import active_pack
from aiom.obligations.pack import load
from aiom.portfolio import services as portfolio
from aiom.portfolio.models import UseCase
from tests.conftest import World
from tests.query_counts import Budget


@pytest.fixture
def marked(world: World) -> World:
    """alice_uc: training met, incidents open; alice_secret: training n/a, incidents met;
    wealth_secret: training met, incidents open. None assessed: only those two are owed."""
    for uc, key, status in [
        (world.alice_uc, "operator_literacy", MET),
        (world.alice_secret, "operator_literacy", NOT_APPLICABLE),
        (world.alice_secret, "incident_reporting", MET),
        (world.wealth_secret, "operator_literacy", MET),
    ]:
        services.set_status(actor=None, use_case=uc, obligation=key, status=status, reason="r")
    return world


def counts(user: Any, framework: str = "eu-ai-act") -> dict[str, tuple[int, int, int]]:
    rows = crosswalk(active_pack(), framework, user)
    return {r.ref_id: (r.met, r.open, r.not_applicable) for r in rows}


# (met, open, not applicable) for EU AI Act Art. 4 (training) and Art. 73 (incidents).
EXPECTED = {
    "ada": {"Art. 4": (2, 0, 1), "Art. 73": (1, 2, 0)},
    "rita": {"Art. 4": (2, 0, 1), "Art. 73": (1, 2, 0)},
    "alice": {"Art. 4": (1, 0, 1), "Art. 73": (1, 1, 0)},
    "bob": {"Art. 4": (1, 0, 1), "Art. 73": (1, 1, 0)},
    "charlie": {"Art. 4": (2, 0, 0), "Art. 73": (0, 2, 0)},
    "pat": {"Art. 4": (1, 0, 0), "Art. 73": (0, 1, 0)},
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_counts_per_persona(marked: World, name: str) -> None:
    got = counts(marked.persona(name))
    assert {k: got[k] for k in EXPECTED[name]} == EXPECTED[name]
    assert got["Art. 14"] == (0, 0, 0)  # nobody is high tier or automated


def test_readiness_is_met_over_met_and_open(marked: World) -> None:
    rows = {r.ref_id: r for r in crosswalk(active_pack(), "eu-ai-act", marked.ada)}
    assert rows["Art. 4"].readiness == 1.0
    assert rows["Art. 73"].readiness == 0.333
    assert rows["Art. 14"].readiness is None


def test_rows_follow_the_framework(marked: World) -> None:
    nist = [r.ref_id for r in rows_for(active_pack(), "nist-ai-rmf")]
    assert "GOVERN 1.1" in nist and "MEASURE 1.3" in nist
    assert len(nist) == len(set(nist))
    iso = {r.ref_id: r for r in rows_for(active_pack(), "iso-42001")}
    assert [o.key for o in iso["A.6.2.4"].obligations] == [
        "expert_peer_review",
        "accuracy_robustness_testing",
    ]


@pytest.mark.parametrize(
    ("statuses", "cell"),
    [
        ([MET], MET),
        ([MET, OPEN], OPEN),
        ([NOT_APPLICABLE, MET], MET),
        ([NOT_APPLICABLE], NOT_APPLICABLE),
    ],
)
def test_a_reference_cited_twice_combines_statuses(statuses: list[str], cell: str) -> None:
    assert combined(statuses) == cell


def test_fill_counts_a_case_once_per_reference() -> None:
    pack = load("default").pack
    rows = fill(
        rows_for(pack, "iso-42001"),
        pack,
        [(1, "Scorer", CaseFacts("medium", "predictive", "pilot"))],
        {1: {"expert_peer_review": (MET, ""), "accuracy_robustness_testing": (OPEN, "")}},
    )
    row: Row = next(r for r in rows if r.ref_id == "A.6.2.4")
    assert row.cases == {
        MET: [],
        OPEN: [(1, "Scorer")],
        NOT_APPLICABLE: [],
        OVERDUE: [(1, "Scorer")],  # in pilot, testing was due on entering it
    }


@pytest.mark.parametrize(("stage", "overdue"), [("risk_review", 0), ("pilot", 1), ("scaling", 1)])
def test_open_obligations_already_due_count_as_overdue(stage: str, overdue: int) -> None:
    pack = load("default").pack
    rows = fill(
        rows_for(pack, "eu-ai-act"),
        pack,
        [(1, "Scorer", CaseFacts("low", "predictive", stage))],
        {},
    )
    row = next(r for r in rows if r.ref_id == "Art. 4")  # operator training, from pilot
    assert (row.open, row.overdue) == (1, overdue)


def test_retired_use_cases_are_left_out(marked: World) -> None:
    UseCase.objects.filter(pk=marked.alice_uc.pk).update(stage="retired")
    assert counts(marked.ada)["Art. 4"] == (1, 0, 1)


def test_no_query_per_use_case(marked: World, query_budget: Budget) -> None:
    crosswalk(active_pack(), "eu-ai-act", marked.ada)  # warm: the policy, Ada's access
    with query_budget("crosswalk", at_most=True) as few:
        crosswalk(active_pack(), "eu-ai-act", marked.ada)
    for i in range(10):
        uc = portfolio.create_use_case(
            actor=marked.alice, title=f"More {i}", org_unit=marked.retail, owner=marked.alice
        )
        services.set_status(actor=None, use_case=uc, obligation="operator_literacy", status=MET)
    with query_budget("crosswalk", at_most=True) as many:
        rows = crosswalk(active_pack(), "eu-ai-act", marked.ada)
    assert len(many) == len(few)
    assert next(r for r in rows if r.ref_id == "Art. 4").met == 12


def test_the_page_with_drill_down(marked: World, login: Any) -> None:
    url = reverse("obligations:crosswalk")
    body = login("charlie").get(url, {"framework": "eu-ai-act", "ref": "Art. 73"}).content.decode()
    assert "Art. 73: open (2)" in body
    assert marked.wealth_secret.title in body and marked.alice_uc.title in body
    body = login("alice").get(url, {"ref": "Art. 73", "status": "open"}).content.decode()
    assert marked.wealth_secret.title not in body
    body = login("pat").get(url, {"framework": "nist-ai-rmf"}).content.decode()
    assert "GOVERN 2.2" in body and "Art. 4" not in body
    assert (
        marked.alice_secret.title
        not in login("pat").get(url, {"ref": "Art. 73", "status": "met"}).content.decode()
    )


def test_the_page_needs_a_login(world: World, login: Any) -> None:
    assert login("anonymous").get(reverse("obligations:crosswalk")).status_code == 302


def test_references_are_in_natural_order() -> None:
    pack = load("default").pack
    eu = [r.ref_id for r in rows_for(pack, "eu-ai-act")]
    assert eu[:3] == ["Art. 4", "Art. 9", "Art. 10"]
    assert eu.index("Art. 50(1)") < eu.index("Art. 50(2)") < eu.index("Art. 72")
    nist = [r.ref_id for r in rows_for(pack, "nist-ai-rmf")]
    assert nist[0] == "GOVERN 1.1" and nist[-1] == "MANAGE 4.3"
    assert nist.index("MAP 5.1") < nist.index("MEASURE 1.3") < nist.index("MEASURE 2.10")
    iso = [r.ref_id for r in rows_for(pack, "iso-42001")]
    assert iso.index("A.4.6") < iso.index("A.5.2") < iso.index("A.6.2.4") < iso.index("A.9")
