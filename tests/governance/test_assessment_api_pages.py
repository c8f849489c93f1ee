"""The assessment API contract, the questionnaire page, the override form and the summary."""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import Client

from aiom.governance.assessments import services as assessments
from aiom.governance.assessments import tier_confirmation
from aiom.governance.models import RiskAssessment
from aiom.portfolio import services as portfolio
from aiom.portfolio.models import UseCase
from tests.conftest import World
from tests.governance.test_scoring import CUSTOMER_CHATBOT, INTERNAL_HELPER
from tests.query_counts import Budget

WHY = "The vendor's model card shows the drift we saw in the pilot."


def api(uc: UseCase, tail: str = "assessments") -> str:
    return f"/api/v1/use-cases/{uc.pk}/{tail}"


def post(client: Client, url: str, body: dict[str, Any], **kw: Any) -> Any:
    return client.post(url, body, content_type="application/json", **kw)


def page(uc: UseCase, tail: str = "") -> str:
    return f"/use-cases/{uc.pk}/assessment/{tail}"


def test_post_assessment_answers_201_with_the_result(client: Client, world: World, bearer) -> None:
    r = post(client, api(world.alice_uc), {"answers": CUSTOMER_CHATBOT}, headers=bearer("alice"))
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["tier"], body["computed_tier"], body["score"]) == ("medium", "medium", "0.2931")
    assert body["use_case"] == world.alice_uc.pk
    assert body["assessed_by"]["username"] == "alice"
    assert body["duties"] and body["is_current"] and not body["stale"]
    assert body["section_scores"]["people"] == {"raw": "4.0", "max": "6.0"}
    assert RiskAssessment.objects.get(pk=body["id"]).tier == "medium"


def test_a_missing_answer_is_a_422_naming_the_question(
    client: Client, world: World, bearer
) -> None:
    given = {k: v for k, v in INTERNAL_HELPER.items() if k != "domain"} | {"colour": "red"}
    r = post(client, api(world.alice_uc), {"answers": given}, headers=bearer("alice"))
    assert r.status_code == 422
    assert r.json()["detail"] == [
        {
            "loc": ["body", "colour"],
            "msg": "not a question of the active policy",
            "type": "invalid",
        },
        {"loc": ["body", "domain"], "msg": "unanswered", "type": "invalid"},
    ]
    assert not RiskAssessment.objects.exists()


@pytest.mark.parametrize("tail", ["assessments", "assessment"])
def test_invisible_confidential_use_cases_are_404(
    client: Client, world: World, bearer, tail: str
) -> None:
    assessments.assess(actor=None, use_case=world.alice_secret, answers=INTERNAL_HELPER)
    headers = bearer("charlie")
    assert client.get(api(world.alice_secret, tail), headers=headers).status_code == 404
    assert client.get(api(world.alice_secret, tail), headers=bearer("alice")).status_code == 200
    body = {"answers": INTERNAL_HELPER}
    assert post(client, api(world.alice_secret), body, headers=headers).status_code == 404
    override = {"tier": "high", "justification": WHY}
    r = post(client, api(world.alice_secret, "assessment/override"), override, headers=headers)
    assert r.status_code == 404


@pytest.mark.parametrize(
    ("persona", "scopes", "status"),
    [
        ("pat", ("read", "write"), 403),  # a partner sees the use case but never writes
        ("bob", ("read", "write"), 403),
        ("alice", ("read",), 403),  # a read-only token
        ("rita", ("read", "write"), 201),
    ],
)
def test_who_may_post_an_assessment(
    client: Client, world: World, bearer, persona: str, scopes: tuple[str, ...], status: int
) -> None:
    r = post(
        client,
        api(world.alice_uc),
        {"answers": INTERNAL_HELPER},
        headers=bearer(persona, scopes=scopes),
    )
    assert r.status_code == status
    assert RiskAssessment.objects.exists() is (status == 201)


def test_current_and_history(client: Client, world: World, bearer) -> None:
    headers = bearer("pat", scopes=("read",))  # partners read what they can see
    assert client.get(api(world.alice_uc, "assessment"), headers=headers).status_code == 404
    first = assessments.assess(actor=None, use_case=world.alice_uc, answers=INTERNAL_HELPER)
    second = assessments.assess(actor=None, use_case=world.alice_uc, answers=CUSTOMER_CHATBOT)
    current = client.get(api(world.alice_uc, "assessment"), headers=headers).json()
    assert (current["id"], current["tier"]) == (second.pk, "medium")
    history = client.get(api(world.alice_uc), headers=headers).json()
    assert history["count"] == 2
    assert [(i["id"], i["is_current"]) for i in history["items"]] == [
        (second.pk, True),
        (first.pk, False),
    ]


def test_history_query_count_is_constant(
    client: Client, world: World, bearer, query_budget: Budget
) -> None:
    headers = bearer("alice")
    client.get(api(world.alice_uc), headers=headers)  # the token's first use records itself
    for _ in range(2):
        assessments.assess(actor=world.alice, use_case=world.alice_uc, answers=INTERNAL_HELPER)
    with query_budget("assessment_history_api"):
        assert client.get(api(world.alice_uc), headers=headers).json()["count"] == 2
    for _ in range(3):
        assessments.assess(actor=world.rita, use_case=world.alice_uc, answers=INTERNAL_HELPER)
    with query_budget("assessment_history_api"):
        assert client.get(api(world.alice_uc), headers=headers).json()["count"] == 5


def test_override_endpoint(client: Client, world: World, bearer) -> None:
    url = api(world.alice_uc, "assessment/override")
    assert (
        post(
            client, url, {"tier": "high", "justification": WHY}, headers=bearer("rita")
        ).status_code
        == 404
    )
    assessments.assess(actor=None, use_case=world.alice_uc, answers=INTERNAL_HELPER)
    r = post(client, url, {"tier": "high", "justification": WHY}, headers=bearer("alice"))
    assert r.status_code == 403
    r = post(client, url, {"tier": "high", "justification": "because"}, headers=bearer("rita"))
    assert r.status_code == 422
    assert [d["loc"][-1] for d in r.json()["detail"]] == ["justification"]
    r = post(client, url, {"tier": "extreme", "justification": WHY}, headers=bearer("rita"))
    assert r.status_code == 422
    r = post(client, url, {"tier": "high", "justification": WHY}, headers=bearer("rita"))
    assert r.status_code == 200
    body = r.json()
    assert (body["tier"], body["computed_tier"]) == ("high", "low")
    assert (body["override_by"]["username"], body["override_justification"]) == ("rita", WHY)


def test_questionnaire_endpoint(login, world: World) -> None:
    body = login("pat").get("/api/v1/policy/questionnaire").json()
    assert body["policy_version"] >= 1
    assert body["thresholds"] == {"medium": 0.25, "high": 0.5}
    assert len(body["questions"]) == 17
    assert body["sections"][:3] == ["context", "people", "impact"]
    domain = next(q for q in body["questions"] if q["key"] == "domain")
    assert (domain["type"], domain["kind"], domain["max_weight"]) == ("single", "impact", 4.0)
    credit = next(a for a in domain["answers"] if a["key"] == "credit_insurance")
    assert credit["weight"] == 4.0
    assert "Annex III 5" in credit["high_risk"]
    assert login("anonymous").get("/api/v1/policy/questionnaire").status_code == 401


def test_form_page_shows_every_question(login, world: World) -> None:
    r = login("alice").get(page(world.alice_uc))
    assert r.status_code == 200
    html = r.content.decode()
    assert html.count('<fieldset class="question') == 17
    for key in INTERNAL_HELPER:
        assert f'name="{key}"' in html
    assert 'type="checkbox" name="interaction"' in html
    assert 'type="radio" name="domain"' in html
    assert "checked>" not in html
    assert "style=" not in html


def test_form_page_is_prefilled_from_the_current_assessment(login, world: World) -> None:
    assessments.assess(actor=world.alice, use_case=world.alice_uc, answers=CUSTOMER_CHATBOT)
    html = login("alice").get(page(world.alice_uc)).content.decode()
    assert 'name="domain" value="customer_service" checked' in html
    assert 'name="interaction" value="chatbot" checked' in html
    assert 'name="domain" value="internal_operations" checked' not in html
    assert "Re-assess" in html


@pytest.mark.parametrize(
    ("persona", "uc", "status"),
    [("bob", "alice_uc", 403), ("pat", "alice_uc", 403), ("charlie", "alice_secret", 404)],
)
def test_form_page_refuses(login, world: World, persona: str, uc: str, status: int) -> None:
    assert login(persona).get(page(getattr(world, uc))).status_code == status


def test_form_page_needs_a_login(login, world: World) -> None:
    r = login("anonymous").get(page(world.alice_uc))
    assert r.status_code == 302
    assert r["Location"].startswith("/login/")


def test_posting_a_missing_answer_rerenders_with_the_error(login, world: World) -> None:
    given = {k: v for k, v in INTERNAL_HELPER.items() if k != "scale"}
    r = login("alice").post(page(world.alice_uc), given)
    assert r.status_code == 422
    html = r.content.decode()
    assert 'id="q-scale" aria-invalid="true"' in html
    assert '<small class="error" id="q-scale-error">Unanswered</small>' in html
    assert 'name="domain" value="internal_operations" checked' in html  # keeps what was given
    assert not RiskAssessment.objects.exists()


def test_posting_valid_answers_redirects_to_the_use_case(login, world: World) -> None:
    client = login("alice")
    r = client.post(page(world.alice_uc), CUSTOMER_CHATBOT)
    assert r.status_code == 302
    assert r["Location"] == f"/use-cases/{world.alice_uc.pk}/"
    assert UseCase.objects.get(pk=world.alice_uc.pk).tier == "medium"
    row = assessments.current_assessment(world.alice_uc)
    assert row is not None and row.answers["interaction"] == ["chatbot"]


def test_override_form(login, world: World) -> None:
    assessments.assess(actor=world.alice, use_case=world.alice_uc, answers=INTERNAL_HELPER)
    assert 'id="override"' not in login("alice").get(page(world.alice_uc)).content.decode()
    client = login("rita")
    assert 'id="override"' in client.get(page(world.alice_uc)).content.decode()
    assert client.get(page(world.alice_uc, "override/")).status_code == 405
    r = client.post(page(world.alice_uc, "override/"), {"tier": "high", "justification": "no"})
    assert r.status_code == 422
    assert "in at least 20 characters" in r.content.decode()
    r = client.post(page(world.alice_uc, "override/"), {"tier": "high", "justification": WHY})
    assert r.status_code == 302
    assert UseCase.objects.get(pk=world.alice_uc.pk).tier == "high"
    bob = login("bob")
    r = bob.post(page(world.alice_uc, "override/"), {"tier": "low", "justification": WHY})
    assert r.status_code == 403


def summary(uc: UseCase, can_assess: bool = True) -> str:
    context = {
        "uc": uc,
        "assessment": assessments.current_assessment(uc),
        "can_assess": can_assess,
        "user": AnonymousUser(),
    }
    return render_to_string("governance/_assessment_summary.html", context)


def test_summary_before_any_assessment(world: World) -> None:
    html = summary(world.alice_uc)
    assert "Not assessed yet" in html
    assert f'href="/use-cases/{world.alice_uc.pk}/assessment/">Assess risk</a>' in html
    assert "Assess risk" not in summary(world.alice_uc, can_assess=False)


def test_summary_shows_the_result(world: World) -> None:
    assessments.assess(actor=world.alice, use_case=world.alice_uc, answers=CUSTOMER_CHATBOT)
    html = summary(world.alice_uc)
    assert '<span class="badge tier tier-medium">Medium risk</span>' in html
    assert "<strong>29%</strong> of the maximum" in html
    assert '<meter min="0" max="6.0" value="4.0">67%</meter>' in html  # people: 4 of 6
    assert "at or above the medium threshold" in html
    assert "transparency notice that people are talking to an AI system" in html
    assert "Policy v1" in html and "assessed by Alice Example" in html
    assert "Re-assess" in html
    assert "Stale" not in html and "Overridden" not in html
    assert "style=" not in html


def test_summary_shows_staleness_prohibition_and_override(world: World) -> None:
    uc = world.alice_uc
    row = assessments.assess(
        actor=None,
        use_case=uc,
        answers=INTERNAL_HELPER | {"prohibited_practices": ["manipulation"]},
    )
    html = summary(uc)
    assert '<span class="tag tag-blocked">blocked</span>' in html
    assert "Prohibited practice: manipulative or deceptive techniques" in html
    assert "assessed by the system" in html
    portfolio.update_use_case(actor=world.alice, use_case=uc, environment="production")
    html = summary(uc)
    assert '<p class="stale-warning" role="alert"><strong>Stale</strong>' in html
    assert "it moved from the sandbox to production" in html
    ok = assessments.assess(actor=None, use_case=uc, answers=INTERNAL_HELPER)
    html = summary(uc)  # lower than the high tier in force: only proposed
    assert "Lower tier proposed: <strong>low</strong>" in html
    tier_confirmation.confirm_lowering(actor=world.rita, use_case=uc)
    assessments.override_tier(actor=world.rita, assessment=ok, tier="medium", justification=WHY)
    html = summary(uc)
    assert (
        "Overridden from the computed <strong>low</strong> tier to <strong>medium</strong>" in html
    )
    assert f"by Rita Example: “{WHY.replace(chr(39), '&#x27;')}”" in html
    assert row.pk != ok.pk
