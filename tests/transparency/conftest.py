"""A register world: operational use cases in every publication situation.

`published` is on the register; every other one must never appear anywhere public.
Their titles start with LEAK so one substring check covers page, feeds and API.
Internal texts (description, risk notes, rationale, ...) carry INTERNAL markers.
"""

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User

from aiom.organisation.models import Role
from aiom.portfolio import services as portfolio
from aiom.portfolio.models import UseCase
from aiom.transparency.models import PublicationDecision
from aiom.transparency.services import decide_publication
from tests.conftest import World, make_person

INTERNAL = {
    "problem": "INTERNAL-PROBLEM staff spend hours on letters",
    "description": "INTERNAL-DESCRIPTION uses the letters archive",
    "value_hypothesis": "INTERNAL-VALUE saves 2 FTE",
    "risk_notes": "INTERNAL-RISK prompt injection seen in testing",
    "vendor": "INTERNAL-VENDOR Acme LLM",
    "external_id": "INTERNAL-EXTID-77",
}
PUBLIC = {
    "public_summary": "Drafts replies to customer letters; a person checks every reply.",
    "human_oversight": "Every draft is read and approved by a member of staff.",
    "oversight_mode": "human_decides",
    "contact": "ai-register@example.org",
}


def operational(world: World, title: str, **over: Any) -> UseCase:
    fields: dict[str, Any] = {
        "title": title,
        "org_unit": world.retail,
        "owner": world.alice,
        "stage": "operational",
        "ai_type": "generative",
        **INTERNAL,
        **over,
    }
    uc = portfolio.create_use_case(actor=None, **fields)
    # The tier comes from a risk assessment; set it directly, as the assessment would.
    UseCase.objects.filter(pk=uc.pk).update(tier="medium")
    uc.tier = "medium"
    return uc


def publish(actor: Any, uc: UseCase, **over: Any) -> PublicationDecision:
    values: dict[str, Any] = {"rationale": "INTERNAL-RATIONALE approved by the board", **PUBLIC}
    return decide_publication(actor=actor, use_case=uc, publish=True, **(values | over))


@dataclass
class Register:
    world: World
    cora: User
    published: UseCase
    unpublished: UseCase
    withdrawn: UseCase
    turned_confidential: UseCase
    retired: UseCase
    confidential: UseCase


def make_cora(world: World) -> User:
    """A compliance reviewer for the whole organisation: decides publication by default."""
    return make_person("cora", world.group, (Role.COMPLIANCE_REVIEWER, None))


@pytest.fixture
def cora(world: World) -> User:
    return make_cora(world)


@pytest.fixture
def reg(world: World, cora: User) -> Register:
    return build_register(world, cora)


def build_register(world: World, cora: User) -> Register:
    """One use case in each publication situation (see the module docstring)."""
    from aiom.lifecycle.services import transition

    published = operational(world, "Customer letter assistant")
    publish(world.ada, published)
    unpublished = operational(world, "LEAK never decided")
    withdrawn = operational(world, "LEAK withdrawn")
    publish(cora, withdrawn)
    decide_publication(
        actor=cora, use_case=withdrawn, publish=False, rationale="INTERNAL-RATIONALE withdrawn"
    )
    turned = operational(world, "LEAK turned confidential")
    publish(cora, turned)
    portfolio.update_use_case(actor=None, use_case=turned, confidential=True)
    retired = operational(world, "LEAK retired")
    publish(cora, retired)
    transition(actor=None, use_case=retired, to_stage="retired", reason="replaced by a new one")
    confidential = operational(world, "LEAK confidential", confidential=True)
    return Register(world, cora, published, unpublished, withdrawn, turned, retired, confidential)
