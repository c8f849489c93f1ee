"""Objects of the newer apps (change, monitoring, obligations, technology), one set per use
case, made through their services: so their routes can be requested on the ordinary and the
confidential use cases alike.
"""

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from aiom.change import services as change
from aiom.governance.models import ReviewCondition, ReviewRequest, ReviewStatus
from aiom.governance.reviews import services as reviews
from aiom.inventory.services import create_import_job
from aiom.monitoring import plans as monitoring_plans
from aiom.monitoring import services as monitoring
from aiom.obligations import services as obligations
from aiom.obligations.derive import derive
from aiom.obligations.facts import active_pack, case_facts
from aiom.portfolio.models import UseCase
from aiom.technology import services as technology
from tests.conftest import make_person


def per_use_case(uc: UseCase, owner: Any, token: str) -> dict[str, Any]:
    """Ids of a change group and intervention, an incident and its action, a monitoring
    check, an obligation key and an evidence row on `uc`; their texts carry `token`."""
    today = timezone.localdate()
    plan = change.create_plan(
        actor=None, use_case=uc, summary=f"Roll out to every branch ({token})."
    )
    group = change.add_group(actor=None, plan=plan, name=f"Branch staff {token}", size=40)
    intervention = change.add_intervention(
        actor=None, group=group, kind="training", description=f"Two hour session ({token})."
    )
    incident = monitoring.report_incident(
        actor=None,
        use_case=uc,
        reopen=False,
        title=f"Wrong forecast {token}",
        occurred_at=timezone.now() - dt.timedelta(days=2),
        severity="low",
    )
    action = monitoring.add_action(
        actor=None, incident=incident, description=f"Retrain ({token}).", due_on=today
    )
    mplan = monitoring_plans.save_plan(actor=None, use_case=uc, reviewer=owner)
    check = monitoring_plans.add_check(
        actor=None, plan=mplan, kind="drift", description=f"Input drift ({token})."
    )
    owed = derive(active_pack(), case_facts(uc))
    key = owed[0].key
    evidence = obligations.add_evidence(
        actor=None, use_case=uc, obligation=key, url=f"https://example.com/evidence/{token}"
    )
    return {
        "condition": _condition(uc, owner, token),
        "change_group": group.pk,
        "intervention": intervention.pk,
        "incident": incident.pk,
        "action": action.pk,
        "check": check.pk,
        "obligation": key,
        "evidence": evidence.pk,
    }


def _condition(uc: UseCase, owner: Any, token: str) -> int:
    """A condition of an approval of the use case's open review, owned by its owner: decided
    by an approver outside the personas, so the review's other slots stay open."""
    review = ReviewRequest.objects.get(use_case=uc, status=ReviewStatus.OPEN)
    role = next((a["role"] for a in review.approvers if a["role"] != "risk_reviewer"), None)
    role = role or "risk_reviewer"
    username = f"cond_{role}"
    expert = User.objects.filter(username=username).first() or make_person(
        username, None, (role, None)
    )
    reviews.decide(
        actor=expert,
        review=review,
        outcome="approve_with_conditions",
        rationale="Fine once the notice is published to every customer.",
        conditions=[
            {
                "text": f"Publish the notice ({token}).",
                "owner": owner.pk,
                "due_on": timezone.localdate() + dt.timedelta(days=14),
            }
        ],
    )
    return ReviewCondition.objects.get(review=review).pk


def shared(use_cases: list[UseCase]) -> dict[str, Any]:
    """A vendor, a model and a platform, the model linked to every use case."""
    vendor = technology.create_vendor(actor=None, name="Probe Vendor")
    model = technology.create_model(
        actor=None, name="Probe model", version="1", vendor=vendor, model_type="predictive"
    )
    platform = technology.create_platform(actor=None, name="Probe platform")
    for uc in use_cases:
        technology.link(actor=None, use_case=uc, record=model, purpose="forecasts")
    job = create_import_job(
        actor=User.objects.get(username="ada"),
        file_name="probe.csv",
        sha256="0" * 64,
        stored="0" * 32,
        total=1,
    )
    return {
        "import_job": job.pk,
        "vendor": vendor.pk,
        "model": model.pk,
        "platform": platform.pk,
        "kind": "model",
        "kinds": "models",
    }
