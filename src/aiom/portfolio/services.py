"""Every write to use cases and themes: validated, permission-checked, atomic, audited.

Services take model instances or primary keys for references, so the form (instances),
the API and importers (ids) share one validation path and one set of messages.
"""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from aiom.core import audit
from aiom.core.changes import changed_fields
from aiom.core.errors import InvalidInput, PermissionDenied, StaleVersion
from aiom.core.models import AuditEvent
from aiom.core.partial_dates import Precision, start_of
from aiom.core.references import resolve
from aiom.organisation.access import access_for
from aiom.organisation.models import OrgUnit
from aiom.organisation.services import require_admin
from aiom.portfolio import external_ids, hooks, permissions
from aiom.portfolio.models import Theme, UseCase
from aiom.portfolio.vocabulary import (
    DEFAULT_THEMES,
    AIType,
    Environment,
    Sourcing,
    first_stage,
    unknown_stage,
)

User = get_user_model()

TEXT_LIMITS = {
    "title": 500,
    "problem": 10_000,
    "description": 10_000,
    "value_hypothesis": 5_000,
    "risk_notes": 5_000,
    "vendor": 120,
    "external_id": 120,
    "contact": 500,
}
CHOICES = {"ai_type": AIType, "sourcing": Sourcing, "environment": Environment}
FLAGS = ("customer_facing", "personal_data", "automated_decisions", "confidential")
REFERENCES: dict[str, type[models.Model]] = {
    "org_unit": OrgUnit,
    "owner": User,
    "sponsor": User,
    "theme": Theme,
}
EDITABLE = (
    set(TEXT_LIMITS)
    | set(CHOICES)
    | set(FLAGS)
    | set(REFERENCES)
    | {"expected_benefit_amount", "expected_benefit_currency", "proposed_on"}
    | {"proposed_precision", "source_attributes"}
)
CREATABLE = EDITABLE | {"stage", "stage_entered_on", "stage_entered_precision", "external_source"}
# Imports only: the columns a file gave that no mapping read (see inventory.convert).
SOURCE_ATTRIBUTES_LIMIT = 200_000  # characters of JSON per use case
MAX_AMOUNT = Decimal("999999999999.99")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


def snapshot(uc: UseCase) -> dict[str, Any]:
    """The use case as the audit trail freezes it; references keep their name at the time."""

    def ref(obj: models.Model | None) -> dict[str, Any] | None:
        if obj is None:
            return None
        name = obj.get_full_name() if isinstance(obj, User) else ""
        return {"id": obj.pk, "name": name or str(obj)}

    data: dict[str, Any] = {f: getattr(uc, f) for f in (*TEXT_LIMITS, *CHOICES, *FLAGS)}
    data["external_source"] = uc.external_source
    data.update(
        org_unit=ref(uc.org_unit),
        owner=ref(uc.owner),
        sponsor=ref(uc.sponsor),
        theme=ref(uc.theme),
        expected_benefit_amount=(
            None if uc.expected_benefit_amount is None else str(uc.expected_benefit_amount)
        ),
        expected_benefit_currency=uc.expected_benefit_currency,
        stage=uc.stage,
        stage_entered_on=uc.stage_entered_on,
        stage_entered_precision=uc.stage_entered_precision,
        proposed_on=uc.proposed_on,
        proposed_precision=uc.proposed_precision,
        source_attributes=uc.source_attributes,
        version=uc.version,
    )
    return audit.jsonable(data)  # type: ignore[no-any-return]


def clean_fields(values: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    """Check and normalise each given field; add a message per bad field to `errors`."""
    out: dict[str, Any] = {}
    for field, value in values.items():
        if field in ("external_id", "external_source"):
            out[field] = _external(field, value, errors)
        elif field in TEXT_LIMITS:
            text = "" if value is None else str(value).strip()
            if len(text) > TEXT_LIMITS[field]:
                errors[field] = f"at most {TEXT_LIMITS[field]} characters (got {len(text)})"
            out[field] = text
        elif field in CHOICES:
            if value not in CHOICES[field].values:
                errors[field] = f"'{value}' is not one of {', '.join(CHOICES[field].values)}"
            out[field] = value
        elif field in FLAGS:
            if not isinstance(value, bool):
                errors[field] = "expected true or false"
            out[field] = value
        elif field in REFERENCES:
            out[field] = resolve(REFERENCES[field], field, value, errors)
        elif field == "expected_benefit_amount":
            out[field] = _amount(value, errors)
        elif field == "expected_benefit_currency":
            out[field] = str(value or "").strip().upper()
            if out[field] and not _CURRENCY.match(out[field]):
                errors[field] = "a three-letter ISO currency code, such as EUR or USD"
        elif field == "stage":
            if problem := unknown_stage(value):
                errors[field] = problem
            out[field] = value
        elif field in ("proposed_on", "stage_entered_on"):
            if value is None:
                continue  # not given: creation defaults it, an edit leaves it
            if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
                errors[field] = "expected a date (YYYY-MM-DD)"
            elif value > timezone.localdate():
                errors[field] = "cannot be in the future"
            out[field] = value
        elif field in ("proposed_precision", "stage_entered_precision"):
            if value not in Precision.values:
                errors[field] = f"'{value}' is not one of {', '.join(Precision.values)}"
            out[field] = value
        elif field == "source_attributes":
            out[field] = _source_attributes(value, errors)
        else:
            errors[field] = "not a field that can be set"
    return out


def _source_attributes(value: Any, errors: dict[str, str]) -> dict[str, str]:
    """A flat {column: text} object, as an import read it (nothing nested, bounded size)."""
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        errors["source_attributes"] = "an object of column names to text values"
        return {}
    if sum(len(k) + len(v) for k, v in value.items()) > SOURCE_ATTRIBUTES_LIMIT:
        errors["source_attributes"] = f"at most {SOURCE_ATTRIBUTES_LIMIT} characters in all"
    return dict(value)


def _external(field: str, value: Any, errors: dict[str, str]) -> str:
    """An external id or source in its normal form (portfolio.external_ids)."""
    try:
        text = external_ids.normalise(value)
    except external_ids.ControlCharacterError as exc:
        errors[field] = str(exc)
        return ""
    limit = external_ids.LIMIT if field == "external_id" else external_ids.SOURCE_LIMIT
    if len(text) > limit:
        errors[field] = f"at most {limit} characters (got {len(text)})"
    return text


def _claim_external_id(
    actor: audit.Actor, uc: UseCase, errors: dict[str, str], *, check_taken: bool
) -> None:
    """Who may set the id, its key, and (in a source) that no other use case holds it."""
    if not external_ids.may_set(actor):
        errors["external_id"] = external_ids.ONLY_ADMINS
        return
    uc.external_key = external_ids.key_of(uc.external_id)
    if not uc.external_id:
        if uc.external_source:
            errors["external_source"] = "a source needs an external id"
        return
    if not uc.external_source or not check_taken:
        return
    taken = (
        UseCase.objects.filter(external_source=uc.external_source, external_key=uc.external_key)
        .exclude(pk=uc.pk)
        .values_list("pk", flat=True)
        .first()
    )
    if taken is not None:
        errors["external_id"] = (
            f"'{uc.external_id}' is already the external id of use case {taken} "
            f"in source {uc.external_source}"
        )


def _save_claiming(uc: UseCase, **options: Any) -> None:
    """Save; a concurrent claim of the same external id is a refusal, not a crash.

    Only a use case with a source can collide (the unique key is per source): the others
    save without the savepoint that turns the collision into a refusal."""
    if not uc.external_source:
        uc.save(**options)
        return
    try:
        with transaction.atomic():
            uc.save(**options)
    except IntegrityError as exc:
        raise InvalidInput(
            {"external_id": f"'{uc.external_id}' was just taken in source {uc.external_source}"}
        ) from exc


def _amount(value: Any, errors: dict[str, str]) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        errors["expected_benefit_amount"] = f"'{value}' is not a number"
        return None
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        errors["expected_benefit_amount"] = "a non-negative amount below one trillion"
        return None
    return amount.quantize(Decimal("0.01"))


def check_people(uc: UseCase, errors: dict[str, str], require_owner: bool) -> None:
    if uc.owner is None:
        if require_owner:
            errors["owner"] = "every use case needs one accountable business owner"
    elif not uc.owner.is_active:
        errors["owner"] = f"{uc.owner.get_username()} is not an active user"
    elif access_for(uc.owner).is_external:
        errors["owner"] = "an external partner cannot be the accountable owner"
    if uc.sponsor is not None and not uc.sponsor.is_active:
        errors["sponsor"] = f"{uc.sponsor.get_username()} is not an active user"
    entered, proposed = uc.stage_entered_on, uc.proposed_on
    # partial dates are their period's first day: 2022 (a year) may hold a 2022-03 proposal
    if (
        entered is not None
        and proposed is not None
        and start_of(proposed, uc.stage_entered_precision) > entered
    ):
        errors["stage_entered_on"] = "cannot be before the proposal date"


def build_use_case(
    *,
    actor: audit.Actor,
    require_owner: bool,
    check_taken: bool = True,
    dates_from_source: bool = False,
    **fields: Any,
) -> UseCase:
    """An unsaved, fully validated use case, or InvalidInput naming each bad field.

    The one validation path: `create_use_case` saves what this builds, the bulk importer
    saves many at once (it has looked the external ids up itself: `check_taken=False`;
    the database constraint is the last word). A use case proposed in aiom was proposed
    today; one from a source (`dates_from_source`: imports) keeps the source's dates, and
    a date the source does not give stays unknown (None), never the import day.
    """
    errors: dict[str, str] = {}
    unknown = set(fields) - CREATABLE
    errors.update(dict.fromkeys(sorted(unknown), "not a field that can be set"))
    values = clean_fields({k: v for k, v in fields.items() if k in CREATABLE}, errors)
    if not values.get("title"):
        errors.setdefault("title", "a use case needs a title")
    if values.get("org_unit") is None:
        errors.setdefault("org_unit", "a use case belongs to an org unit")
    if errors:
        raise InvalidInput(errors)
    values.setdefault("stage", first_stage())  # the policy's first stage, not the field's
    uc = UseCase(**values)
    uc.proposed_by = actor if actor is not None and actor.is_authenticated else None
    if dates_from_source:
        uc.proposed_on = values.get("proposed_on")
        uc.stage_entered_on = values.get("stage_entered_on")
    else:
        uc.proposed_on = values.get("proposed_on") or timezone.localdate()
        uc.stage_entered_on = values.get("stage_entered_on") or uc.proposed_on
    if uc.expected_benefit_amount is not None and not uc.expected_benefit_currency:
        uc.expected_benefit_currency = settings.AIOM_DEFAULT_CURRENCY
    check_people(uc, errors, require_owner)
    if uc.external_id or uc.external_source:
        _claim_external_id(actor, uc, errors, check_taken=check_taken)
    if errors:
        raise InvalidInput(errors)
    return uc


@transaction.atomic
def create_use_case(
    *, actor: audit.Actor, require_owner: bool = True, message: str = "", **fields: Any
) -> UseCase:
    """Propose a use case. Imports pass require_owner=False: a missing owner is a gap to show."""
    if actor is not None and not permissions.can_create(actor):
        raise PermissionDenied("only people inside the organisation can propose use cases")
    uc = build_use_case(actor=actor, require_owner=require_owner, **fields)
    _save_claiming(uc, force_insert=True)
    audit.record(actor=actor, action="create", obj=uc, after=snapshot(uc), message=message)
    hooks.emit(hooks.CREATED, uc, actor=actor, reason=message or "proposed")
    return uc


@transaction.atomic
def update_use_case(
    *,
    actor: audit.Actor,
    use_case: UseCase,
    expected_version: int | None = None,
    message: str = "",
    **changes: Any,
) -> UseCase:
    """Change a use case's facts. Stage moves are transitions, not edits.

    With `expected_version`, an edit based on an older version is refused (StaleVersion),
    naming what changed since, so two people cannot silently overwrite each other.
    """
    uc = UseCase.objects.select_for_update(of=("self",)).with_relations().get(pk=use_case.pk)
    if actor is not None and not permissions.can_edit(actor, uc):
        raise PermissionDenied("only the owner, sponsor, unit lead or an administrator may edit")
    before = snapshot(uc)
    if expected_version is not None and expected_version != uc.version:
        changed = _changed_since(uc, expected_version, before)
        raise StaleVersion(expected_version, uc.version, changed)
    errors: dict[str, str] = {}
    for field in sorted(set(changes) - EDITABLE):
        errors[field] = (
            "stage changes go through a lifecycle transition"
            if field == "stage"
            else "not a field that can be changed"
        )
    values = clean_fields({k: v for k, v in changes.items() if k in EDITABLE}, errors)
    if values.get("external_id", uc.external_id) == uc.external_id:
        values.pop("external_id", None)  # sent back unchanged: anyone may do that
    if "title" in values and not values["title"]:
        errors["title"] = "a use case needs a title"
    if "org_unit" in values and values["org_unit"] is None and "org_unit" not in errors:
        errors["org_unit"] = "a use case belongs to an org unit"
    if errors:
        raise InvalidInput(errors)
    if values.get("proposed_on", uc.proposed_on) != uc.proposed_on:
        # a day typed by a person is a day; a partial date keeps its precision only as given
        values.setdefault("proposed_precision", Precision.DAY)
    for field, value in values.items():
        setattr(uc, field, value)
    if uc.expected_benefit_amount is not None and not uc.expected_benefit_currency:
        uc.expected_benefit_currency = settings.AIOM_DEFAULT_CURRENCY
    check_people(uc, errors, require_owner="owner" in values)
    if "external_id" in values:
        if not uc.external_id:
            uc.external_source = ""  # no id, no source
        _claim_external_id(actor, uc, errors, check_taken=True)
    if errors:
        raise InvalidInput(errors)
    after = snapshot(uc)
    if {k: v for k, v in after.items() if k != "version"} == {
        k: v for k, v in before.items() if k != "version"
    }:
        return uc  # nothing changed: no new version, no event
    uc.version += 1
    uc.updated_at = timezone.now()
    _save_claiming(uc)
    after["version"] = uc.version
    audit.record(actor=actor, action="update", obj=uc, before=before, after=after, message=message)
    hooks.emit(hooks.FACTS_CHANGED, uc, actor=actor, before=before, after=after)
    return uc


def _changed_since(uc: UseCase, version: int, current: dict[str, Any]) -> dict[str, Any]:
    """Fields whose value differs from what they were at `version`, from the audit trail."""
    events = AuditEvent.objects.filter(
        object_type=UseCase._meta.label_lower, object_id=str(uc.pk)
    ).order_by("seq")
    at_version: dict[str, Any] | None = None
    for event in events:
        after = event.after if isinstance(event.after, dict) else {}
        if after.get("version") == version:
            at_version = after
    if at_version is None:
        return {}
    return {
        k: {"was": at_version.get(k), "now": v}
        for k, v in current.items()
        if k != "version" and at_version.get(k) != v
    }


def theme_snapshot(theme: Theme) -> dict[str, Any]:
    return {
        "key": theme.key,
        "name": theme.name,
        "description": theme.description,
        "is_active": theme.is_active,
        "position": theme.position,
        "objective": theme.objective,
        "targets": theme.targets,
    }


@transaction.atomic
def create_theme(
    *, actor: audit.Actor, key: str, name: str, description: str = "", position: int = 0
) -> Theme:
    require_admin(actor, "manage strategic themes")
    errors: dict[str, str] = {}
    if not re.match(r"^[a-z0-9][a-z0-9-]{0,59}$", key or ""):
        errors["key"] = "lower-case letters, digits and dashes, up to 60"
    elif Theme.objects.filter(key=key).exists():
        errors["key"] = f"the key '{key}' is taken"
    if not name.strip() or len(name) > 120:
        errors["name"] = "a name of 1 to 120 characters is needed"
    elif Theme.objects.filter(name__iexact=name.strip()).exists():
        errors["name"] = f"a theme named '{name.strip()}' exists"
    if errors:
        raise InvalidInput(errors)
    theme = Theme.objects.create(
        key=key, name=name.strip(), description=description, position=position
    )
    audit.record(actor=actor, action="create", obj=theme, after=theme_snapshot(theme))
    return theme


@transaction.atomic
def update_theme(*, actor: audit.Actor, theme: Theme, **changes: Any) -> Theme:
    """Change a theme; `targets` is a list of {metric, target, unit, by} (by: YYYY-MM-DD)."""

    def _theme_targets(rows: Any) -> list[dict[str, Any]]:
        """Validated targets: a metric, a number, an optional unit and an optional ISO date."""
        if not isinstance(rows, list) or len(rows) > 20:
            raise InvalidInput({"targets": "a list of at most 20 {metric, target, unit, by}"})
        errors: dict[str, str] = {}
        out: list[dict[str, Any]] = []
        for i, row in enumerate(rows):
            if not isinstance(row, dict) or set(row) - {"metric", "target", "unit", "by"}:
                errors[f"targets[{i}]"] = "expected {metric, target, unit, by}"
                continue
            metric = str(row.get("metric") or "").strip()
            unit = str(row.get("unit") or "").strip()
            by = str(row.get("by") or "").strip()
            try:
                target = Decimal(str(row.get("target")).strip())
                if not target.is_finite() or abs(target) > MAX_AMOUNT:
                    raise InvalidOperation
            except InvalidOperation:
                errors[f"targets[{i}].target"] = "a number is needed"
                continue
            if not metric or len(metric) > 200:
                errors[f"targets[{i}].metric"] = "a metric of 1 to 200 characters is needed"
            if len(unit) > 40:
                errors[f"targets[{i}].unit"] = "at most 40 characters"
            if by:
                try:
                    by = dt.date.fromisoformat(by).isoformat()
                except ValueError:
                    errors[f"targets[{i}].by"] = "a date (YYYY-MM-DD) or nothing"
            number: int | float = int(target) if target == target.to_integral() else float(target)
            out.append({"metric": metric, "target": number, "unit": unit, "by": by})
        if errors:
            raise InvalidInput(errors)
        return out

    require_admin(actor, "manage strategic themes")
    allowed = {"name", "description", "is_active", "position", "objective", "targets"}
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput(dict.fromkeys(sorted(unknown), "not a field that can be changed"))
    if "name" in changes:
        name = str(changes["name"] or "").strip()
        if not name or len(name) > 120:
            raise InvalidInput({"name": "a name of 1 to 120 characters is needed"})
        if Theme.objects.filter(name__iexact=name).exclude(pk=theme.pk).exists():
            raise InvalidInput({"name": f"a theme named '{name}' exists"})
        changes["name"] = name
    if "objective" in changes:
        changes["objective"] = str(changes["objective"] or "").strip()
        if len(changes["objective"]) > 2_000:
            raise InvalidInput({"objective": "at most 2000 characters"})
    if "targets" in changes:
        changes["targets"] = _theme_targets(changes["targets"])
    before = theme_snapshot(theme)
    if not changed_fields(theme, changes):
        return theme  # nothing changed: no save, no event
    for field, value in changes.items():
        setattr(theme, field, value)
    theme.save()
    audit.record(
        actor=actor, action="update", obj=theme, before=before, after=theme_snapshot(theme)
    )
    return theme


def ensure_default_themes(*, actor: audit.Actor = None) -> int:
    """Create the five default themes that are missing; returns how many were made."""
    made = 0
    for position, (key, name, description) in enumerate(DEFAULT_THEMES):
        if not Theme.objects.filter(key=key).exists():
            create_theme(
                actor=actor, key=key, name=name, description=description, position=position
            )
            made += 1
    return made
