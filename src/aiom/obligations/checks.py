"""The `obligations_met` gate check (pure: reads the facts the gate builder loaded).

It looks at the stage being entered: the check's `stage` parameter when the policy gives
one, else the stage after the current one in the policy's order of non-terminal stages.
Obligations owed and due by then must be met or marked not applicable. With
`obligations.blocking: false` the check passes and names what is open.
"""

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from aiom.lifecycle.checks import GateFacts, Verdict
from aiom.lifecycle.gate_registry import check
from aiom.obligations.derive import (
    FACTS_KEY,
    STATUS_LABELS,
    Owed,
    is_due,
    next_stage,
    open_due,
    owed,
)
from aiom.obligations.pack import Pack, PackError, load
from aiom.obligations.policy import ObligationRules

if TYPE_CHECKING:
    from aiom.governance.policy.schema import Policy


def named(pack: Pack, item: Owed) -> str:
    """ "Tell users they are dealing with AI (EU AI Act Art. 50(1)): open" — by name."""
    labels = {f.key: f.label for f in pack.frameworks}
    first = item.obligation.references[0]
    source = f"{labels.get(first.framework, first.framework)} {first.id}"
    return f"{item.obligation.title} ({source}): {STATUS_LABELS.get(item.status, item.status)}"


@check(
    "obligations_met",
    "Obligations due by the stage being entered are met or not applicable",
    reads=(FACTS_KEY,),
)
def _obligations_met(f: GateFacts, p: "Policy", params: dict[str, Any]) -> Verdict:
    facts = f.extra.get(FACTS_KEY)
    if facts is None:
        return False, "The obligations of this use case were not loaded; cannot judge them."
    live = p.live_stages()
    target = str(params.get("stage") or next_stage(f.stage, live) or "")
    if target not in live:
        return True, "No later stage owes obligations."
    # The pack names stages as the default vocabulary does: the policy's, by their roles.
    order, entering = [p.default_key(key) for key in live], p.default_key(target)
    try:
        pack = load(p.section(ObligationRules).pack).pack
    except PackError as exc:
        return False, f"The obligations pack cannot be read: {exc}"
    case = replace(facts.case, stage=p.default_key(facts.case.stage))
    items = owed(pack, case, facts.recorded)
    due = open_due(items, entering, order)
    if not due:
        count = sum(1 for i in items if is_due(i.obligation, entering, order))
        return True, f"{count} obligation{'' if count == 1 else 's'} due by {target}: none open."
    names = tuple(named(pack, i) for i in due)
    head = f"{len(due)} open obligation{'' if len(due) == 1 else 's'} due by {target}"
    if not p.section(ObligationRules).blocking:
        return True, f"{head} (the policy does not block on obligations)", names
    return False, f"{head}; meet each one or mark it not applicable with a reason", names
