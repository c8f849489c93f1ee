"""The crosswalk: for one framework, which use cases meet which referenced obligations.

A reference (e.g. "Art. 14") is cited by one or more obligations. A use case counts for a
reference when it owes at least one of them: open if any is open, met if none is open and
at least one is met, not applicable when all are marked so. Open cases also count as
overdue when an open obligation is due at the stage they are already in. Readiness is
met over met plus open. Two queries over the use cases the viewer may see, whatever
their number.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiom.obligations.derive import MET, NOT_APPLICABLE, OPEN, CaseFacts, open_due, owed
from aiom.obligations.facts import CASE_FIELDS, recorded_for
from aiom.obligations.pack import Obligation, Pack
from aiom.portfolio.models import UseCase
from aiom.portfolio.vocabulary import ACTIVE_STAGES, STAGE_KEYS

OVERDUE = "overdue"  # open, and due at the stage the use case is already in


@dataclass
class Row:
    ref_id: str
    notes: list[str]
    obligations: list[Obligation]
    cases: dict[str, list[tuple[int, str]]] = field(
        default_factory=lambda: {MET: [], OPEN: [], NOT_APPLICABLE: [], OVERDUE: []}
    )

    def count(self, status: str) -> int:
        return len(self.cases[status])

    @property
    def met(self) -> int:
        return self.count(MET)

    @property
    def open(self) -> int:
        return self.count(OPEN)

    @property
    def not_applicable(self) -> int:
        return self.count(NOT_APPLICABLE)

    @property
    def overdue(self) -> int:
        return self.count(OVERDUE)

    @property
    def readiness(self) -> float | None:
        judged = self.met + self.open
        return round(self.met / judged, 3) if judged else None


NIST_FUNCTIONS = {"GOVERN": 1, "MAP": 2, "MEASURE": 3, "MANAGE": 4}


def ref_order(ref_id: str) -> tuple[tuple[int, int, str], ...]:
    """Natural order: Art. 4 before Art. 10, GOVERN before MAP, A.6.2.4 before A.6.2.10."""
    parts = re.findall(r"\d+|[A-Za-z]+", ref_id)
    return tuple(
        (1, int(p), "") if p.isdigit() else (0, NIST_FUNCTIONS.get(p, 0), p) for p in parts
    )


def rows_for(pack: Pack, framework: str) -> list[Row]:
    """One row per reference id of `framework`, in the framework's natural order."""
    rows: dict[str, Row] = {}
    for o in pack.obligations:
        for ref in o.references:
            if ref.framework != framework:
                continue
            row = rows.setdefault(ref.id, Row(ref.id, [], []))
            row.obligations.append(o)
            if ref.note and ref.note not in row.notes:
                row.notes.append(ref.note)
    return sorted(rows.values(), key=lambda r: ref_order(r.ref_id))


def combined(statuses: list[str]) -> str:
    if OPEN in statuses:
        return OPEN
    return MET if MET in statuses else NOT_APPLICABLE


def fill(
    rows: list[Row],
    pack: Pack,
    cases: Iterable[tuple[int, str, CaseFacts]],
    recorded: Mapping[int, dict[str, tuple[str, str]]],
) -> list[Row]:
    """Put each use case (id, title, facts) into the cell its statuses say (PURE)."""
    for pk, title, facts in cases:
        items = {i.key: i for i in owed(pack, facts, recorded.get(pk, {}))}
        for row in rows:
            mine = [items[o.key] for o in row.obligations if o.key in items]
            if mine:
                row.cases[combined([i.status for i in mine])].append((pk, title))
                if open_due(mine, facts.stage, STAGE_KEYS):
                    row.cases[OVERDUE].append((pk, title))
    return rows


def crosswalk(pack: Pack, framework: str, user: Any) -> list[Row]:
    """The framework's rows over the active use cases `user` may see."""
    scope = UseCase.objects.visible_to(user).filter(stage__in=ACTIVE_STAGES)
    found = scope.order_by("title", "pk").values("pk", "title", *CASE_FIELDS)
    cases = [(r["pk"], r["title"], CaseFacts(**{k: r[k] for k in CASE_FIELDS})) for r in found]
    recorded = recorded_for(scope.values("pk"))
    return fill(rows_for(pack, framework), pack, cases, recorded)
