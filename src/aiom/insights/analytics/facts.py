"""Facts per use case, kept on write, so portfolio figures aggregate one narrow table.

The diagnostics and the dashboard used to correlate, per use case and per request, its
stage changes, pilot plan, assessments, open reviews and KPIs: seconds at 100,000 use
cases. `UseCaseFacts` holds what those figures need, one row per use case, and the
figures aggregate it (insights/analytics/*.py, through `of`).

How it stays true: a change to a use case or to a row its facts read touches the use
case. Two hooks touch: the audit listener (every service write, including bulk imports
that audit with `record_many`) and save/delete signals (ORM writes, tests). Inside a
transaction the touched use cases are collected and their facts recomputed last, just
before the commit, in the write's own transaction (core.before_commit): one write
transaction per write, and no crash can commit the data without its facts. A write in
autocommit marks the use case stale (a `StaleFacts` row) and refreshes it at once; every
read calls `current()` first, which applies this transaction's touches and refreshes
whatever is still marked, so a figure never reads a fact older than the data.
`aiom facts --verify` recomputes every row and compares; `aiom sweep` repairs.
Caveat: a write that neither audits nor saves through the ORM (raw SQL, `bulk_create`
without an audit event, `QuerySet.update`) must call `touch(ids)` itself.
"""

import datetime as dt
import logging
from collections.abc import Collection, Iterable, Iterator
from contextvars import ContextVar
from typing import Any

from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.db.models import CharField, Count, Max, Min, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.utils import timezone

from aiom.core import before_commit, memo
from aiom.core.date_periods import end_of
from aiom.governance.models import ReviewRequest, ReviewStatus, RiskAssessment
from aiom.governance.policy.versions import active_policy
from aiom.insights.analytics.base import Scope, in_scope
from aiom.lifecycle.models import PilotDecision, PilotPlan, StageChange
from aiom.portfolio.models import UseCase
from aiom.portfolio.vocabulary import StageRole
from aiom.value.models import KPI, FactsQuerySet, Measurement, StaleFacts, UseCaseFacts

log = logging.getLogger(__name__)

CHUNK = 2000
TOUCHED = "value.facts"  # the before-commit work: recompute the touched use cases' facts
FIELDS = [f.name for f in UseCaseFacts._meta.concrete_fields if f.name != "use_case"]


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    batch: list[int] = []
    for i in ids:
        batch.append(i)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def compute(ids: Collection[int] | None = None) -> dict[int, dict[str, Any]]:
    """The facts of the use cases `ids` (None = all) from the rows they summarise: six
    set-based queries, whatever the number of use cases, and the policy's stage roles
    (pilots, scaling, rejection and operation are read from the stages playing them)."""
    policy = active_policy().policy
    pilot, scaling, stopped, rejected, operational = (
        policy.stage_with_role(role).key
        for role in (
            StageRole.PILOT,
            StageRole.SCALING,
            StageRole.STOPPED,
            StageRole.REJECTED,
            StageRole.OPERATIONAL,
        )
    )

    def only(qs: QuerySet[Any], field: str = "use_case_id") -> QuerySet[Any]:
        return qs if ids is None else qs.filter(**{f"{field}__in": list(ids)})

    facts: dict[int, dict[str, Any]] = {}
    copied = ("org_unit_id", "theme_id", "tier", "ai_type", "stage", "stage_entered_on")
    more = ("proposed_on", "value_realised_on", "first_assessed_in")
    precisions = ("proposed_precision", "stage_entered_precision")
    for r in only(UseCase.objects.order_by(), "pk").values(
        "pk", *copied, *more, *precisions, "owner_id", "sponsor_id", "environment"
    ):
        realised, proposed = r["value_realised_on"], r["proposed_on"]
        # proposal to value only from a proposal known to the day: a month or a year
        # would make up the days (the use case is left out of time to value, counted)
        by_day = proposed is not None and r["proposed_precision"] == "day"
        facts[r["pk"]] = {
            **dict.fromkeys(FIELDS),
            **{k: r[k] for k in (*copied, *more, *precisions)},
            "has_owner": r["owner_id"] is not None,
            "has_sponsor": r["sponsor_id"] is not None,
            "in_production": r["environment"] == "production",
            "days_to_value": (
                max((realised - proposed).days, 0) if realised is not None and by_day else None
            ),
            "pilot_outcome": "",
            "pilot_started_precision": "",
            "created_precision": "day",
            "reached": "",
            **periods_ends(r, ("proposed", "stage_entered")),
        }
    for uc, first in (
        only(RiskAssessment.objects.order_by())
        .values("use_case_id")
        .annotate(first=Min("assessed_at"))
        .values_list("use_case_id", "first")
    ):
        if uc in facts:
            facts[uc]["first_assessed_on"] = timezone.localdate(first)
    for r in (
        only(StageChange.objects.order_by())
        .values("use_case_id")
        .annotate(
            created=Min("on", filter=Q(from_stage="")),
            # the first change is the only one an import writes, so the only one whose
            # day may be unknown or partial; aiom's own moves are known to the day
            created_precision=Max("on_precision", filter=Q(from_stage="")),
            first_to=Max("to_stage", filter=Q(from_stage="")),
            entered_pilot=Min("on", filter=Q(to_stage=pilot)),
            piloted=Count("pk", filter=Q(to_stage=pilot)),
            scaled=Count("pk", filter=Q(from_stage=pilot, to_stage=scaling)),
            stops=Count("pk", filter=Q(from_stage=pilot, to_stage=stopped)),
            last_rejected=Max("on", filter=Q(to_stage=rejected)),
            op_in=Max("on", filter=Q(to_stage=operational)),
            op_out=Max("on", filter=Q(from_stage=operational)),
        )
    ):
        row = facts.get(r["use_case_id"])
        if row is None:
            continue
        left = r["op_out"] if r["op_in"] and r["op_out"] and r["op_out"] >= r["op_in"] else None
        precision = r["created_precision"] or "day"
        started, pilot_precision = r["entered_pilot"], "day" if r["piloted"] else ""
        if r["first_to"] == pilot:  # entered pilot on its first change: maybe unknown
            started, pilot_precision = r["created"], precision
        row.update(
            created_on=r["created"],
            created_precision=precision,
            pilot_started_on=started,
            pilot_started_precision=pilot_precision,
            pilot_outcome="scaled" if r["scaled"] else "stopped" if r["stops"] else "",
            rejected_on=r["last_rejected"],
            operational_from=r["op_in"],
            operational_until=left,
        )
        row.update(periods_ends(row, ("created",)))
    reached: dict[int, list[str]] = {}
    for uc, stage in (
        only(StageChange.objects.order_by()).values_list("use_case_id", "to_stage").distinct()
    ):
        reached.setdefault(uc, []).append(stage)
    for uc, stages in reached.items():
        if uc in facts:
            facts[uc]["reached"] = reach_text(stages)
    for uc, ends_on, decision in only(PilotPlan.objects.order_by()).values_list(
        "use_case_id", "ends_on", "decision"
    ):
        row = facts.get(uc)
        if row is None:
            continue
        row["pilot_ends_on"] = ends_on
        if row["pilot_outcome"] != "scaled" and decision == PilotDecision.SCALE:
            row["pilot_outcome"] = "scaled"
        elif not row["pilot_outcome"] and decision == PilotDecision.STOP:
            row["pilot_outcome"] = "stopped"
    for uc, due in (
        only(ReviewRequest.objects.filter(status=ReviewStatus.OPEN).order_by())
        .values("use_case_id")
        .annotate(due=Min("due_on"))
        .values_list("use_case_id", "due")
    ):
        if uc in facts:
            facts[uc]["review_overdue_from"] = due
    for uc, last, cadence in (
        only(KPI.objects.order_by())
        .filter(is_active=True, baseline__isnull=False, target__isnull=False)
        .exclude(last_measured_on__isnull=True)
        .values_list("use_case_id", "last_measured_on", "cadence_days")
    ):
        row = facts.get(uc)
        if row is not None:
            until = last + dt.timedelta(days=cadence)
            if row["kpi_measured_until"] is None or until > row["kpi_measured_until"]:
                row["kpi_measured_until"] = until
    return facts


def periods_ends(row: dict[str, Any], names: Iterable[str]) -> dict[str, dt.date | None]:
    """`<name>_until`: the last day of the period `<name>_on` (at `<name>_precision`) is
    known to, None when it is unknown."""
    ends: dict[str, dt.date | None] = {}
    for name in names:
        day = row[f"{name}_on"]
        ends[f"{name}_until"] = None if day is None else end_of(day, row[f"{name}_precision"])
    return ends


def reach_text(stages: Iterable[str]) -> str:
    """The stages a use case's stage changes entered, as `reached` keeps them."""
    return ",".join(sorted(set(stages)))


def store(facts: dict[int, dict[str, Any]]) -> None:
    """Insert or overwrite these use cases' rows (an upsert, safe against a concurrent one)."""
    rows = [UseCaseFacts(use_case_id=pk, **values) for pk, values in facts.items()]
    UseCaseFacts.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["use_case"],
        update_fields=FIELDS,
    )


def refresh(ids: Collection[int]) -> None:
    """Recompute and store the facts of `ids` now (inside the caller's transaction)."""
    for batch in _chunks(sorted(set(ids))):
        store(compute(batch))


_checked: ContextVar[str | None] = ContextVar("aiom_facts_checked", default=None)


def touch(ids: Iterable[int]) -> None:
    """These use cases changed: their facts are recomputed just before this transaction
    commits (outside one: marked stale and refreshed now)."""
    touched = {int(i) for i in ids if i is not None}
    if not touched:
        return
    _checked.set(None)
    if before_commit.defer(TOUCHED, touched, refresh):
        return
    StaleFacts.objects.bulk_create([StaleFacts(use_case_id=pk) for pk in touched])
    _after_commit()


def _after_commit() -> None:
    try:
        current()
    except DatabaseError as exc:  # another writer holds the lock: the next read catches up
        log.warning("facts not refreshed after commit: %s", exc)


def current() -> int:
    """Refresh every stale use case's facts; one cheap query when none is stale.

    Deletes exactly the marks it read, so a mark written meanwhile is kept for next time.
    Checked once per state of the portfolio (the audit head, read once per request or
    figure), again after this process marks a use case stale, and again after a refresh
    made inside a caller's transaction (which may yet roll it back). Returns how many use
    cases were refreshed."""
    # This transaction's writes, seen by its own reads (taken in this savepoint: rolled
    # back with it, they are refreshed again at the commit)
    own = before_commit.take(TOUCHED)
    if own:
        refresh(own)
    state = memo.portfolio_state()
    if _checked.get() == state:
        return len(own)
    done, collisions, marks_done = len(own), 0, False
    while True:
        marks = list(StaleFacts.objects.order_by("pk").values_list("pk", "use_case_id")[:CHUNK])
        if not marks:
            if not marks_done or not connection.in_atomic_block:
                _checked.set(state)
            return done
        ids = {uc for _, uc in marks}
        try:
            with transaction.atomic():
                store(compute(ids))
                StaleFacts.objects.filter(pk__in=[pk for pk, _ in marks]).delete()
        except IntegrityError:  # a use case deleted meanwhile: compute again, without it
            collisions += 1
            if collisions > 3:
                raise
            continue
        done += len(ids)
        marks_done = True


def forget() -> None:
    """Check for stale facts at the next read whatever the state (tests roll back)."""
    _checked.set(None)


def rebuild() -> int:
    """Recompute every use case's facts (after bulk data written behind the services)."""
    with transaction.atomic():
        StaleFacts.objects.all().delete()
        facts = compute()
        for batch in _chunks(facts):
            store({pk: facts[pk] for pk in batch})
    return len(facts)


def verify() -> list[int]:
    """Use cases whose stored facts differ from a recomputation (missing rows included)."""
    current()
    truth = compute()
    stored = {
        row["use_case_id"]: row
        for row in UseCaseFacts.objects.values("use_case_id", *FIELDS).iterator(chunk_size=5000)
    }
    wrong = []
    for pk, values in truth.items():
        have = stored.get(pk)
        if have is None or any(have[f] != values[f] for f in FIELDS):
            wrong.append(pk)
    return sorted(wrong)


def repair() -> list[int]:
    """Recompute the use cases whose facts differ (the daily sweep's safety net for a
    write that marked nothing); returns their ids, normally none."""
    wrong = verify()
    if wrong:
        log.warning("facts of %d use cases differed from their rows; repaired", len(wrong))
        with transaction.atomic():
            refresh(wrong)
    return wrong


def of(scope: Scope, user: Any = None) -> QuerySet[UseCaseFacts]:
    """The facts of the use cases in `scope` that `user` may see, brought up to date.

    The scope filters the facts' own columns; only a viewer who may not see everything
    adds a subquery over the use cases they may see."""
    current()
    fq: FactsQuerySet = UseCaseFacts.objects.filter(scope.q())
    if user is not None:
        fq = fq.filter(in_scope(UseCase.objects.visible_to(user)))
    fq.whole = not fq.query.where
    return fq


def whole(fq: QuerySet[UseCaseFacts]) -> bool:
    """True when `fq` came from every use case's facts (no scope, a viewer who sees
    everything), whatever a figure filtered since: then an index may answer instead of a
    pass over a scope's rows."""
    return isinstance(fq, FactsQuerySet) and fq.whole


def by_entry(fq: QuerySet[UseCaseFacts]) -> QuerySet[UseCaseFacts]:
    """`fq` oldest stage entry first. The whole organisation walks the index on the entry
    day; a scope's rows are sorted instead (the day as an expression, which no index
    serves), so the planner finds them by their unit and never walks 100,000 entries
    testing each one's unit on the way."""
    if whole(fq):
        return fq.order_by("stage_entered_on", "use_case_id")
    day = Concat("stage_entered_on", Value(""), output_field=CharField())
    return fq.order_by(day, "use_case_id")


# -- what marks a use case stale -------------------------------------------------------


def use_case_ids(objs: Iterable[models.Model]) -> set[int]:
    """The use cases these changed rows belong to (those the facts read from)."""
    ids: set[int] = set()
    kpis: set[int] = set()
    for obj in objs:
        if isinstance(obj, UseCase):
            ids.add(obj.pk)
        elif isinstance(obj, Measurement):
            kpis.add(obj.kpi_id)
        elif isinstance(getattr(obj, "use_case_id", None), int):
            ids.add(obj.use_case_id)  # type: ignore[attr-defined]
    if kpis:
        ids |= set(KPI.objects.filter(pk__in=kpis).values_list("use_case_id", flat=True))
    return ids


def on_audit(objs: list[models.Model]) -> None:
    """Audit listener: every audited write marks the use cases it touched."""
    touch(use_case_ids(objs))


SOURCES: tuple[type[models.Model], ...] = (
    UseCase,
    StageChange,
    PilotPlan,
    RiskAssessment,
    ReviewRequest,
    KPI,
    Measurement,
)


def on_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """post_save/post_delete receiver for the models in SOURCES."""
    if sender is UseCase and kwargs.get("signal") is models.signals.post_delete:
        return  # its facts go with it (on delete cascade)
    touch(use_case_ids([instance]))
