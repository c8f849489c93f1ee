"""The objects the matrix requests: the `world` personas plus, for each of the three use cases
(ordinary, confidential in Retail, confidential in Wealth), a review, a KPI, a link, an audit
event and a shared data product, all made through the services.

Each use case's title and description carry a distinctive token, so a leak is a grep away.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from aiom.catalogue import services as catalogue
from aiom.core.models import AuditEvent
from aiom.core.tokens import create_token
from aiom.governance.assessments import services as assessments
from aiom.governance.policy.versions import active_policy
from aiom.governance.reviews import services as reviews
from aiom.lifecycle import services as lifecycle
from aiom.obligations import services as obligations
from aiom.obligations.derive import derive, is_due
from aiom.obligations.facts import active_pack, case_facts
from aiom.organisation.models import RoleAssignment
from aiom.portfolio import services as portfolio
from aiom.portfolio.models import UseCase
from aiom.similarity import services as similarity
from aiom.value import services as value
from tests.answers import MEDIUM
from tests.conftest import PERSONAS, World, build_world, make_person
from tests.security.authz import objects_new

LABELS = ("alice_uc", "alice_secret", "wealth_secret")
SECRETS = ("alice_secret", "wealth_secret")
# Distinctive words in each use case's description; the title is checked too.
TOKEN = {label: f"zqx{label.replace('_', '')}token" for label in LABELS}
CRITERIA = [{"metric": "Handling time", "baseline": 9.5, "target": 7.0, "direction": "lower"}]


@dataclass
class Ctx:
    """Everything a route's path parameters and bodies are built from."""

    world: World
    filler: UseCase  # public, Retail, owned by Alice: the other end of links
    per_label: dict[str, dict[str, Any]] = field(default_factory=dict)
    shared: dict[str, Any] = field(default_factory=dict)
    bearer: dict[str, str] = field(default_factory=dict)

    def uc(self, label: str) -> UseCase:
        found: UseCase = getattr(self.world, label)
        return found

    def titles(self, label: str) -> tuple[str, str]:
        return self.uc(label).title, TOKEN[label]


def meet_obligations(uc: UseCase, stage: str) -> None:
    """Mark met (as the system) every obligation `uc` owes by `stage`: the gates ask."""
    uc = UseCase.objects.get(pk=uc.pk)
    order = [s.key for s in active_policy().policy.stages if not s.terminal]
    for o in derive(active_pack(), case_facts(uc)):
        if is_due(o, stage, order):
            obligations.set_status(actor=None, use_case=uc, obligation=o.key, status="met")


def _ready_for_review(uc: UseCase, owner: User, sponsor: User) -> int:
    today = timezone.localdate()
    uc = portfolio.update_use_case(
        actor=None,
        use_case=uc,
        sponsor=sponsor,
        problem="People spend hours doing this by hand every single week.",
        value_hypothesis="Cut the time by a third without more errors.",
    )
    assessments.assess(actor=owner, use_case=uc, answers=MEDIUM)
    for stage in ("feasibility", "risk_review"):
        lifecycle.transition(actor=owner, use_case=UseCase.objects.get(pk=uc.pk), to_stage=stage)
    uc = UseCase.objects.get(pk=uc.pk)
    lifecycle.plan_pilot(
        actor=owner, use_case=uc, exit_criteria=CRITERIA, ends_on=today + dt.timedelta(days=90)
    )
    meet_obligations(uc, "pilot")  # the gate into pilot asks for the obligations due by then
    review = reviews.request_review(actor=owner, use_case=uc, to_stage="pilot")
    return review.pk


def build_ctx() -> Ctx:
    world = build_world()
    active_policy()
    sponsor = make_person("vic_sponsor", world.group)
    filler = portfolio.create_use_case(
        actor=None,
        title="Branch queue forecaster",
        org_unit=world.retail,
        owner=world.alice,
        theme=world.theme,
    )
    ctx = Ctx(world=world, filler=filler)
    product = catalogue.create_data_product(
        actor=None,
        name="Retail branch visits",
        description="Visits per branch and hour.",
        domain=world.retail,
        classification="internal",
    )
    owners = {"alice_uc": world.alice, "alice_secret": world.alice, "wealth_secret": world.charlie}
    for label in LABELS:
        uc = portfolio.update_use_case(
            actor=None,
            use_case=ctx.uc(label),
            description=f"Predicts what matters; keyword {TOKEN[label]}.",
        )
        setattr(world, label, uc)
        owner = owners[label]
        review = _ready_for_review(uc, owner, sponsor)
        kpi = value.define_kpi(
            actor=None, use_case=uc, name=f"Hours saved {TOKEN[label]}", unit="h"
        )
        link = similarity.link(
            actor=None,
            source=uc,
            target=filler,
            kind="related_to",
            reason=f"Both forecast branch demand ({TOKEN[label]}).",
        )
        catalogue.link_use_case(actor=None, use_case=uc, product=product, purpose="features")
        created = AuditEvent.objects.filter(
            object_type="portfolio.usecase", object_id=str(uc.pk), action="create"
        ).values_list("seq", flat=True)
        ctx.per_label[label] = {
            "use_case": uc.pk,
            "review": review,
            "kpi": kpi.pk,
            "link": link.pk,
            "seq": created.get(),
        } | objects_new.per_use_case(UseCase.objects.get(pk=uc.pk), owner, TOKEN[label])
        setattr(world, label, UseCase.objects.get(pk=uc.pk))
    role = RoleAssignment.objects.filter(user=world.alice).values_list("pk", flat=True).get()
    ctx.shared = {
        "product": product.pk,
        "person": world.alice.pk,
        "org_unit": world.retail.pk,
        "theme": world.theme.pk,
        "role": role,
        "version": 1,
        "name": "funnel",
        "filler": filler.pk,
    } | objects_new.shared([ctx.uc(label) for label in LABELS])
    for name in PERSONAS:
        user = world.persona(name)
        if user is not None:
            # Every scope: the matrix is about the person; scopes are tests of their own.
            _, plaintext = create_token(
                actor=None, user=user, name="authz", scopes=("read", "write", "admin")
            )
            ctx.bearer[name] = f"Bearer {plaintext}"
    return ctx
