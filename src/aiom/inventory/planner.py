"""Decide, without writing, what an import would do to each row and which org units it needs.

Everything the rows refer to is looked up in bulk (use cases by external id in chunks,
all org units, users by e-mail, themes), so planning costs a handful of queries however
long the file. Caveat: the plan is only as fresh as those lookups; the real run re-plans.

A row updates only the use case that its own source gave the same external id (compared
by key: portfolio.external_ids), and only one the importing actor can see. A use case of
another source (or one whose id was set by hand) with the same id is never touched: if
the source has its own, that one is updated and the other named in a warning; if not,
the row is refused (which was meant is ambiguous) naming the id and the use case.
"""

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User

from aiom.core import audit
from aiom.inventory import owners
from aiom.inventory.convert import ORG_CODE_LIMIT, Planned
from aiom.inventory.date_columns import DATE_VALUES, proposal_changes
from aiom.inventory.mapping import key
from aiom.inventory.report import Problem, Report
from aiom.organisation.access import access_for
from aiom.organisation.models import OrgUnit
from aiom.portfolio.external_ids import describe_source, key_of
from aiom.portfolio.models import Theme, UseCase
from aiom.portfolio.vocabulary import STAGE_LABELS

CHUNK = 500
Path = tuple[str, ...]  # casefolded unit names from the top down


@dataclass
class NewUnit:
    name: str
    code: str
    parent: Path | None  # a planned parent, or None when the parent exists (see `under`)
    under: OrgUnit | None  # an existing parent (None with parent None: the top level)


@dataclass
class Action:
    plan: Planned
    unit_path: Path
    existing: UseCase | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    owner: User | None = None


@dataclass
class Plan:
    actions: list[Action] = field(default_factory=list)
    new_units: dict[Path, NewUnit] = field(default_factory=dict)
    units: dict[Path, OrgUnit] = field(default_factory=dict)
    root: OrgUnit | None = None
    root_name: str = ""


class Planner:
    def __init__(
        self,
        report: Report,
        root_name: str = "",
        actor: audit.Actor = None,
        owners_table: dict[str, str] | None = None,
    ) -> None:
        self.report = report
        self.actor = actor
        self.out = Plan(root_name=root_name.strip())
        self.by_parent: dict[tuple[int | None, str], OrgUnit] = {}
        self.codes: set[str] = set()
        for unit in OrgUnit.objects.all():
            self.by_parent[(unit.parent_id, key(unit.name))] = unit
            self.codes.add(unit.code)
        if self.out.root_name:
            self.out.root = self.by_parent.get((None, key(self.out.root_name)))
            if self.out.root is None:
                self._new((), self.out.root_name, self.out.root_name, None, None)
        self.directory = owners.directory(owners_table or {})
        report.problems += [Problem(0, "owners", p) for p in self.directory.problems]
        self.themes = {key(t.key): t for t in Theme.objects.all()}
        self.themes.update({key(t.name): t for t in Theme.objects.all()})

    def plan(self, rows: list[Planned]) -> Plan:
        keys = sorted({key_of(r.external_id) for r in rows})
        holders: dict[str, list[UseCase]] = {}
        for i in range(0, len(keys), CHUNK):
            found = UseCase.objects.filter(external_key__in=keys[i : i + CHUNK]).order_by("pk")
            for uc in found:
                holders.setdefault(uc.external_key, []).append(uc)
        visible = self._visible([uc.pk for ucs in holders.values() for uc in ucs])
        for row in rows:
            same = holders.get(key_of(row.external_id), [])
            existing, refusal = self._match(row, same, visible)
            if refusal:
                row.problems.append(Problem(row.line, "external id", refusal))
                continue
            path = self._unit_path(row)
            action = Action(row, path, existing)
            self._resolve(action)
            self.out.actions.append(action)
        return self.out

    def _visible(self, pks: list[int]) -> set[int] | None:
        """Which of these use cases the importing actor sees (None: the system sees all)."""
        if self.actor is None:
            return None
        seen: set[int] = set()
        for i in range(0, len(pks), CHUNK):
            chunk = UseCase.objects.visible_to(self.actor).filter(pk__in=pks[i : i + CHUNK])
            seen.update(chunk.values_list("pk", flat=True))
        return seen

    def _match(
        self, row: Planned, same: list[UseCase], visible: set[int] | None
    ) -> tuple[UseCase | None, str]:
        """The use case this row updates (None: create one), or why the row is refused."""
        own = [uc for uc in same if uc.external_source == row.source]
        other = [uc for uc in same if uc.external_source != row.source]
        theirs = ", ".join(
            f"use case {uc.pk} ({describe_source(uc.external_source)})" for uc in other
        )
        if len(own) > 1:
            both = " and ".join(f"use case {uc.pk}" for uc in own)
            return None, (
                f"ambiguous: external id {row.external_id} is on {both} "
                f"({describe_source(row.source)}); not imported: give one of them another id"
            )
        if own:
            if visible is not None and own[0].pk not in visible:
                return None, (
                    f"external id {row.external_id} belongs to a use case you cannot see: "
                    "not imported"
                )
            if other:
                row.problems.append(
                    Problem(
                        row.line,
                        "external id",
                        f"external id {row.external_id} is also on {theirs}: left alone; "
                        f"only use case {own[0].pk} ({describe_source(row.source)}) is updated",
                        False,
                    )
                )
            return own[0], ""
        if other:
            return None, (
                f"ambiguous: external id {row.external_id} is already on {theirs}, which "
                f"this import ({describe_source(row.source)}) did not create: not imported, "
                "not updated; give that use case another id, or clear it"
            )
        return None, ""

    def _unit_path(self, row: Planned) -> Path:
        base: Path = (key(self.out.root_name),) if self.out.root_name else ()
        parent_unit = self.out.root
        parent_path: Path | None = base if self.out.root is None and base else None
        path = base
        for name, code in row.org_path:
            path = (*path, key(name))
            if path in self.out.units or path in self.out.new_units:
                parent_unit = self.out.units.get(path)
                parent_path = None if parent_unit else path
                continue
            found = None
            if parent_path is None:
                found = self.by_parent.get((parent_unit.pk if parent_unit else None, key(name)))
            if found is not None:
                self.out.units[path] = found
                parent_unit, parent_path = found, None
            else:
                self._new(path, name, code, parent_path, parent_unit)
                parent_unit, parent_path = None, path
        return path

    def _new(self, path: Path, name: str, code: str, parent: Path | None, under: Any) -> None:
        path = path or (key(name),)
        base = code or "unit"
        candidate, n = base, 1
        while candidate in self.codes:
            n += 1
            candidate = f"{base[: ORG_CODE_LIMIT - len(str(n)) - 1]}-{n}"
        self.codes.add(candidate)
        self.out.new_units[path] = NewUnit(name, candidate, parent, under)
        shown = " / ".join(
            u.name for p, u in self.out.new_units.items() if path[: len(p)] == p and p != path
        )
        label = f"{under.name} / " if under is not None else ""
        self.report.org_units_to_create.append(
            f"{label}{shown + ' / ' if shown else ''}{name} ({candidate})"
        )

    def _resolve(self, action: Action) -> None:
        row, uc = action.plan, action.existing
        owner, partners, contact = owners.match(
            self.directory, row.owner_email, row.contact, lambda u: not access_for(u).is_external
        )
        for named in partners:
            row.problems.append(
                Problem(row.line, "owner", f"{named} is an external partner: not owner", False)
            )
        action.owner = owner
        if contact:  # the source's contact, when it is nobody in aiom
            row.values["contact"] = contact
            self.report.contacts_kept += 1
        theme = row.values.pop("theme", None)
        if theme:
            found = self.themes.get(key(theme))
            if found is None:
                row.problems.append(Problem(row.line, "theme", f"no theme '{theme}'", False))
            else:
                row.values["theme"] = found
        if uc is None:
            return
        unit = self.out.units.get(action.unit_path)
        if unit is None or unit.pk != uc.org_unit_id:
            action.changes["org_unit"] = unit
        for fname, value in row.values.items():
            if fname in DATE_VALUES or value is None:
                continue  # dates below; the stage entry is the lifecycle's to change
            current = getattr(uc, fname)
            if current != value:
                action.changes[fname] = value
        action.changes.update(proposal_changes(uc, row.values))
        if uc.owner_id is None and action.owner is not None:
            action.changes["owner"] = action.owner
        if uc.stage != row.stage:
            self.report.stage_differences.append(
                f"line {row.line} {row.external_id}: stage differs: file says "
                f"{STAGE_LABELS.get(row.stage, row.stage)} ('{row.source_stage or 'blank'}'), "
                f"aiom has {STAGE_LABELS.get(uc.stage, uc.stage)}"
            )
