"""Deciding what the public register shows: one audited decision per call.

Only the policy's `transparency.decide_roles` decide (administrators count as the
administrator role; a scoped role covers its units). Publishing is refused with the
reason when the use case is confidential, retired or outside the publishable stages, and
when its oversight statement (mode or text) contradicts the recorded facts (`oversight`);
withdrawing is always allowed. A publish decision snapshots the use case's public fields
(`approval.approved_facts`): the register shows that snapshot.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from aiom.core import audit
from aiom.core.clock import moment
from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.governance.policy.versions import active_policy
from aiom.organisation.access import access_for
from aiom.organisation.models import Role
from aiom.portfolio import permissions
from aiom.portfolio.models import UseCase
from aiom.transparency import oversight
from aiom.transparency.approval import approved_facts
from aiom.transparency.models import PublicationDecision
from aiom.transparency.policy import TransparencyRules
from aiom.transparency.rules import Publishable, blockers

MAX_TEXT = 2000


def transparency_rules() -> tuple[int, TransparencyRules, Publishable]:
    """The active policy's version, its transparency section and where it publishes."""
    active = active_policy()
    policy = active.policy
    return active.version, policy.section(TransparencyRules), Publishable.of(policy)


def may_decide(actor: audit.Actor, use_case: UseCase, rules: TransparencyRules) -> bool:
    """The system, or an internal holder of a deciding role that covers the use case."""
    if actor is None:
        return True
    access = access_for(actor)
    if not access.is_internal or not permissions.can_see(actor, use_case):
        return False
    if access.is_admin and Role.ADMINISTRATOR in rules.decide_roles:
        return True
    return any(access.has_role(role, use_case.org_unit.path) for role in rules.decide_roles)


def current_decision(use_case: UseCase) -> PublicationDecision | None:
    return PublicationDecision.objects.filter(use_case=use_case).first()


def _validate(
    uc: UseCase, publish: bool, texts: dict[str, str], publishable: Publishable
) -> dict[str, str]:
    errors: dict[str, str] = {}
    mode = texts["oversight_mode"]
    if mode and mode not in oversight.MODES:
        errors["oversight_mode"] = f"one of {', '.join(oversight.MODES)}"
    if not texts["rationale"]:
        errors["rationale"] = "required: say why it is (or is not) published"
    for field, value in texts.items():
        if len(value) > MAX_TEXT and field not in errors:
            errors[field] = f"at most {MAX_TEXT} characters"
    if texts["contact"]:
        try:
            validate_email(texts["contact"])
        except ValidationError:
            errors["contact"] = "not an email address"
    if not publish:
        return errors
    refused = blockers(uc.stage, uc.confidential, publishable)
    if refused:
        errors["publish"] = "cannot be published: " + "; ".join(refused)
    if not texts["public_summary"]:
        errors["public_summary"] = "required to publish: the purpose in plain words"
    if not texts["human_oversight"]:
        errors["human_oversight"] = "required to publish: how people oversee it"
    if not mode:
        errors["oversight_mode"] = "required to publish: " + " / ".join(
            f"{key} ({label})" for key, label in oversight.MODES.items()
        )
    if "oversight_mode" not in errors:
        facts = oversight.Facts(automated_decisions=uc.automated_decisions)
        statement = oversight.Statement(mode=mode, text=texts["human_oversight"])
        for field, message in oversight.errors(facts, statement).items():
            errors.setdefault(field, f"contradicts the recorded facts: {message}")
    if not texts["contact"] and "contact" not in errors:
        errors["contact"] = "required to publish (the policy names no default contact)"
    return errors


@transaction.atomic
def decide_publication(
    *,
    actor: audit.Actor,
    use_case: UseCase,
    publish: bool,
    rationale: str,
    public_summary: str = "",
    human_oversight: str = "",
    oversight_mode: str = "",
    contact: str = "",
    today: dt.date | None = None,
) -> PublicationDecision:
    """Record whether `use_case` is published, with the public texts; refuses with reasons.

    Blank texts (and the oversight mode) default to the previous decision's; then, when
    publishing, the summary to the use case's problem (its purpose) and the contact to the
    policy's. Publishing stores the use case's public fields as approved.
    `today` backdates the decision (the demo); the audit event keeps the real time.
    """
    locked = UseCase.objects.select_for_update(of=("self",)).select_related("org_unit")
    uc = locked.get(pk=use_case.pk)
    version, rules, publishable = transparency_rules()
    if not may_decide(actor, uc, rules):
        allowed = ", ".join(Role(r).label for r in rules.decide_roles)
        raise PermissionDenied(f"only these roles decide what is published: {allowed}")
    previous = current_decision(uc)
    texts = {
        "rationale": rationale.strip(),
        "public_summary": public_summary.strip()
        or (previous.public_summary if previous else "")
        or (uc.problem.strip() if publish else ""),
        "human_oversight": human_oversight.strip()
        or (previous.human_oversight if previous else ""),
        "oversight_mode": (oversight_mode or "").strip()
        or (previous.oversight_mode if previous else ""),
        "contact": contact.strip() or (previous.contact if previous else "") or rules.contact_email,
    }
    errors = _validate(uc, publish, texts, publishable)
    if errors:
        raise InvalidInput(errors)
    decision = PublicationDecision(
        use_case=uc,
        publish=publish,
        reference=previous.reference if previous else f"AI-{secrets.token_hex(4).upper()}",
        decided_by=actor if actor is not None and actor.is_authenticated else None,
        decided_at=moment(today),
        policy_version=version,
        approved=approved_facts(uc) if publish else {},
        **texts,
    )
    decision.save(force_insert=True)
    audit.record(
        actor=actor,
        action="publication.decide",
        obj=decision,
        before=previous.snapshot() if previous else None,
        after=decision.snapshot(),
        message=f"{'publish' if publish else 'do not publish'} “{uc.title}”: {texts['rationale']}",
        policy_version=version,
    )
    return decision
