"""The `obligations_met` gate check (pure: reads the facts the gate builder loaded).

It looks at the stage being entered: the check's `stage` parameter when the policy gives
one, else the stage after the current one in the policy's order of non-terminal stages.
Obligations owed and due by then must be met or marked not applicable. With
`obligations.blocking: false` the check passes and names what is open.
"""

from typing import TYPE_CHECKING, Any

from aiom.lifecycle.checks import GateFacts, check
from aiom.obligations.derive import FACTS_KEY, is_due, next_stage, open_due, owed
from aiom.obligations.pack import PackError, load

if TYPE_CHECKING:
    from aiom.governance.policy_schema import Policy


@check("obligations_met", "Obligations due by the stage being entered are met or not applicable")
def _obligations_met(f: GateFacts, p: "Policy", params: dict[str, Any]) -> tuple[bool, str]:
    facts = f.extra.get(FACTS_KEY)
    if facts is None:
        return False, "The obligations of this use case were not loaded; cannot judge them."
    order = [s.key for s in p.stages if not s.terminal]
    target = str(params.get("stage") or next_stage(f.stage, order) or "")
    if target not in order:
        return True, "No later stage owes obligations."
    try:
        pack = load(p.obligations.pack).pack
    except PackError as exc:
        return False, f"The obligations pack cannot be read: {exc}"
    items = owed(pack, facts.case, facts.recorded)
    due = open_due(items, target, order)
    if not due:
        count = sum(1 for i in items if is_due(i.obligation, target, order))
        return True, f"{count} obligation{'' if count == 1 else 's'} due by {target}: none open."
    titles = "; ".join(i.obligation.title for i in due)
    message = f"Open obligation{'' if len(due) == 1 else 's'} due by {target}: {titles}."
    if not p.obligations.blocking:
        return True, f"{message} (The policy does not block on obligations.)"
    return False, f"{message} Meet each one or mark it not applicable with a reason."
