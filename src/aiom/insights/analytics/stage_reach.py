"""How many use cases ever reached each stage, and how many are there now: one table.

"Ever entered" used to count stage changes dated between 2000-01-01 and today, so a use
case whose entry had no known day (an import that did not give it: `on` is null), a day
before 2000 or a day after today was not counted as having entered the stage it sits
in, and a stage showed fewer "ever entered" than "there now" (the federal file: 1,033
against 1,036 operational). Reaching a stage needs no date: here a use case counts once
per stage it has a stage change into, whatever that change's day, or that it sits in now
(its entry recorded or not), so "ever entered" is never below "there now". The use cases
counted as entered without a recorded entry are counted too, and the sentence says so.
"""

from collections import Counter
from dataclasses import dataclass
from typing import Any

from aiom.insights.analytics import facts
from aiom.insights.analytics.base import Scope
from aiom.insights.analytics.spans import rows, scope_keys


@dataclass(frozen=True)
class StageReach:
    key: str
    entered: int  # use cases that ever entered the stage (once each)
    now: int  # use cases there now
    unrecorded: int  # of those there now, how many have no recorded entry into it

    @property
    def sentence(self) -> str:
        text = f"{self.entered:,} ever entered, {self.now:,} there now"
        if self.unrecorded:
            n = self.unrecorded
            text += (
                f"; {n:,} use case{'' if n == 1 else 's'} there now without a recorded "
                "entry (e.g. imported at this stage) counted as entered"
            )
        return text + "."


def stage_reach(scope: Scope, stages: list[str], *, user: Any = None) -> list[StageReach]:
    """One grouped query over the facts: use cases per (stage now, stages their changes
    entered), the groups few and read in the order of an index; the counts per stage are
    summed from the groups (`reached` is kept per use case on write, facts.py)."""
    entered: Counter[str] = Counter()
    now: Counter[str] = Counter()
    bare: Counter[str] = Counter()
    fq = facts.of(scope, user)
    groups = fq.order_by().values(*scope_keys(fq), "stage", "reached").annotate(n=rows())
    for r in groups:
        stage, n = r["stage"], r["n"]
        recorded = set(r["reached"].split(",")) if r["reached"] else set()
        now[stage] += n
        if stage not in recorded:
            bare[stage] += n
        for key in recorded | {stage}:
            entered[key] += n
    return [StageReach(key, entered[key], now[key], bare[key]) for key in stages]
