"""Test data for benchmarks/scale.py: a large, plausible portfolio, written with bulk_create.

Caveat: this is benchmark data, not an application write. It bypasses the services (no
validation, no permission checks, no audit events) to load 100,000 use cases and
1,000,000 KPI measurements in minutes; the app itself never writes this way. Only the
administrator is made through the services. Ids are assigned here (fresh database).
"""

import datetime as dt
import random
import time
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import connection, models, transaction
from django.utils import timezone

from aiom.governance.models import ReviewRequest, RiskAssessment
from aiom.lifecycle.models import PilotPlan, StageChange
from aiom.organisation import services as org
from aiom.organisation.models import OrgUnit, Role
from aiom.portfolio.models import Theme, UseCase
from aiom.portfolio.services import ensure_default_themes
from aiom.portfolio.vocabulary import AIType
from aiom.value.models import KPI, Adoption, Measurement

BATCH = 5000
FORWARD = ["intake", "feasibility", "risk_review", "pilot", "scaling", "operational"]
# current stage -> weight; exits hang off the stage they left
STAGES = {
    "intake": 14, "feasibility": 14, "risk_review": 10, "pilot": 14, "scaling": 9,
    "operational": 22, "retired": 4, "rejected": 7, "stopped": 6,
}  # fmt: skip
EXIT_FROM = {"rejected": "risk_review", "stopped": "pilot", "retired": "operational"}
MEASUREMENTS_PER_KPI = 20


def _save(model: type[models.Model], rows: list[Any]) -> None:
    for start in range(0, len(rows), BATCH):
        model.objects.bulk_create(rows[start : start + BATCH], batch_size=BATCH)  # type: ignore[attr-defined]


def insert_measurements(kpi_ids: list[int], today: dt.date, now: dt.datetime) -> None:
    """The million measurements as plain multi-row INSERTs: model instances cost ~2 min here.

    Still test data only; columns as the model declares them (blank source and note).
    """
    table = Measurement._meta.db_table
    sql = (
        f"INSERT INTO {table} (kpi_id, value, measured_on, source, note, recorded_at) "  # noqa: S608
        "VALUES (%s, %s, %s, '', '', %s)"
    )
    ops = connection.ops
    days = [
        ops.adapt_datefield_value(today - dt.timedelta(days=30 * m))
        for m in range(MEASUREMENTS_PER_KPI)
    ]
    at = ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        for first in range(0, len(kpi_ids), 2000):
            cursor.executemany(
                sql,
                [
                    (k, ops.adapt_decimalfield_value(Decimal(90 + (k * 7 + m) % 40)), day, at)
                    for k in kpi_ids[first : first + 2000]
                    for m, day in enumerate(days)
                ],
            )


def route(stage: str) -> list[str]:
    """The stages a use case went through to reach `stage`, in order."""
    if stage in EXIT_FROM:
        before = EXIT_FROM[stage]
        return [*FORWARD[: FORWARD.index(before) + 1], stage]
    return FORWARD[: FORWARD.index(stage) + 1]


def build(n: int, n_units: int, seed: int = 7) -> tuple[User, list[int]]:
    """Load the portfolio; return the administrator and the org unit ids."""
    rng = random.Random(seed)
    today = timezone.localdate()
    started = time.perf_counter()
    ensure_default_themes()
    admin = org.create_person(actor=None, username="bench-admin", first_name="Bench")
    org.assign_role(actor=None, user=admin, role=Role.ADMINISTRATOR, org_unit=None)
    units = [OrgUnit(id=1, name="Group", code="group", path="/1/", depth=0)]
    divisions = max(1, n_units // 10)
    for i in range(2, n_units + 1):
        parent = units[0] if i <= divisions + 1 else units[1 + i % divisions]
        units.append(
            OrgUnit(
                id=i,
                name=f"Unit {i}",
                code=f"unit-{i}",
                parent_id=parent.pk,
                path=f"{parent.path}{i}/",
                depth=parent.depth + 1,
            )
        )
    _save(OrgUnit, units)
    owners = [User(username=f"owner-{i}", password="!") for i in range(500)]  # noqa: S106
    _save(User, owners)
    owner_ids = list(
        User.objects.filter(username__startswith="owner-").values_list("pk", flat=True)
    )
    themes = list(Theme.objects.values_list("pk", flat=True))
    ai_types = list(AIType.values)
    keys, weights = list(STAGES), list(STAGES.values())
    cases, changes, plans, assessments, reviews = [], [], [], [], []
    now = timezone.now()
    for uid in range(1, n + 1):
        stage = rng.choices(keys, weights)[0]
        path = route(stage)
        proposed = today - dt.timedelta(days=rng.randint(30, 1100))
        days = sorted(
            rng.sample(range(1, max(len(path) + 1, (today - proposed).days)), len(path) - 1)
        )
        dates = [proposed] + [proposed + dt.timedelta(days=d) for d in days]
        realised = None
        if stage in ("scaling", "operational", "retired") and rng.random() < 0.5:
            realised = dates[-1] - dt.timedelta(days=rng.randint(0, 20))
        cases.append(
            UseCase(
                id=uid,
                title=f"Use case {uid} {rng.choice(['claims', 'fraud', 'chatbot', 'forecast'])}",
                org_unit_id=rng.randint(1, n_units),
                owner_id=rng.choice(owner_ids) if rng.random() < 0.93 else None,
                sponsor_id=rng.choice(owner_ids) if rng.random() < 0.7 else None,
                theme_id=rng.choice(themes),
                ai_type=rng.choice(ai_types),
                stage=stage,
                stage_entered_on=dates[-1],
                proposed_on=proposed,
                confidential=rng.random() < 0.08,
                value_realised_on=realised,
                expected_benefit_amount=Decimal(rng.randint(10, 2000) * 1000),
                expected_benefit_currency="EUR",
                tier=rng.choice(["low", "medium", "high"]) if len(path) > 2 else "",
                created_at=now,
                updated_at=now,
            )
        )
        for j, (to, on) in enumerate(zip(path, dates, strict=True)):
            changes.append(
                StageChange(
                    use_case_id=uid,
                    from_stage=path[j - 1] if j else "",
                    to_stage=to,
                    on=on,
                    at=now,
                    actor_name="bench",
                )
            )
        if len(path) > 2:
            tier = cases[-1].tier
            first_stage = "intake" if rng.random() < 0.7 else "risk_review"
            cases[-1].first_assessed_in = first_stage  # as governance.assess keeps it
            assessments.append(
                RiskAssessment(
                    use_case_id=uid,
                    answers={},
                    impact_raw=1,
                    impact_max=10,
                    mitigation_raw=0,
                    mitigation_max=10,
                    score=Decimal("0.1"),
                    computed_tier=tier,
                    tier=tier,
                    decided_by="bench",
                    prohibited=rng.random() < 0.005,
                    policy_version=1,
                    stage_at_assessment=first_stage,
                )
            )
            closed = len(path) > 3 or rng.random() < 0.7
            reviews.append(
                ReviewRequest(
                    use_case_id=uid,
                    from_stage="risk_review",
                    to_stage="pilot",
                    tier=tier,
                    structure="federated",
                    approvers=[],
                    policy_version=1,
                    status="used" if closed else "open",
                    due_on=dates[min(2, len(dates) - 1)] + dt.timedelta(days=10),
                    closed_at=now if closed else None,
                )
            )
        if "pilot" in path:
            start = dates[path.index("pilot")]
            decision = {"pilot": "", "stopped": "stop"}.get(stage, "scale")
            ends = start + dt.timedelta(days=rng.choice([60, 90, 120]))
            plans.append(
                PilotPlan(
                    use_case_id=uid,
                    exit_criteria=[],
                    starts_on=start,
                    ends_on=ends,
                    original_ends_on=ends,
                    decision=decision,
                    policy_version=1,
                    decided_on=dates[path.index("pilot") + 1] if decision else None,
                )
            )
    with transaction.atomic():
        for model, rows in (
            (UseCase, cases),
            (StageChange, changes),
            (PilotPlan, plans),
            (RiskAssessment, assessments),
            (ReviewRequest, reviews),
        ):
            _save(model, rows)
    print(
        f"  use cases, {len(changes):,} stage changes, {len(plans):,} pilot plans, "
        f"{len(assessments):,} assessments, {len(reviews):,} reviews: "
        f"{time.perf_counter() - started:.0f} s"
    )
    measured = [c for c in cases if c.stage in ("pilot", "scaling", "operational", "retired")]
    kpi_cases = (measured * (1 + 50_000 // max(1, len(measured))))[:50_000]
    kpis = [
        KPI(
            id=k + 1,
            use_case_id=c.pk,
            name=f"KPI {k}",
            baseline=Decimal(100),
            target=Decimal(120),
            cadence_days=30,
            last_measured_on=today - dt.timedelta(days=k % 60),
            target_met_on=c.value_realised_on,
        )
        for k, c in enumerate(kpi_cases)
    ]
    adoption = [
        Adoption(
            use_case_id=c.pk,
            period_start=today.replace(day=1) - dt.timedelta(days=31 * m),
            period_end=today.replace(day=1) - dt.timedelta(days=31 * m - 27),
            active_users=rng.randint(5, 500),
            usage=rng.randint(50, 5000),
        )
        for c in cases
        if c.stage == "operational"
        for m in range(3)
    ]
    with transaction.atomic():
        _save(KPI, kpis)
        _save(Adoption, adoption)
        insert_measurements([k.pk for k in kpis], today, now)
    print(
        f"  {len(kpis):,} KPIs, {len(kpis) * MEASUREMENTS_PER_KPI:,} measurements, "
        f"{len(adoption):,} adoption rows: {time.perf_counter() - started:.0f} s in all"
    )
    return admin, [u.pk for u in units]
