"""The read model of one use case's obligations: what the panel and the API show.

Three queries whatever the number of obligations: the active policy, the status rows,
the evidence (with who added it).
"""

from dataclasses import dataclass, field

from aiom.obligations.derive import STATUS_LABELS, Owed, is_due, owed
from aiom.obligations.facts import active_pack, case_facts
from aiom.obligations.models import Evidence, ObligationStatus
from aiom.obligations.pack import Pack
from aiom.portfolio.models import UseCase
from aiom.portfolio.vocabulary import STAGE_KEYS, STAGE_LABELS


@dataclass
class Item:
    owed: Owed
    row: ObligationStatus | None
    due_now: bool
    refs: list[tuple[str, str, str]] = field(default_factory=list)  # (framework label, id, note)
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.owed.key

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.owed.status]

    @property
    def from_stage_label(self) -> str:
        return STAGE_LABELS.get(self.owed.obligation.from_stage, self.owed.obligation.from_stage)


@dataclass
class Overview:
    pack: Pack
    items: list[Item]
    assessed: bool

    @property
    def open_count(self) -> int:
        return sum(1 for i in self.items if i.owed.is_open)

    @property
    def overdue_count(self) -> int:
        return sum(1 for i in self.items if i.owed.is_open and i.due_now)


def overview(uc: UseCase) -> Overview:
    pack = active_pack()
    rows = {
        r.obligation: r
        for r in ObligationStatus.objects.filter(use_case=uc).select_related("updated_by")
    }
    recorded = {k: (r.status, r.reason) for k, r in rows.items()}
    labels = {f.key: f.label for f in pack.frameworks}
    items = [
        Item(
            o,
            rows.get(o.key),
            is_due(o.obligation, uc.stage, STAGE_KEYS),
            [(labels.get(r.framework, r.framework), r.id, r.note) for r in o.obligation.references],
        )
        for o in owed(pack, case_facts(uc), recorded)
    ]
    by_key = {i.key: i for i in items}
    for ev in Evidence.objects.filter(use_case=uc).select_related("added_by"):
        if ev.obligation in by_key:
            by_key[ev.obligation].evidence.append(ev)
    return Overview(pack, items, bool(uc.tier))
