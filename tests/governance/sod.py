"""Shared set-up for the segregation-of-duties tests: a policy and people of their own.

The policy is the default one with the gates into pilot reduced to what these tests are
about (an assessment, a pilot plan, the approval), so they do not depend on the other gate
checks; its approval paths, consistency rules and material changes are the default ones.
"""

import copy
import datetime as dt
from dataclasses import dataclass
from typing import Any

import yaml
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from aiom.core import tokens
from aiom.governance.assessments import services as assessments
from aiom.governance.policy.versions import DEFAULT_POLICY_PATH, activate
from aiom.lifecycle import services as lifecycle
from aiom.organisation.models import Role
from aiom.portfolio import services as portfolio
from aiom.portfolio.models import UseCase
from tests.answers import HIGH, LOW, MEDIUM
from tests.conftest import World, make_person

RATIONALE = "Risks are understood and the mitigations are proportionate."
WHY = "The vendor's own controls cover the remaining risk in full."
CRITERIA = [
    {"metric": "Handling time", "baseline": 9.5, "target": 7.0, "unit": "min", "direction": "lower"}
]
# Low tier on a customer-facing use case with personal data: what an adversary would answer.
LOW_BUT_CONSISTENT: dict[str, Any] = LOW | {"affected": "consumers", "personal_data": ["personal"]}
HIGH_FACTS = {"customer_facing": True, "personal_data": True}
__all__ = ["HIGH", "LOW", "MEDIUM"]


def sod_policy_text(**paths: Any) -> str:
    doc = yaml.safe_load(DEFAULT_POLICY_PATH.read_text(encoding="utf-8"))
    doc = copy.deepcopy(doc)
    doc["gates"]["risk_review_to_pilot"] = {
        "requires": [
            "risk_assessment_current",
            "not_prohibited",
            {"check": "pilot_plan_ready", "min_criteria": 1},
        ],
        "approval": True,
    }
    doc["approval_paths"].update(paths)
    return yaml.safe_dump(doc, sort_keys=False)


@dataclass
class People:
    amara: User  # AI expert, global: may edit any use case (and so assess it)
    vera: User  # AI expert, global
    dave: User  # risk reviewer, global, and a business owner in Retail
    rob: User  # risk reviewer scoped to Retail
    cleo: User  # compliance reviewer, global
    carl: User  # compliance reviewer, global


def make_people(world: World) -> People:
    return People(
        amara=make_person("amara", world.group, (Role.AI_EXPERT, None)),
        vera=make_person("vera", world.group, (Role.AI_EXPERT, None)),
        dave=make_person(
            "dave",
            world.retail,
            (Role.RISK_REVIEWER, None),
            (Role.BUSINESS_OWNER, world.retail),
        ),
        rob=make_person("rob", world.retail, (Role.RISK_REVIEWER, world.retail)),
        cleo=make_person("cleo", world.group, (Role.COMPLIANCE_REVIEWER, None)),
        carl=make_person("carl", world.group, (Role.COMPLIANCE_REVIEWER, None)),
    )


def in_risk_review(world: World, owner: User, answers: dict[str, Any], **facts: Any) -> UseCase:
    """A use case of `owner`'s in risk review with a pilot plan, assessed with `answers`.

    Alice proposes it (she is its `proposed_by`), whoever owns it.
    """
    uc = portfolio.create_use_case(
        actor=world.alice,
        title="Claims assistant",
        org_unit=world.retail,
        owner=owner,
        sponsor=world.ada,
        problem="Claims handlers retype the same answers to customers every single day.",
        value_hypothesis="Cut the handling time by a third without more complaints.",
        **facts,
    )
    assessments.assess(actor=owner, use_case=uc, answers=answers)
    for stage in ("feasibility", "risk_review"):
        lifecycle.transition(actor=owner, use_case=uc, to_stage=stage)
    lifecycle.plan_pilot(
        actor=owner,
        use_case=uc,
        exit_criteria=CRITERIA,
        ends_on=timezone.localdate() + dt.timedelta(days=60),
    )
    return UseCase.objects.get(pk=uc.pk)


def api(user: User) -> "Api":
    _, plaintext = tokens.create_token(actor=None, user=user, name="sod", scopes=("read", "write"))
    return Api(Client(), {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"})


@dataclass
class Api:
    client: Client
    headers: dict[str, str]

    def get(self, url: str) -> Any:
        return self.client.get(f"/api/v1{url}", **self.headers)  # type: ignore[arg-type]

    def post(self, url: str, body: dict[str, Any] | None = None) -> Any:
        return self.client.post(
            f"/api/v1{url}",
            body or {},
            content_type="application/json",
            **self.headers,  # type: ignore[arg-type]
        )

    def patch(self, url: str, body: dict[str, Any]) -> Any:
        return self.client.patch(
            f"/api/v1{url}",
            body,
            content_type="application/json",
            **self.headers,  # type: ignore[arg-type]
        )

    def approve(self, review_id: int) -> Any:
        return self.post(
            f"/reviews/{review_id}/decisions", {"outcome": "approve", "rationale": RATIONALE}
        )


def use_policy(**paths: Any) -> None:
    activate(actor=None, text=sod_policy_text(**paths))
