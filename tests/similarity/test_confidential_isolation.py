"""A confidential use case changes nothing that a viewer who may not see it can observe.

For each persona who may NOT see a confidential use case (Charlie, an outsider, and Pat,
a partner granted Retail Banking, for a Retail secret; Alice, Bob and Pat for a Wealth
secret), everything the similarity features show them is recorded: suggestions for
drafts (one with a word found only in the secret), for every use case they can see,
clusters at several thresholds (members, order, counts, units, shared terms), the silo
page and the intake panel. Then a confidential use case is added, changed or removed and
the same observations must be byte-identical; an entitled persona must see the change.
"""

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from aiom.organisation.models import OrgUnit
from aiom.portfolio import services as portfolio
from aiom.portfolio.models import UseCase
from aiom.portfolio.permissions import can_see
from aiom.similarity import index as similarity_index
from aiom.similarity.clusters import visible_pairs
from aiom.similarity.methods import METHODS, Doc, TfidfCosine
from aiom.similarity.search import text_hits
from tests.conftest import World

SECRET_WORD = "zorblaxification"

# Pairs of look-alike use cases across units, so that clusters and suggestions exist.
CORPUS: list[tuple[str, str, str]] = [
    ("retail", "Supplier invoice extraction", "Clerks retype supplier invoices into the ledger."),
    ("wealth", "Invoice data extraction for suppliers", "Supplier invoices typed into ledger."),
    ("cards", "Card fraud detection", "Flag fraudulent card transactions in real time."),
    ("wealth", "Transaction fraud scoring", "Score card transactions for fraud before payment."),
    ("retail", "Branch queue forecasting", "Forecast branch queues to plan staff rosters."),
    ("wealth", "Advisor meeting summaries", "Summarise client meetings into notes for advisors."),
    ("cards", "Call summaries for card support", "Summarise support calls into case notes."),
    ("retail", "Mortgage document classification", "Classify applicant documents by type."),
]

DRAFTS: list[dict[str, str]] = [
    {"title": "Extract supplier invoices", "problem": "Retyping supplier invoices by hand"},
    {"title": "Card fraud alerts", "problem": "Detect fraud in card transactions"},
    {"title": f"{SECRET_WORD} pilot", "problem": f"Our {SECRET_WORD} of branch closures"},
    {"title": "Summarise meetings", "problem": f"Meeting notes and {SECRET_WORD} summaries"},
    {"title": "Branch closure predictor", "problem": "Predict which branch closes next"},
]

THRESHOLDS = (0.05, 0.2, 0.35)
# Per-response randomness that is not similarity output: CSRF tokens, CSP nonces.
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"|csrftoken=[^;"]*|nonce="[^"]*"')


def secret_fields(unit: OrgUnit, variant: int) -> dict[str, Any]:
    """A confidential text built to disturb a shared index as much as possible: it
    repeats the visible look-alikes' words (it would join their cluster and move their
    scores) and carries a word no visible use case has."""
    return {
        "title": f"Supplier invoice extraction {SECRET_WORD}" + " v2" * variant,
        "problem": f"Clerks retype supplier invoices into the ledger; {SECRET_WORD}."
        + " Card fraud transactions and meeting summaries too." * variant,
        "description": f"{SECRET_WORD} " * (1 + variant) + "branch closure predictor",
        "org_unit": unit,
        "confidential": True,
    }


@pytest.fixture
def corpus(world: World) -> list[UseCase]:
    units = {"retail": world.retail, "cards": world.cards, "wealth": world.wealth}
    made = []
    for unit, title, problem in CORPUS:
        owner = world.charlie if unit == "wealth" else world.alice
        made.append(
            portfolio.create_use_case(
                actor=owner,
                org_unit=units[unit],
                owner=owner,
                title=title,
                problem=problem,
                theme=world.theme,
            )
        )
    # Confidential look-alikes that stay: each is seen by one unit's people, who must not
    # notice the other unit's secret either (no confidential use case they may not see may
    # displace one they may see, in a suggestion list or a cluster).
    for keeper, owner in ((world.retail, world.alice), (world.wealth, world.charlie)):
        fields = secret_fields(keeper, 0) | {"title": f"Invoice capture kept in {keeper.name}"}
        made.append(
            portfolio.create_use_case(actor=owner, owner=owner, theme=world.theme, **fields)
        )
    return made


def observe(client: Client, ids: list[int]) -> bytes:
    """Everything the similarity features show the logged-in persona, as bytes."""
    seen: list[Any] = []
    for draft in DRAFTS:
        for k in (1, 3, 50):
            answer = client.post(
                "/api/v1/use-cases/similar", {**draft, "k": k}, content_type="application/json"
            )
            seen.append((answer.status_code, answer.content.decode()))
        panel = client.post(reverse("similarity:similar_panel"), draft)
        seen.append((panel.status_code, CSRF.sub(b"", panel.content).decode()))
    for pk in ids:
        for k in (1, 50):
            answer = client.get(f"/api/v1/use-cases/{pk}/similar?k={k}")
            seen.append((pk, answer.status_code, answer.content.decode()))
    for threshold in THRESHOLDS:
        answer = client.get(f"/api/v1/silos/clusters?threshold={threshold}")
        seen.append((threshold, answer.status_code, answer.content.decode()))
        page = client.get(f"{reverse('similarity:silos')}?threshold={threshold}")
        seen.append((threshold, page.status_code, CSRF.sub(b"", page.content).decode()))
    return json.dumps(seen).encode()


def _add(world: World, unit: OrgUnit) -> UseCase:
    owner = world.charlie if unit == world.wealth else world.alice
    return portfolio.create_use_case(
        actor=owner, owner=owner, theme=world.theme, **secret_fields(unit, 0)
    )


def _existing_secret(world: World, unit: OrgUnit) -> UseCase:
    return world.wealth_secret if unit == world.wealth else world.alice_secret


def _change(world: World, unit: OrgUnit) -> UseCase:
    secret = _existing_secret(world, unit)
    owner = world.charlie if unit == world.wealth else world.alice
    fields = secret_fields(unit, 1)
    del fields["org_unit"], fields["confidential"]
    return portfolio.update_use_case(actor=owner, use_case=secret, **fields)


def _remove(world: World, unit: OrgUnit) -> UseCase:
    secret = _existing_secret(world, unit)
    UseCase.objects.filter(pk=secret.pk).delete()
    return secret


def _prepare_for_removal(world: World, unit: OrgUnit) -> None:
    """Give the secret that will be removed words that would move a shared index."""
    _change(world, unit)


MUTATIONS: dict[str, tuple[Callable[[World, OrgUnit], None], Callable[..., UseCase]]] = {
    "add": (lambda w, u: None, _add),
    "change": (lambda w, u: None, _change),
    "remove": (_prepare_for_removal, _remove),
}


@pytest.mark.parametrize("unit_name", ["retail", "wealth"])
@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_a_confidential_change_is_invisible_to_those_who_may_not_see_it(
    world: World, corpus: list[UseCase], login: Any, mutation: str, unit_name: str
) -> None:
    unit: OrgUnit = getattr(world, unit_name)
    prepare, mutate = MUTATIONS[mutation]
    prepare(world, unit)
    probe = UseCase(org_unit=unit, confidential=True)  # who may see a secret there
    outsiders = [
        name
        for name in ("alice", "bob", "charlie", "pat")
        if not can_see(world.persona(name), probe)
        and not (unit == world.retail and name == "alice")
        and not (unit == world.wealth and name == "charlie")
    ]
    assert outsiders, "the table must hold a persona who may not see the secret"
    visible = {
        name: sorted(UseCase.objects.visible_to(world.persona(name)).values_list("pk", flat=True))
        for name in outsiders
    }
    before = {name: observe(login(name), visible[name]) for name in outsiders}
    changed = mutate(world, unit)
    after = {name: observe(login(name), visible[name]) for name in outsiders}
    for name in outsiders:
        assert after[name] == before[name], f"{name} observed the confidential {mutation}"
    if mutation != "remove":
        entitled = login("ada").post(
            "/api/v1/use-cases/similar",
            {**DRAFTS[2], "k": 50},
            content_type="application/json",
        )
        assert changed.pk in [s["use_case_id"] for s in entitled.json()]


def test_a_partner_sees_nothing_of_units_they_are_not_granted(
    world: World, corpus: list[UseCase], login: Any
) -> None:
    """Pat is granted Retail Banking only: a NON-confidential use case in Wealth
    Management is just as invisible to them, so it must not move their statistics or
    take a place in their neighbour lists either (their own scoped index)."""
    ids = sorted(UseCase.objects.visible_to(world.pat).values_list("pk", flat=True))
    before = observe(login("pat"), ids)
    fields = secret_fields(world.wealth, 1) | {"confidential": False}
    added = portfolio.create_use_case(
        actor=world.charlie, owner=world.charlie, theme=world.theme, **fields
    )
    assert observe(login("pat"), ids) == before
    found = login("charlie").post(
        "/api/v1/use-cases/similar", {**DRAFTS[2], "k": 50}, content_type="application/json"
    )
    assert added.pk in [s["use_case_id"] for s in found.json()]


def test_the_observations_are_sensitive(world: World, corpus: list[UseCase], login: Any) -> None:
    """The same observation DOES change when a visible use case is added: the test above
    cannot pass by observing nothing."""
    ids = sorted(UseCase.objects.visible_to(world.charlie).values_list("pk", flat=True))
    before = observe(login("charlie"), ids)
    fields = secret_fields(world.retail, 0) | {"confidential": False}
    portfolio.create_use_case(actor=world.alice, owner=world.alice, theme=world.theme, **fields)
    assert observe(login("charlie"), ids) != before


def test_entitled_viewers_see_the_secret_scored_and_clustered(
    world: World, corpus: list[UseCase], login: Any
) -> None:
    secret = _add(world, world.retail)
    for name in ("alice", "bob", "ada", "rita"):
        found = (
            login(name)
            .post(
                "/api/v1/use-cases/similar", {**DRAFTS[2], "k": 5}, content_type="application/json"
            )
            .json()
        )
        assert found[0]["use_case_id"] == secret.pk, name
        assert found[0]["score"] > 0
        clusters = login(name).get("/api/v1/silos/clusters?threshold=0.2").json()
        members = {m["id"] for c in clusters for m in c["members"]}
        assert secret.pk in members, name
    for name in ("charlie", "pat"):
        clusters = login(name).get("/api/v1/silos/clusters?threshold=0.05").json()
        assert secret.pk not in {m["id"] for c in clusters for m in c["members"]}


# The methods themselves: extra documents never move a fitted document's score, and are
# scored exactly as a fitted document with the same text.

SHARED_TEXTS = [
    "Supplier invoice extraction: clerks retype supplier invoices into the ledger",
    "Card fraud detection flags fraudulent card transactions in real time",
    "Summarise client meetings into notes for advisors",
    "Forecast branch queues to plan staff rosters",
    "Classify mortgage applicant documents by type",
    "Chatbot answers employee questions about travel policy",
]
SHARED_WORDS = {w for t in SHARED_TEXTS for w in t.lower().replace(":", "").split()}
WORDS = [*sorted(SHARED_WORDS), SECRET_WORD, "quasar", "ledgerless"]


@pytest.mark.parametrize("name", sorted(METHODS))
@settings(max_examples=40, deadline=None)
@given(
    extra=st.lists(
        st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(" ".join), max_size=4
    ),
    query=st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(" ".join),
)
def test_extra_documents_move_no_fitted_score(name: str, extra: list[str], query: str) -> None:
    method = METHODS[name]()
    method.fit([Doc(i, t) for i, t in enumerate(SHARED_TEXTS)])
    before = method.query(query, len(SHARED_TEXTS))
    added = method.extend([Doc(100 + i, t) for i, t in enumerate(extra)])
    assert method.query(query, len(SHARED_TEXTS)) == before
    # ... and an extra document with a fitted one's text gets that one's score.
    twin = method.extend([Doc(99, SHARED_TEXTS[0])])
    fitted = {pk: s for pk, s, _ in method.query(query, len(SHARED_TEXTS))}
    extra_hits = method.query_extra(query, twin, 1, {99})
    assert [s for _, s, _ in extra_hits] == ([fitted[0]] if 0 in fitted else [])
    assert all(pk >= 100 for pk, _, _ in method.query_extra(query, added, 5, added.ids))


def _index(shared: list[str], secret: list[str]) -> similarity_index.Index:
    """An index over `shared` (ids 0..) and confidential `secret` (ids 100..), no database."""
    method = TfidfCosine()
    method.fit([Doc(i, t) for i, t in enumerate(shared)])
    docs = [Doc(100 + i, t) for i, t in enumerate(secret)]
    texts = dict(enumerate(shared)) | {d.id: d.text for d in docs}
    entries = {pk: similarity_index.Entry(pk, str(pk), pk % 3, "", "", "") for pk in texts}
    return similarity_index.Index((), method, method.extend(docs), entries, texts)


# A small vocabulary, so that texts overlap and rankings and neighbour lists are contested.
FEW_WORDS = ["card", "fraud", "invoice", "supplier", "ledger", "meeting", SECRET_WORD, "quasar"]
TEXTS = st.lists(st.sampled_from(FEW_WORDS), min_size=1, max_size=8).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(
    secret=st.lists(TEXTS, min_size=1, max_size=12),
    seen=st.sets(st.integers(0, 11)),
    query=TEXTS,
    threshold=st.sampled_from([0.05, 0.2, 0.35]),
)
def test_a_viewer_gets_what_an_index_without_the_unseen_would_give(
    secret: list[str], seen: set[int], query: str, threshold: float
) -> None:
    """Whatever confidential texts exist and whichever of them a viewer may see, their
    suggestions and cluster pairs are exactly those of an index holding only the ones
    they may see: no unseen text moves a score or takes a place (k = 1 and the
    neighbour cut-off included)."""
    shared = [*SHARED_TEXTS, *(f"{t} {SHARED_TEXTS[i % 6]}" for i, t in enumerate(secret))]
    visible = sorted(i for i in seen if i < len(secret))
    full = _index(shared, secret)
    only = _index(shared, [secret[i] for i in visible])
    full_view = similarity_index.View(full, frozenset(), frozenset(100 + i for i in visible))
    renumber = {100 + n: 100 + i for n, i in enumerate(visible)}
    only_view = similarity_index.View(only, frozenset(), frozenset(renumber))

    def same_ids(hits: dict[int, Any]) -> dict[int, Any]:
        return {renumber.get(pk, pk): v for pk, v in hits.items()}

    for k in (1, 3, 40):
        assert text_hits(full_view, query, k) == same_ids(text_hits(only_view, query, k))
    mapped = [
        (renumber.get(a, a), renumber.get(b, b), s, t)
        for a, b, s, t in visible_pairs(only_view, threshold)
    ]
    key = lambda p: (-p[2], min(p[0], p[1]), max(p[0], p[1]))  # noqa: E731
    assert sorted(visible_pairs(full_view, threshold), key=key) == sorted(
        ((min(a, b), max(a, b), s, t) for a, b, s, t in mapped), key=key
    )
