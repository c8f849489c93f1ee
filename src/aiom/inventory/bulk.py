"""The batched creation path for imports: the portfolio's validation, bulk inserts, one audit
event per use case.

It validates each row with the same functions `portfolio.services.create_use_case` uses,
inserts use cases and their first StageChange in bulk, then appends one audit event per
use case through `core.audit.record` (the chain stays intact and verifiable). Caveat: it
re-states what `create_use_case` + `lifecycle.services.record_entry` do; a change there
must be mirrored here (tests compare the two paths' rows and audit snapshots).
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from aiom.core import audit
from aiom.core.clock import moment
from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.governance.policy.versions import pinned
from aiom.lifecycle.models import StageChange
from aiom.portfolio import permissions
from aiom.portfolio.models import UseCase
from aiom.portfolio.services import build_use_case, snapshot  # one validation path

BATCH = 500


@dataclass
class Refused:
    index: int
    errors: dict[str, str]


def build(actor: audit.Actor, fields: dict[str, Any]) -> UseCase:
    """An unsaved use case exactly as `create_use_case` would store it, or InvalidInput."""
    # The planner looked the ids up in bulk; the unique constraint is the last word.
    return build_use_case(
        actor=actor, require_owner=False, check_taken=False, dates_from_source=True, **fields
    )


@transaction.atomic
def create_imported_use_cases(
    *, actor: audit.Actor, rows: list[dict[str, Any]], message: str
) -> tuple[list[UseCase], list[Refused]]:
    """Create ownerless-allowed use cases in bulk; rows that fail validation are returned."""
    if actor is not None and not permissions.can_create(actor):
        raise PermissionDenied("only people inside the organisation can propose use cases")
    made: list[UseCase] = []
    refused: list[Refused] = []
    with pinned() as policy:  # each row asks for the stages in force: read them once
        for index, fields in enumerate(rows):
            try:
                made.append(build(actor, fields))
            except InvalidInput as exc:
                refused.append(Refused(index, exc.errors))
    UseCase.objects.bulk_create(made, batch_size=BATCH)
    version = policy.version
    user = actor if isinstance(actor, User) else None
    name = audit.actor_name(actor)
    StageChange.objects.bulk_create(
        [
            StageChange(
                use_case=uc,
                from_stage="",
                to_stage=uc.stage,
                on=uc.stage_entered_on,
                on_precision=uc.stage_entered_precision,
                # an unknown entry day stays unknown; `at` is when aiom recorded it
                at=moment(uc.stage_entered_on) if uc.stage_entered_on else timezone.now(),
                actor=user,
                actor_name=name,
                reason=message or "proposed",
                policy_version=version,
            )
            for uc in made
        ],
        batch_size=BATCH,
    )
    audit.record_many(
        actor=actor,
        entries=(audit.Entry("create", uc, after=snapshot(uc), message=message) for uc in made),
    )
    return made, refused
