"""A policy that renames `pilot` to `trial` and `operational` to `in_service` (issue 16).

The stages keep their roles, so everything that means "the pilot stage" or "in service"
follows the policy, not the shipped default's keys: the lifecycle and its gates, pilot
plans and their expiry, the obligations due by the trial, the sweep, the figures
(diagnostics, dashboard, pilot outcomes), monitoring and the public register.
"""

import datetime as dt
from typing import Any

import pytest
import yaml
from django.test import Client

from aiom.core.errors import InvalidInput
from aiom.governance.assessments import services as assessments
from aiom.governance.policy.versions import DEFAULT_POLICY_PATH, activate, active_policy
from aiom.governance.reviews import services as reviews
from aiom.insights import analytics
from aiom.insights.analytics import Scope, facts
from aiom.insights.analytics.tally import tally
from aiom.lifecycle import findings
from aiom.lifecycle import services as lifecycle
from aiom.lifecycle.gates import facts_for, gate_report
from aiom.lifecycle.models import PilotDecision, PilotPlan
from aiom.lifecycle.overview import overview
from aiom.monitoring import plans
from aiom.monitoring.analytics import incident_counts
from aiom.monitoring.policy import MonitoringRules
from aiom.obligations import services as obligations
from aiom.obligations.derive import derive
from aiom.obligations.facts import active_pack, case_facts
from aiom.portfolio import services as portfolio
from aiom.portfolio.models import UseCase
from aiom.portfolio.vocabulary import StageRole
from aiom.transparency.policy import TransparencyRules
from aiom.transparency.services import decide_publication
from tests.answers import MEDIUM
from tests.conftest import World, make_person
from tests.lifecycle.conftest import CRITERIA, advance, approve_fully, measure, today

RENAMES = {"pilot": "trial", "operational": "in_service"}
LABELS = {"trial": "Trial", "in_service": "In service"}


def renamed_policy() -> str:
    """The shipped default with the two stage keys renamed wherever a stage is named
    (stages, transitions, gate names and check parameters, every section's stage list);
    each renamed stage keeps its role."""
    data = yaml.safe_load(DEFAULT_POLICY_PATH.read_text(encoding="utf-8"))

    def key(stage: str) -> str:
        return RENAMES.get(stage, stage)

    def gate(name: str) -> str:
        source, _, target = name.partition("_to_")
        return f"{key(source)}_to_{key(target)}"

    def params(value: Any) -> Any:
        if isinstance(value, dict) and "stage" in value:
            return {**value, "stage": key(value["stage"])}
        return value

    for stage in data["stages"]:
        if stage["key"] in RENAMES:
            stage["key"] = key(stage["key"])
            stage["label"] = LABELS[stage["key"]]
    data["transitions"] = {key(s): [key(t) for t in ts] for s, ts in data["transitions"].items()}
    data["gates"] = {
        gate(name): {**spec, "requires": [params(c) for c in spec.get("requires", [])]}
        for name, spec in data["gates"].items()
    }
    data["change"]["required_for_stages"] = [key(s) for s in data["change"]["required_for_stages"]]
    data["prioritisation"]["stages"] = [key(s) for s in data["prioritisation"]["stages"]]
    text = yaml.safe_dump(data, sort_keys=False)
    for old in RENAMES:  # left only as a role, the pilot limits' section and check names
        named = text.replace(f"role: {old}", "").replace("pilot:\n", "").replace("pilot_plan", "")
        assert f" {old}" not in named and f"{old}_to" not in named and f"_to_{old}" not in named
    return text


@pytest.fixture
def policy(db: Any) -> Any:
    activate(actor=None, text=renamed_policy(), note="pilot → trial, operational → in_service")
    active = active_policy().policy
    assert active.stage_with_role(StageRole.PILOT).key == "trial"
    assert active.stage_with_role(StageRole.OPERATIONAL).key == "in_service"
    return active


def test_the_roles_follow_the_renamed_keys(policy: Any) -> None:
    assert policy.stage("pilot") is None and policy.stage("operational") is None
    assert policy.stages_with_role(StageRole.PILOT, StageRole.OPERATIONAL) == [
        "trial",
        "in_service",
    ]
    assert policy.section(MonitoringRules).monitoring_required_for_stages == ["in_service"]
    assert policy.section(TransparencyRules).publishable_stages == ["in_service"]
    assert policy.pilot_planning_stages() == ["feasibility", "risk_review"]


def test_lifecycle_figures_monitoring_and_register_through_a_renamed_policy(
    world: World, ready: UseCase, reviewers: dict[str, Any], client: Client
) -> None:
    activate(actor=None, text=renamed_policy(), note="pilot → trial, operational → in_service")
    people = list(reviewers.values())

    # Into the trial: planned where the policy plans pilots, through the gate and approval.
    uc = advance(ready, world.alice, "feasibility", "risk_review")
    lifecycle.plan_pilot(
        actor=world.alice, use_case=uc, exit_criteria=CRITERIA, ends_on=today() + dt.timedelta(30)
    )
    approve_fully(reviews.request_review(actor=world.alice, use_case=uc, to_stage="trial"), people)
    # The obligations pack names the pilot in the default vocabulary: it is due by the trial.
    [owed, *_] = [o for o in derive(active_pack(), case_facts(uc)) if o.from_stage == "pilot"]
    obligations.set_status(actor=None, use_case=uc, obligation=owed.key, status="open")
    report = gate_report(active_policy().policy, facts_for(uc, today=today()), "trial")
    [blocked] = [r for r in report.results if r.check == "obligations_met"]
    assert not blocked.passed and "due by trial" in blocked.reason
    obligations.set_status(actor=None, use_case=uc, obligation=owed.key, status="met")
    uc = advance(uc, world.alice, "trial")
    plan = PilotPlan.objects.get(use_case=uc)
    assert plan.starts_on == today() and plan.decision == ""
    seen = overview(uc)
    assert seen.piloting and not seen.plannable and not seen.pilot_stalled
    assert [s.state for s in seen.track if s.key == "trial"] == ["current"]

    # Past its end date without a decision: stalled wherever a stalled pilot is counted.
    late = today() - dt.timedelta(days=3)
    PilotPlan.objects.filter(pk=plan.pk).update(ends_on=late)
    facts.refresh([uc.pk])
    assert overview(uc).pilot_stalled
    swept = findings.stalled_pilots(today(), active_policy().policy)
    assert [f.use_case_id for f in swept] == [uc.pk]
    outcomes = analytics.pilot_outcomes(Scope(), today=today())
    assert (outcomes.started, outcomes.stalled, outcomes.running) == (1, 1, 0)
    diagnosed = {d.key: d for d in analytics.diagnostics(Scope(), today=today())}
    assert [r.id for r in diagnosed["pilot_to_scale"].laggards] == [uc.pk]
    dashboard = client_for(client, world.ada).get("/dashboard/").content.decode()
    assert ">Trial</text>" in dashboard and ">In service</text>" in dashboard  # the funnel
    assert "1 stalled pilot (past the end date, no decision)" in dashboard
    assert uc.title in client.get("/reports/board/").content.decode()  # top risks: stalled
    lifecycle.extend_pilot(
        actor=world.alice, use_case=uc, ends_on=today() + dt.timedelta(20), reason="More data."
    )
    assert not overview(UseCase.objects.get(pk=uc.pk)).pilot_stalled

    # Scaled: the exit criteria met, the decision recorded as a scale, counted as scaled.
    measure(uc, 6.5)
    approve_fully(
        reviews.request_review(actor=world.alice, use_case=uc, to_stage="scaling"), people
    )
    uc = advance(uc, world.alice, "scaling")
    assert PilotPlan.objects.get(use_case=uc).decision == PilotDecision.SCALE
    assert analytics.pilot_outcomes(Scope(), today=today()).scaled == 1
    assert overview(uc).criteria  # the trial's exit criteria still shown after it

    # In service: in production, re-assessed, through the gate; monitored and published.
    uc = portfolio.update_use_case(actor=world.alice, use_case=uc, environment="production")
    assessments.assess(actor=world.alice, use_case=uc, answers=MEDIUM)
    approve_fully(
        reviews.request_review(actor=world.alice, use_case=uc, to_stage="in_service"), people
    )
    uc = advance(uc, world.alice, "in_service")
    counted = incident_counts(UseCase.objects.all(), today=today())
    assert (counted["operational"], counted["with_plan"]) == (1, 0)
    plans.save_plan(actor=world.alice, use_case=uc, review_every_days=30)
    counted = incident_counts(UseCase.objects.all(), today=today())
    assert (counted["operational"], counted["with_plan"]) == (1, 1)
    counts = tally(Scope(), today=today())
    assert (counts.operational, counts.past_pilot, counts.total) == (1, 1, 3)

    cora = make_person("cora", world.group, ("compliance_reviewer", None))
    decide_publication(
        actor=cora,
        use_case=uc,
        publish=True,
        rationale="Approved for the register.",
        public_summary="Reads applicant documents for underwriters.",
        human_oversight="An underwriter decides every application.",
        oversight_mode="human_decides",
        contact="ai@example.org",
    )
    register = client.get("/transparency/register.json").content.decode()
    assert uc.title in register

    # Retired from service: off the register, and the track ends without an exit.
    uc = advance_with_reason(uc, world.alice, "retired")
    assert uc.title not in client.get("/transparency/register.json").content.decode()
    assert [s.state for s in overview(uc).track if s.key == "retired"] == ["current"]


def client_for(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def advance_with_reason(uc: UseCase, actor: Any, stage: str) -> UseCase:
    lifecycle.transition(
        actor=actor, use_case=uc, to_stage=stage, reason="Replaced by the new platform."
    )
    return UseCase.objects.get(pk=uc.pk)


def test_the_portfolio_speaks_the_policys_stages(policy: Any, world: World, client: Client) -> None:
    """Creating, filtering and the list's facets know `trial`; `pilot` is no stage now."""
    uc = portfolio.create_use_case(
        actor=world.alice, title="Claims triage", org_unit=world.cards, owner=world.alice
    )
    assert uc.stage == policy.first_stage
    trial = portfolio.create_use_case(
        actor=world.alice,
        title="Fraud scoring",
        org_unit=world.cards,
        owner=world.alice,
        stage="trial",
    )
    assert trial.stage == "trial" and trial.stage_label == "Trial"
    for old in RENAMES:
        with pytest.raises(InvalidInput) as refused:
            portfolio.create_use_case(
                actor=world.alice, title="Old", org_unit=world.cards, owner=world.alice, stage=old
            )
        assert f"unknown stage '{old}'" in str(refused.value.errors["stage"])
        assert "trial" in refused.value.errors["stage"]

    client = client_for(client, world.alice)
    page = client.get("/use-cases/", {"stage": "trial"}).content.decode()
    assert "Fraud scoring" in page and "Claims triage" not in page
    assert '<option value="trial" selected>Trial</option>' in page  # the stage facet
    assert '<span class="l">Trial</span>' in page and 'value="pilot"' not in page
    refused_page = client.get("/use-cases/", {"stage": "pilot"}).content.decode()
    assert "unknown stage &#x27;pilot&#x27;; one of intake, feasibility, risk_review, trial" in (
        refused_page
    )
    rows = client.get("/api/v1/use-cases", {"stage": "trial"}).json()
    assert [r["title"] for r in rows["items"]] == ["Fraud scoring"]
    answer = client.get("/api/v1/use-cases", {"stage": "pilot"})
    assert answer.status_code >= 400 and "trial" in answer.content.decode()


def test_without_a_provider_the_default_vocabulary_answers() -> None:
    from aiom.core import registry
    from aiom.portfolio import vocabulary

    kept = registry.entries("stage_vocabulary").pop("stages")
    try:
        assert vocabulary.stages() == vocabulary.DEFAULT_STAGES
        assert vocabulary.first_stage() == "intake"
        assert vocabulary.stage_label("risk_review") == "Risk review"
        assert vocabulary.unknown_stage("trial") == (
            f"unknown stage 'trial'; one of {', '.join(vocabulary.STAGE_KEYS)}"
        )
    finally:
        vocabulary.provide(kept)
