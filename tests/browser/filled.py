"""Objects with every optional field filled, made through the services: what the edit
round trip opens and saves unchanged. Texts span lines, dates and decimals are set,
selects hold a non-default choice, check boxes are ticked and multi-selects hold two.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from aiom.catalogue import services as catalogue
from aiom.catalogue.models import DataProduct
from aiom.change import services as change
from aiom.change.models import ChangePlan, StakeholderGroup
from aiom.governance.assessments import services as assessments
from aiom.insights.maturity import services as maturity
from aiom.insights.maturity.model import current as maturity_model
from aiom.lifecycle import services as lifecycle
from aiom.lifecycle.models import PilotPlan
from aiom.monitoring import plans as monitoring_plans
from aiom.monitoring import services as monitoring
from aiom.monitoring.models import Incident, MonitoringPlan
from aiom.obligations import services as obligations
from aiom.obligations.derive import derive
from aiom.obligations.facts import active_pack, case_facts
from aiom.organisation.models import Role
from aiom.portfolio import services as portfolio
from aiom.portfolio.models import Theme, UseCase
from aiom.technology import services as technology
from aiom.technology.models import AIModel, Platform, Vendor
from tests.answers import MEDIUM
from tests.conftest import World, make_person

LINES = (
    "First line of the text.\nSecond line, after a break: \"quoted\" & <angled>, 'single'.\n"
    "\nA paragraph after a blank line (100 % sure; 1,5 ≠ 1.5)."
)


@dataclass
class Filled:
    world: World
    steward: User
    use_case: UseCase
    theme: Theme
    product: DataProduct
    retired: DataProduct
    vendor: Vendor
    model: AIModel
    platform: Platform
    sparse: list[Vendor | AIModel | Platform]  # only what is required: empty stays empty
    pilot: PilotPlan
    change_plan: ChangePlan
    group: StakeholderGroup
    monitoring_plan: MonitoringPlan
    incident: Incident
    obligation: str


def _day(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def build(w: World) -> Filled:
    steward = make_person("sam_steward", w.retail, (Role.DATA_STEWARD, w.retail))
    sponsor = make_person("vic_sponsor", w.group)
    theme = portfolio.update_theme(
        actor=None,
        theme=w.theme,
        objective=LINES,
        targets=[
            {"metric": 'Hours "saved" & <kept>', "target": 1200, "unit": "h", "by": str(_day(300))},
            {"metric": "Error rate", "target": 2.5, "unit": "%", "by": str(_day(120))},
        ],
    )
    vendor = technology.create_vendor(
        actor=None,
        name="Northwind Analytics",
        website="https://northwind.example.com",
        contract_owner=w.alice,
        contract_start=_day(-400),
        contract_end=_day(330),
        dpa_signed=True,
        data_processing_terms=LINES,
        risk_notes=LINES,
    )
    model = technology.create_model(
        actor=None,
        name="Queue forecaster",
        version="2.1.0",
        vendor=vendor,
        model_type="predictive",
        licence="Commercial",
        runs_where="private_cloud",
        status="active",
        owners=[w.alice, w.bob],
        intended_use=LINES,
        known_limitations=LINES,
        evaluation_summary=LINES,
        evaluated_on=_day(-30),
    )
    platform = technology.create_platform(
        actor=None,
        name="Analytics platform",
        description=LINES,
        owner=w.bob,
        org_unit=w.retail,
        environments=["sandbox", "staging", "production"],
    )
    sparse: list[Vendor | AIModel | Platform] = [
        technology.create_vendor(actor=None, name="Small Vendor"),
        technology.create_model(actor=None, name="Rules engine", model_type="other"),
        technology.create_platform(actor=None, name="Spreadsheet"),
    ]
    upstream = catalogue.create_data_product(
        actor=None, name="Branch register", domain=w.retail, classification="internal"
    )
    product = catalogue.create_data_product(
        actor=None,
        name="Retail branch visits",
        description=LINES,
        domain=w.retail,
        steward=steward,
        classification="confidential",
        personal_data=True,
        access_status="requested",
        upstream=[upstream],
        external_sources=["Footfall sensors", "Weather feed"],
        tags="branches, footfall",
    )
    # a theme retired since the use case chose it: the form must still offer (and keep) it
    retired = portfolio.create_theme(actor=None, key="branch-network", name="Branch network")
    retired_product = catalogue.retire_data_product(
        actor=None,
        product=catalogue.create_data_product(
            actor=None,
            name="Branch visits 2019",
            description=LINES,
            domain=w.retail,
            steward=steward,
            classification="internal",
            upstream=[upstream],
        ),
        reason="Replaced by the visits feed.",
    )
    uc = portfolio.update_use_case(
        actor=None,
        use_case=w.alice_uc,
        problem=LINES,
        description=LINES,
        sponsor=sponsor,
        theme=retired,
        value_hypothesis=LINES,
        expected_benefit_amount=Decimal("125000.50"),
        expected_benefit_currency="EUR",
        ai_type="generative",
        sourcing="buy",
        vendor="Northwind Analytics",
        environment="production",
        customer_facing=True,
        personal_data=True,
        automated_decisions=False,
        risk_notes=LINES,
    )
    portfolio.update_theme(actor=None, theme=retired, is_active=False)
    assessments.assess(actor=w.alice, use_case=uc, answers=MEDIUM)
    for stage in ("feasibility", "risk_review"):
        lifecycle.transition(actor=w.alice, use_case=UseCase.objects.get(pk=uc.pk), to_stage=stage)
    uc = UseCase.objects.get(pk=uc.pk)
    criteria = [
        {
            "metric": 'Handling time ("AHT") & <wrap-up>',
            "baseline": 9.5,
            "target": 7.25,
            "direction": "lower",
        },
        {"metric": "Satisfaction", "baseline": 70, "target": 90, "direction": "higher"},
        {"metric": "Cost per case", "baseline": 1250.5, "target": 980, "direction": "lower"},
    ]
    pilot = lifecycle.plan_pilot(
        actor=w.alice, use_case=uc, exit_criteria=criteria, ends_on=_day(75)
    )
    plan = change.create_plan(
        actor=None,
        use_case=uc,
        summary=LINES,
        champion=w.bob,
        go_live_on=_day(100),
        status="in_progress",
    )
    group = change.add_group(
        actor=None,
        plan=plan,
        name="Branch staff",
        size=40,
        org_unit=w.cards,
        impact="high",
        what_changes=LINES,
        target_users=30,
        target_on=_day(140),
    )
    change.add_intervention(
        actor=None,
        group=group,
        kind="training",
        description="Two-hour session.",
        owner=w.bob,
        due_on=_day(20),
    )
    mplan = monitoring_plans.save_plan(
        actor=None, use_case=uc, reviewer=w.rita, review_every_days=45, notes=LINES
    )
    incident = monitoring.report_incident(
        actor=None,
        use_case=uc,
        reopen=False,
        title="Wrong forecast for the city branch",
        description=LINES,
        model_name="Queue forecaster 2.1",
        occurred_at=timezone.now().replace(microsecond=0) - dt.timedelta(days=2, seconds=17),
        severity="medium",
        harms=["people", "legal"],
        people_affected=12,
    )
    incident = monitoring.change_status(
        actor=None, incident=incident, status="investigating", lessons_learned=LINES
    )
    questions = [q for _, q in maturity_model().model.questions()]
    maturity.self_assess(
        actor=None,
        org_unit=None,
        answers={q.key: q.answers[i % len(q.answers)].key for i, q in enumerate(questions)},
    )
    owed = derive(active_pack(), case_facts(uc))
    key = owed[0].key
    obligations.set_status(
        actor=None,
        use_case=uc,
        obligation=key,
        status="not_applicable",
        reason="Handled by the group-wide register.",
    )
    return Filled(
        world=w,
        steward=steward,
        use_case=UseCase.objects.get(pk=uc.pk),
        theme=theme,
        product=product,
        retired=retired_product,
        vendor=vendor,
        model=model,
        platform=platform,
        sparse=sparse,
        pilot=pilot,
        change_plan=plan,
        group=group,
        monitoring_plan=mplan,
        incident=incident,
        obligation=key,
    )
