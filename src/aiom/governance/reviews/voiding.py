"""Approvals that no longer hold: a material change or a new assessment voids them.

An approval was given on the facts and the assessment of its day. When the policy's
material-change facts change, or the use case is re-assessed, every approving decision on
its open reviews, and on approved reviews not yet used by a transition, is voided with the
reason; an approved review goes back to open, to be decided on the new facts.

An approval also stops counting when its reviewer later enters the review's conflict
window (takes over ownership, overrides the tier, rewrites the exit criteria...):
`recheck` is an audit listener, so every audited write — whatever its path — re-judges the
live approvals on the use cases it touched.
"""

from collections.abc import Sequence

from django.db import models, transaction
from django.utils import timezone

from aiom.core import audit
from aiom.governance.models import APPROVING, Decision, ReviewRequest, ReviewStatus
from aiom.portfolio.models import UseCase

LIVE = {"review__status__in": [ReviewStatus.OPEN, ReviewStatus.APPROVED]}


def void_approvals(
    *, actor: audit.Actor, use_case: UseCase, reason: str, policy_version: int | None = None
) -> list[int]:
    """Void the live approvals on the use case's open or approved reviews; return their ids.

    Runs inside the caller's transaction (a savepoint). No approvals: no event.
    """
    with transaction.atomic():
        live = list(
            Decision.objects.select_for_update(of=("self",))
            .filter(
                review__use_case_id=use_case.pk,
                outcome__in=APPROVING,
                voided_at__isnull=True,
                **LIVE,
            )
            .order_by("pk")
        )
        return _void(actor, use_case, live, {d.pk: reason for d in live}, reason, policy_version)


def _void(
    actor: audit.Actor,
    use_case: UseCase,
    live: Sequence[Decision],
    why: dict[int, str],
    reason: str,
    policy_version: int | None,
) -> list[int]:
    if not live:
        return []
    now = timezone.now()
    ids = [d.pk for d in live]
    for d in live:
        Decision.objects.filter(pk=d.pk).update(voided_at=now, voided_reason=why[d.pk])
    review_ids = sorted({d.review_id for d in live})
    reopened = list(
        ReviewRequest.objects.filter(pk__in=review_ids, status=ReviewStatus.APPROVED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    ReviewRequest.objects.filter(pk__in=reopened).update(status=ReviewStatus.OPEN, closed_at=None)
    audit.record(
        actor=actor,
        action="void_approvals",
        obj=use_case,
        before={"decisions": ids, "approved_reviews": reopened},
        after={"voided": ids, "reviews": review_ids, "reopened": reopened, "reason": reason},
        message=f"Approvals voided: {reason}.",
        policy_version=policy_version,
    )
    return ids


def _use_case_ids(objs: Sequence[models.Model]) -> set[int]:
    """The use cases these audited objects belong to (the use case, its KPIs, measurements)."""
    ids: set[int] = set()
    for obj in objs:
        label = obj._meta.label_lower
        if isinstance(obj, UseCase):
            ids.add(obj.pk)
        elif label == "value.kpi":
            ids.add(obj.use_case_id)  # type: ignore[attr-defined]
        elif label == "value.measurement":
            ids.add(obj.kpi.use_case_id)  # type: ignore[attr-defined]
    return ids


def recheck(objs: list[models.Model]) -> None:
    """Audit listener: void live approvals whose reviewer is now in their review's window.

    One query when the touched use cases have no live approvals (nearly every write).
    """
    from aiom.governance.reviews.conflicts import window_for  # lazy: conflicts reads the trail

    ids = _use_case_ids(objs)
    if not ids:
        return
    live = list(
        Decision.objects.filter(
            review__use_case_id__in=sorted(ids),
            outcome__in=APPROVING,
            voided_at__isnull=True,
            **LIVE,
        )
        .select_related("review__use_case")
        .order_by("review_id", "pk")
    )
    by_review: dict[int, list[Decision]] = {}
    for d in live:
        by_review.setdefault(d.review_id, []).append(d)
    for decisions in by_review.values():
        review = decisions[0].review
        window = window_for(review)
        why: dict[int, str] = {}
        for d in decisions:
            found = window.reason(d.reviewer_id)
            if found:
                why[d.pk] = f"{d.reviewer_name} is now in the review's conflict window ({found})"
        if why:
            with transaction.atomic():
                _void(
                    None,
                    review.use_case,
                    [d for d in decisions if d.pk in why],
                    why,
                    "; ".join(why.values()),
                    review.policy_version,
                )
