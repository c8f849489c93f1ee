"""Load the demo organisation and portfolio through the services, so all of it is audited.

Everything is created with `actor=None` (the system) inside one transaction: a failure
leaves nothing behind. Dates count back from `today`, which must not be after the real
current date, because the services refuse dates in the future.

The demo passwords are hashed with few PBKDF2 iterations while loading (the password is
published anyway), which turns a 14-second load into a one-second one; Django re-hashes
each one with the configured hasher at that person's first login.
"""

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import AbstractUser
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from aiom.catalogue import demo as catalogue_demo
from aiom.change import demo as change_demo
from aiom.core.models import AuditEvent
from aiom.demo.data import (
    ADMIN_USERNAME,
    DEMO_PASSWORD,
    MARKER_CODE,
    PEOPLE,
    SEED,
    UNITS,
    build_use_cases,
)
from aiom.demo.history import Replayer
from aiom.insights.maturity import demo as maturity_demo
from aiom.literacy import demo as literacy_demo
from aiom.monitoring import demo as monitoring_demo
from aiom.obligations import demo as obligations_demo
from aiom.organisation.models import OrgUnit, RoleAssignment
from aiom.organisation.services import assign_role, create_org_unit, create_person, update_org_unit
from aiom.portfolio.models import Theme, UseCase
from aiom.portfolio.services import create_use_case, ensure_default_themes
from aiom.technology import demo as technology_demo
from aiom.transparency import demo as transparency_demo
from aiom.value import demo as value_demo

User = get_user_model()
PBKDF2 = "django.contrib.auth.hashers.PBKDF2PasswordHasher"


@dataclass(frozen=True)
class DemoSummary:
    """What one load created; all zero when the demo was already there."""

    org_units: int = 0
    people: int = 0
    use_cases: int = 0
    audit_events: int = 0
    admin_username: str = ADMIN_USERNAME


class DemoPasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2 with few iterations, for the published demo password only.

    Same algorithm name, so the normal PBKDF2 hasher checks these hashes and, seeing the
    lower iteration count, replaces them at the first successful login.
    """

    iterations = 10_000


def has_demo() -> bool:
    """True once the demo's top org unit exists (even if someone changed the rest since)."""
    return OrgUnit.objects.filter(code=MARKER_CODE).exists()


def database_is_empty() -> bool:
    """No org units, use cases or users. The default themes do not count: migrate makes them."""
    return not (OrgUnit.objects.exists() or UseCase.objects.exists() or User.objects.exists())


def load_demo(*, today: dt.date | None = None) -> DemoSummary:
    """Create the demo org units, people, roles and use cases; skip if already loaded.

    Existing accounts are never touched: a demo username that is taken gets a "-demo"
    suffix instead, and the summary names the administrator's actual username.
    """
    today = today or timezone.localdate()
    if has_demo():
        return DemoSummary()
    events_before = AuditEvent.objects.count()
    hashers = list(settings.PASSWORD_HASHERS)
    if PBKDF2 in hashers:  # only then can the configured hashers check the demo's hashes
        hashers.insert(0, f"{__name__}.{DemoPasswordHasher.__name__}")
    with override_settings(PASSWORD_HASHERS=hashers), transaction.atomic():
        ensure_default_themes(actor=None)
        units = _create_units()
        users = _create_people(units)
        for spec in UNITS:
            units[spec.code] = update_org_unit(
                actor=None, unit=units[spec.code], lead=users[spec.lead]
            )
        use_cases = _create_use_cases(units, users, today)
        _seed_the_rest(today)
    return DemoSummary(
        org_units=len(units),
        people=len(users),
        use_cases=use_cases,
        audit_events=AuditEvent.objects.count() - events_before,
        admin_username=users[ADMIN_USERNAME].get_username(),
    )


def _seed_the_rest(today: dt.date) -> None:
    """KPIs, measurements, adoption, feedback, priorities; data; training; maturity."""
    value_demo.seed(today=today, rng=random.Random(SEED + 1))
    catalogue_demo.seed(today=today, rng=random.Random(SEED + 3))
    literacy_demo.seed(today=today, rng=random.Random(SEED + 4))
    technology_demo.seed(today=today, rng=random.Random(SEED + 5))
    change_demo.seed(today=today, rng=random.Random(SEED + 6))
    obligations_demo.seed(today=today, rng=random.Random(SEED + 7))
    monitoring_demo.seed(today=today, rng=random.Random(SEED + 8))
    transparency_demo.seed(today=today, rng=random.Random(SEED + 9))
    maturity_demo.seed(today=today, rng=random.Random(SEED + 2))


def _create_units() -> dict[str, OrgUnit]:
    units: dict[str, OrgUnit] = {}
    for spec in UNITS:
        parent = units[spec.parent] if spec.parent else None
        name = spec.name
        if OrgUnit.objects.filter(parent=parent, name=name).exists():
            name = f"{name} (demo)"  # only the top unit can meet existing data here
        units[spec.code] = create_org_unit(
            actor=None, name=name, code=spec.code, parent=parent, description=spec.description
        )
    return units


def _free_username(wanted: str) -> str:
    username, n = wanted, 1
    while User.objects.filter(username__iexact=username).exists():
        username = f"{wanted}-demo" if n == 1 else f"{wanted}-demo{n}"
        n += 1
    return username


def _create_people(units: dict[str, OrgUnit]) -> dict[str, AbstractUser]:
    """Keyed by the demo username, whatever the account's actual username turned out to be."""
    users: dict[str, AbstractUser] = {}
    for spec in PEOPLE:
        user = create_person(
            actor=None,
            username=_free_username(spec.username),
            first_name=spec.first_name,
            last_name=spec.last_name,
            email=spec.email,
            org_unit=units[spec.unit] if spec.unit else None,
            job_title=spec.job_title,
            password=DEMO_PASSWORD,
        )
        for role, scope in spec.roles:
            assign_role(actor=None, user=user, role=role, org_unit=units[scope] if scope else None)
        users[spec.username] = user
    return users


def _create_use_cases(
    units: dict[str, OrgUnit], users: dict[str, AbstractUser], today: dt.date
) -> int:
    themes = {theme.key: theme for theme in Theme.objects.all()}
    specs = build_use_cases()
    reviewer_roles = ("ai_expert", "risk_reviewer", "compliance_reviewer")
    reviewer_ids = set(
        RoleAssignment.objects.filter(role__in=reviewer_roles).values_list("user_id", flat=True)
    )
    replayer = Replayer(
        reviewers=[u for u in users.values() if u.pk in reviewer_ids],
        today=today,
        rng=random.Random(SEED),
    )
    for spec in specs:
        proposed_on = today - dt.timedelta(days=spec.proposed_days_ago)
        uc = create_use_case(
            actor=None,
            require_owner=spec.owner is not None,
            message="demo portfolio",
            external_id=spec.external_id,
            title=spec.title,
            problem=spec.problem,
            description=spec.description,
            value_hypothesis=spec.value_hypothesis,
            org_unit=units[spec.unit],
            owner=users[spec.owner] if spec.owner else None,
            sponsor=users[spec.sponsor] if spec.sponsor else None,
            theme=themes[spec.theme],
            ai_type=spec.ai_type,
            sourcing=spec.sourcing,
            vendor=spec.vendor,
            environment=spec.environment,
            customer_facing=spec.customer_facing,
            personal_data=spec.personal_data,
            automated_decisions=spec.automated_decisions,
            risk_notes=spec.risk_notes,
            confidential=spec.confidential,
            stage="intake",
            proposed_on=proposed_on,
            stage_entered_on=proposed_on,
            expected_benefit_amount=(
                None if spec.benefit_eur is None else Decimal(spec.benefit_eur)
            ),
            expected_benefit_currency="EUR" if spec.benefit_eur is not None else "",
        )
        replayer.replay(spec, uc)
    return len(specs)
