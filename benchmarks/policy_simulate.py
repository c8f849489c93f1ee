"""How long simulating a policy change takes (figures, not assertions).

One draft lowers both tier thresholds, shortens pilots and switches the operating
structure to centralized; another only switches to decentralized. Both are simulated over
the demo portfolio, then over N generated use cases (default 10,000) in 20 org units with
scoped reviewers, made through the services; their risk assessments and pilot plans are
written with the ORM from `scoring.score`, since the assessment service is not what is
measured here. The reviewer roster is the whole database's, demo people included.

    .venv/bin/python benchmarks/policy_simulate.py [N]
"""

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time

os.environ.setdefault("AIOM_VAR_DIR", tempfile.mkdtemp(prefix="aiom-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aiom.settings")
os.environ.setdefault("AIOM_ALLOWED_HOSTS", "testserver")

import django

django.setup()

import yaml  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import QuerySet  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from aiom.demo.loader import load_demo  # noqa: E402
from aiom.governance.assessments.scoring import score  # noqa: E402
from aiom.governance.models import RiskAssessment  # noqa: E402
from aiom.governance.policy.schema import Policy  # noqa: E402
from aiom.governance.policy.simulate import Simulation, simulate  # noqa: E402
from aiom.governance.policy.versions import DEFAULT_POLICY_PATH, active_policy, load_text  # noqa: E402
from aiom.lifecycle.models import PilotPlan  # noqa: E402
from aiom.organisation import services as org  # noqa: E402
from aiom.organisation.models import Role  # noqa: E402
from aiom.portfolio import services as portfolio  # noqa: E402
from aiom.portfolio.models import UseCase  # noqa: E402

ACTIVE_STAGES = ["intake", "feasibility", "risk_review", "pilot", "scaling", "operational"]
RANDOM = random.Random(20261127)


def drafts() -> list[Policy]:
    base = yaml.safe_load(DEFAULT_POLICY_PATH.read_text(encoding="utf-8"))
    stricter = {**base, "name": "stricter tiers, shorter pilots, centralized reviews"}
    stricter["structure"] = "centralized"
    stricter["scoring"] = {**base["scoring"], "thresholds": {"medium": 0.18, "high": 0.4}}
    stricter["pilot"] = {**base["pilot"], "max_days": 90}
    local = {**base, "name": "decentralized reviews", "structure": "decentralized"}
    return [load_text(yaml.safe_dump(d, sort_keys=False)) for d in (stricter, local)]


def random_answers(policy: Policy) -> dict[str, str | list[str]]:
    answers: dict[str, str | list[str]] = {}
    for q in policy.questionnaire:
        keys = [a.key for a in q.answers]
        if q.key == "prohibited_practices":
            answers[q.key] = [RANDOM.choice(keys[1:])] if RANDOM.random() < 0.01 else ["none"]
        elif q.type == "multiple":
            answers[q.key] = RANDOM.sample(keys, RANDOM.randint(1, 2))
        else:
            answers[q.key] = RANDOM.choice(keys)
    return answers


def assess_and_plan(cases: list[UseCase], today: dt.date) -> None:
    """Current assessments for ~90% of the use cases, pilot plans for pilots (ORM, bench only)."""
    active = active_policy()
    assessments, plans = [], []
    for uc in cases:
        if RANDOM.random() < 0.9:
            answers = random_answers(active.policy)
            s = score(active.policy, answers)
            assessments.append(
                RiskAssessment(
                    use_case=uc,
                    answers=answers,
                    impact_raw=s.impact_raw,
                    impact_max=s.impact_max,
                    mitigation_raw=s.mitigation_raw,
                    mitigation_max=s.mitigation_max,
                    score=s.score,
                    computed_tier=s.computed_tier,
                    tier=s.computed_tier,
                    decided_by=s.decided_by,
                    prohibited=s.prohibited,
                    prohibited_reasons=list(s.prohibited_reasons),
                    duties=list(s.duties),
                    policy_version=active.version,
                    stage_at_assessment=uc.stage,
                    assessed_at=timezone.now() - dt.timedelta(days=RANDOM.randint(0, 400)),
                )
            )
            uc.tier = s.computed_tier
        if uc.stage in ("risk_review", "pilot"):
            starts = today - dt.timedelta(days=RANDOM.randint(0, 150))
            ends = starts + dt.timedelta(days=RANDOM.randint(30, 120))
            plans.append(
                PilotPlan(
                    use_case=uc,
                    exit_criteria=[{"metric": "hours saved", "baseline": 10, "target": 6}],
                    starts_on=starts if uc.stage == "pilot" else None,
                    ends_on=ends,
                    original_ends_on=ends,
                    policy_version=active.version,
                )
            )
    with transaction.atomic():
        RiskAssessment.objects.bulk_create(assessments, batch_size=1000)
        PilotPlan.objects.bulk_create(plans, batch_size=1000)
        UseCase.objects.bulk_update(cases, ["tier"], batch_size=1000)


def generate(n: int, today: dt.date) -> QuerySet[UseCase]:
    with transaction.atomic():
        root = org.create_org_unit(actor=None, name="Bench Group")
        units = [org.create_org_unit(actor=None, name=f"Unit {i}", parent=root) for i in range(20)]
        owner = org.create_person(actor=None, username="bench-owner", org_unit=units[0])
        for i, unit in enumerate(units):
            reviewer = org.create_person(actor=None, username=f"bench-rr-{i}", org_unit=unit)
            org.assign_role(actor=None, user=reviewer, role=Role.RISK_REVIEWER, org_unit=unit)
            if i % 2 == 0:
                org.assign_role(actor=None, user=reviewer, role=Role.AI_EXPERT, org_unit=unit)
    started = time.perf_counter()
    for start in range(0, n, 500):
        with transaction.atomic():
            for i in range(start, min(n, start + 500)):
                portfolio.create_use_case(
                    actor=None,
                    title=f"Generated use case {i}",
                    problem="A business problem described in enough words to pass the gate.",
                    value_hypothesis="Saves time." if i % 3 else "",
                    org_unit=units[i % 20],
                    owner=owner,
                    stage=ACTIVE_STAGES[i % len(ACTIVE_STAGES)],
                )
    print(f"built {n} use cases through services in {time.perf_counter() - started:.1f}s")
    found = UseCase.objects.filter(org_unit__path__startswith=root.path)
    assess_and_plan(list(found), today)
    return found


def timed(draft: Policy, use_cases: QuerySet[UseCase] | None, runs: int = 5) -> Simulation:
    print(f" draft: {draft.name}")
    samples, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = simulate(draft, use_cases=use_cases)
        samples.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        simulate(draft, use_cases=use_cases)
    assert result is not None
    counts = {k: v for k, v in result.summary().items() if v}
    print(
        f"   {result.use_cases} use cases: median {statistics.median(samples) * 1000:.0f} ms, "
        f"max {max(samples) * 1000:.0f} ms over {runs} runs, {len(queries)} queries"
    )
    print(f"   differences: {counts}")
    return result


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    today = timezone.localdate()
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    summary = load_demo()
    if not RiskAssessment.objects.exists():
        assess_and_plan(list(UseCase.objects.all()), today)
        print(f"demo: {summary.use_cases} use cases (assessments and pilot plans added here)")
    print("demo portfolio")
    for draft in drafts():
        timed(draft, None)
    generated = generate(n, today)
    print(f"generated portfolio (N={n}, 20 units with scoped reviewers)")
    for draft in drafts():
        timed(draft, generated)


if __name__ == "__main__":
    main()
