"""What a use case measures success by: its active KPIs, else its pilot's exit criteria. PURE.

One read model for the gate check `kpis_with_baseline_and_target` and the use-case
page's value panel. They disagreed: the check counted the pilot plan's exit criteria
when the use case had no KPI yet ("✓ 2 KPIs with a baseline and a target") while the
panel listed KPI rows only ("No KPIs yet"). Both now read `success_measures`, which
says which source it used, and word it the same way.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from aiom.lifecycle.exit_criteria import ExitCriterion

Source = Literal["kpis", "exit_criteria", "none"]


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@dataclass(frozen=True)
class SuccessMeasures:
    source: Source
    measures: tuple[ExitCriterion, ...]

    @property
    def missing(self) -> list[str]:
        """Measures without a baseline or a target, by name."""
        return [
            m.metric or "(unnamed)" for m in self.measures if m.baseline is None or m.target is None
        ]

    @property
    def complete(self) -> int:
        """How many have both a baseline and a target."""
        return len(self.measures) - len(self.missing)

    @property
    def noun(self) -> tuple[str, str]:
        if self.source == "exit_criteria":
            return "pilot exit criterion", "pilot exit criteria"
        return "KPI", "KPIs"

    @property
    def sentence(self) -> str:
        """The one wording of what success is measured by, for the gate and the panel."""
        if self.source == "none":
            return "No KPIs: define what will be measured, with a baseline and a target."
        one, many = self.noun
        if self.missing:
            lead = many[0].upper() + many[1:]
            return f"{lead} without a baseline or target: {', '.join(self.missing)}."
        text = f"{_plural(self.complete, one, many)} with a baseline and a target"
        if self.source == "exit_criteria":
            text += " (no KPI recorded yet: the pilot plan's exit criteria stand in)"
        return text + "."


def success_measures(
    kpis: Iterable[ExitCriterion], criteria: Iterable[ExitCriterion]
) -> SuccessMeasures:
    """The use case's active KPIs when it has any; before that, its pilot's exit criteria."""
    own = tuple(kpis)
    if own:
        return SuccessMeasures("kpis", own)
    stand_in = tuple(criteria)
    return SuccessMeasures("exit_criteria", stand_in) if stand_in else SuccessMeasures("none", ())
