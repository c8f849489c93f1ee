"""Every write to the technology registry: validated, permission-checked, atomic, audited.

Records (vendors, models, platforms) share one create and one update path, driven by
the field parsers in `cleaning`; links from use cases to records share one link and one
unlink. Link events are recorded on the use case (its timeline shows them), record
events on the record.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone

from aiom.core import audit
from aiom.core.changes import changed_fields
from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.portfolio import permissions as uc_permissions
from aiom.portfolio.models import UseCase
from aiom.technology import permissions
from aiom.technology.cleaning import FIELDS, clean
from aiom.technology.models import (
    AIModel,
    LinkBase,
    ModelStatus,
    Platform,
    UseCaseModel,
    UseCasePlatform,
    UseCaseVendor,
    Vendor,
)

User = get_user_model()
Record = AIModel | Platform | Vendor
LINKS: dict[type[models.Model], type[LinkBase]] = {
    AIModel: UseCaseModel,
    Platform: UseCasePlatform,
    Vendor: UseCaseVendor,
}
KIND = {AIModel: "model", Platform: "platform", Vendor: "vendor"}
MAX_PURPOSE = 500


def _ref(obj: Any) -> dict[str, Any] | None:
    if obj is None:
        return None
    name = obj.get_full_name() if isinstance(obj, User) else ""
    return {"id": obj.pk, "name": name or str(obj)}


def snapshot(record: Record) -> dict[str, Any]:
    """The record as the audit trail freezes it; references keep their name at the time."""
    data: dict[str, Any] = {}
    for field in FIELDS[type(record)]:
        if field == "owners":
            owners = record.owners.order_by("pk") if record.pk else []  # type: ignore[union-attr]
            data[field] = [_ref(u) for u in owners]
            continue
        value = getattr(record, field)
        data[field] = _ref(value) if isinstance(value, models.Model) else value
    return audit.jsonable(data)  # type: ignore[no-any-return]


def _check(record: Record, errors: dict[str, str]) -> None:
    """Rules across fields: unique names, contract dates in order, no future evaluation."""
    clash: Any = type(record).objects.filter(name__iexact=record.name)
    if isinstance(record, AIModel):
        clash = clash.filter(version=record.version)
    if record.name and clash.exclude(pk=record.pk).exists():
        what = "that name and version" if isinstance(record, AIModel) else "that name"
        errors.setdefault("name", f"a {KIND[type(record)]} with {what} exists")
    start, end = (
        (record.contract_start, record.contract_end) if isinstance(record, Vendor) else (None, None)
    )
    if start and end and end < start:
        errors.setdefault("contract_end", "the contract cannot end before it starts")
    evaluated_on = record.evaluated_on if isinstance(record, AIModel) else None
    if evaluated_on and evaluated_on > timezone.localdate():
        errors.setdefault("evaluated_on", "cannot be in the future")


def _create(kind: type[Record], actor: audit.Actor, fields: dict[str, Any]) -> Any:
    if not permissions.can_curate(actor):
        raise PermissionDenied("only administrators and AI experts add registry records")
    errors: dict[str, str] = {}
    values = clean(kind, fields, errors)
    owners = values.pop("owners", [])
    record = kind(**values)
    for field in ("name", "model_type") if kind is AIModel else ("name",):
        if field not in fields:
            errors.setdefault(field, "required")
    _check(record, errors)
    if errors:
        raise InvalidInput(errors)
    record.save(force_insert=True)
    if isinstance(record, AIModel):
        record.owners.set(owners)
    audit.record(actor=actor, action="create", obj=record, after=snapshot(record))
    return record


@transaction.atomic
def create_vendor(*, actor: audit.Actor, **fields: Any) -> Vendor:
    """Add a vendor; the name is unique whatever its case."""
    return _create(Vendor, actor, fields)  # type: ignore[no-any-return]


@transaction.atomic
def create_model(*, actor: audit.Actor, **fields: Any) -> AIModel:
    """Add a model at a version; no vendor means built in-house."""
    return _create(AIModel, actor, fields)  # type: ignore[no-any-return]


@transaction.atomic
def create_platform(*, actor: audit.Actor, **fields: Any) -> Platform:
    """Add a shared platform use cases can run on."""
    return _create(Platform, actor, fields)  # type: ignore[no-any-return]


@transaction.atomic
def update_record[R: Record](*, actor: audit.Actor, record: R, **fields: Any) -> R:
    """Change a vendor, model or platform: curators, or the record's own keeper."""
    kind = type(record)
    current: Any = kind.objects.select_for_update().get(pk=record.pk)
    if actor is not None and not permissions.can_change(actor, current):
        raise PermissionDenied(
            f"only its keeper, administrators and AI experts change a {KIND[kind]}"
        )
    before = snapshot(current)
    errors: dict[str, str] = {}
    values = clean(kind, fields, errors)
    owners = values.pop("owners", None)
    changed = changed_fields(current, values | ({} if owners is None else {"owners": owners}))
    for field, value in values.items():
        setattr(current, field, value)
    _check(current, errors)
    if errors:
        raise InvalidInput(errors)
    if not changed:
        return current  # type: ignore[no-any-return]  # nothing changed: no save, no event
    current.save()
    if owners is not None:
        current.owners.set(owners)
    after = snapshot(current)
    if after != before:
        audit.record(actor=actor, action="update", obj=current, before=before, after=after)
    return current  # type: ignore[no-any-return]


def _require_editor(actor: audit.Actor, use_case: UseCase) -> None:
    if actor is not None and not uc_permissions.can_edit(actor, use_case):
        raise PermissionDenied("only those who may edit the use case change what it relies on")


@transaction.atomic
def link(*, actor: audit.Actor, use_case: UseCase, record: Record, purpose: str = "") -> LinkBase:
    """Record that `use_case` relies on `record` (a model, platform or vendor), and how."""
    _require_editor(actor, use_case)
    kind = KIND[type(record)]
    link_model = LINKS[type(record)]
    errors: dict[str, str] = {}
    if isinstance(record, AIModel) and record.status == ModelStatus.DEPRECATED:
        errors[kind] = f"“{record}” is deprecated"
    elif link_model.objects.filter(use_case=use_case, target=record).exists():  # type: ignore[attr-defined]
        errors[kind] = f"“{record}” is already linked"
    purpose = (purpose or "").strip()
    if len(purpose) > MAX_PURPOSE:
        errors["purpose"] = f"at most {MAX_PURPOSE} characters"
    if errors:
        raise InvalidInput(errors)
    made = link_model.objects.create(use_case=use_case, target=record, purpose=purpose)  # type: ignore[attr-defined]
    after = {kind: _ref(record), "purpose": purpose}
    audit.record(actor=actor, action=f"link_{kind}", obj=use_case, after=after)
    return made  # type: ignore[no-any-return]


@transaction.atomic
def unlink(*, actor: audit.Actor, use_case: UseCase, record: Record) -> None:
    """Remove the link between `use_case` and `record`."""
    _require_editor(actor, use_case)
    kind = KIND[type(record)]
    found = LINKS[type(record)].objects.filter(use_case=use_case, target=record).first()  # type: ignore[attr-defined]
    if found is None:
        raise InvalidInput({kind: f"“{record}” is not linked"})
    before = {kind: _ref(record), "purpose": found.purpose}
    found.delete()
    audit.record(actor=actor, action=f"unlink_{kind}", obj=use_case, before=before)
