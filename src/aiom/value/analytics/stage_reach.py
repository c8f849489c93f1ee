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

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q

from aiom.lifecycle.models import StageChange
from aiom.value.analytics import facts
from aiom.value.analytics.base import Scope, in_scope


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
    """Two grouped queries: distinct use cases per stage entered; per stage now, with
    how many of them have no stage change into it."""
    qs = scope.use_cases(user)
    changes = StageChange.objects.filter(in_scope(qs)).order_by()
    entered = {
        r["to_stage"]: r["n"]
        for r in changes.values("to_stage").annotate(n=Count("use_case", distinct=True))
    }
    recorded = StageChange.objects.filter(
        use_case_id=OuterRef("use_case_id"), to_stage=OuterRef("stage")
    )
    rows = list(
        facts.of(scope, user)
        .order_by()
        .values("stage")
        .annotate(n=Count("pk"), bare=Count("pk", filter=~Q(Exists(recorded))))
    )
    now = {r["stage"]: r["n"] for r in rows}
    bare = {r["stage"]: r["bare"] for r in rows}
    return [
        StageReach(
            key,
            entered.get(key, 0) + bare.get(key, 0),
            now.get(key, 0),
            bare.get(key, 0),
        )
        for key in stages
    ]
