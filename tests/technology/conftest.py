"""A small registry, made through the services.

Ian is a global AI expert (keeps the registry). Bob is the contract owner of OpenAI, an
owner of GPT-4o and the owner of the LLM gateway (a keeper, not a curator). Links:
Alice's summariser and her confidential predictor use GPT-4o; the summariser and
Charlie's confidential churn warning run on the gateway; the summariser relies on OpenAI.
"""

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User

from aiom.organisation.models import Role
from aiom.portfolio import services as portfolio
from aiom.portfolio.models import UseCase
from aiom.technology import services
from aiom.technology.models import AIModel, Platform, Vendor
from tests.conftest import World, make_person


@dataclass
class Registry:
    ian: User
    openai: Vendor
    acme: Vendor
    gpt: AIModel
    fraud: AIModel
    gateway: Platform


def bought(
    world: World, title: str, unit: Any, vendor: str = "OpenAI", *, confidential: bool = False
) -> UseCase:
    """A bought use case in `unit`, proposed by the system, with a free-text vendor."""
    return portfolio.create_use_case(
        actor=None,
        require_owner=False,
        title=title,
        org_unit=unit,
        sourcing="buy",
        vendor=vendor,
        confidential=confidential,
    )


@pytest.fixture
def reg(world: World) -> Registry:
    return make_registry(world)


def make_registry(world: World) -> Registry:
    """The registry described above (the browser tests call it directly)."""
    ian = make_person("ian", world.group, (Role.AI_EXPERT, None))
    openai = services.create_vendor(
        actor=ian, name="OpenAI", contract_owner=world.bob, dpa_signed=True
    )
    acme = services.create_vendor(actor=ian, name="Acme AI")
    gpt = services.create_model(
        actor=ian,
        name="GPT-4o",
        version="2024-08",
        vendor=openai,
        model_type="generative_llm",
        intended_use="Summarising documents.",
        known_limitations="Hallucinates | sometimes.",
        evaluation_summary="ROUGE-L 0.41 on 500 applications.",
        evaluated_on="2026-01-15",
        runs_where="vendor_saas",
        licence="Commercial",
        owners=[world.bob],
    )
    fraud = services.create_model(actor=ian, name="Fraud scorer", model_type="predictive")
    gateway = services.create_platform(
        actor=ian,
        name="LLM gateway",
        owner=world.bob,
        org_unit=world.group,
        environments="sandbox, Production",
    )
    links: list[tuple[UseCase, AIModel | Platform | Vendor]] = [
        (world.alice_uc, gpt),
        (world.alice_secret, gpt),
        (world.alice_uc, gateway),
        (world.wealth_secret, gateway),
        (world.alice_uc, openai),
    ]
    for uc, record in links:
        services.link(actor=None, use_case=uc, record=record, purpose="because")
    return Registry(ian, openai, acme, gpt, fraud, gateway)
